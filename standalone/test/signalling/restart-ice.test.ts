import { describe, expect, it } from 'vitest';
import { enterCall } from '../support/media-fixtures.ts';
import { useTestServer } from '../support/test-server.ts';

/** `restartIce {transportId}` → `{iceParameters}`: new ICE credentials for the device's own transports only. */

const fixture = useTestServer();

describe('restartIce', () => {
  it("answers new ICE parameters for the device's own transports", async () => {
    const { sendTransportId, recvTransportId, client } = await enterCall(
      await fixture.joined('1'),
      'team-alpha',
    );
    for (const transportId of [sendTransportId, recvTransportId]) {
      const first = await client.request('restartIce', { transportId });
      expect(first).toEqual({
        iceParameters: { usernameFragment: expect.any(String), password: expect.any(String), iceLite: true },
      });
      const second = await client.request('restartIce', { transportId });
      expect(second.iceParameters.usernameFragment).not.toBe(first.iceParameters.usernameFragment);
      expect(second.iceParameters.password).not.toBe(first.iceParameters.password);
    }
  });

  it("refuses another device's transport, an unknown one, and a device in no call", async () => {
    const alice = await enterCall(await fixture.joined('1'), 'team-alpha');
    const bob = await enterCall(await fixture.joined('2'), 'team-alpha');
    expect(await bob.client.request('restartIce', { transportId: alice.sendTransportId })).toEqual({
      error: 'Transport not found',
    });
    expect(await bob.client.request('restartIce', { transportId: 'no-such-transport' })).toEqual({
      error: 'Transport not found',
    });
    expect(await bob.client.request('restartIce', {})).toMatchObject({
      error: expect.stringMatching(/^Invalid payload: transportId/),
    });
    const carol = await fixture.joined('3');
    expect(await carol.request('restartIce', { transportId: alice.sendTransportId })).toEqual({
      error: 'Participant not found',
    });
  });
});
