import { Metrics } from '@groupcall/control-plane/metrics';
import { describe, expect, it } from 'vitest';
import { enterCall, produce } from '../support/media-fixtures.ts';
import { useTestServer } from '../support/test-server.ts';

const fixture = useTestServer();
const { joined } = fixture;

async function scrape(): Promise<Map<string, number>> {
  const text = await (await fetch(`${fixture.server.url}/metrics`)).text();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('groupcall_sfu_')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

describe('GET /metrics', () => {
  it('shows the load an on-call engineer looks at, and how requests end', async () => {
    const alice = await enterCall(await joined('1'), 'team-alpha');
    const bob = await enterCall(await joined('2'), 'team-alpha');
    await produce(alice, 'audio');
    expect((await bob.client.request('createTransport', { type: 'sideways' })).error).toMatch(
      /^Invalid payload/,
    );
    expect((await bob.client.request('resumeConsumer', { consumerId: 'nope' })).error).toBe(
      'Consumer not found',
    );

    const metrics = await scrape();
    expect(metrics.get('groupcall_sfu_calls')).toBe(1);
    expect(metrics.get('groupcall_sfu_participants')).toBe(2);
    expect(metrics.get('groupcall_sfu_producers')).toBe(1);
    expect(metrics.get('groupcall_sfu_socket_connections')).toBe(2);
    expect(metrics.get('groupcall_sfu_mediasoup_workers')).toBe(1);
    expect(metrics.get('groupcall_sfu_draining')).toBe(0);
    // What /readyz answers, for the "no ready pod" alert.
    expect((await fetch(`${fixture.server.url}/readyz`)).status).toBe(200);
    expect(metrics.get('groupcall_sfu_ready')).toBe(1);
    expect(metrics.get('groupcall_sfu_requests_total{event="produce",outcome="ok"}')).toBe(1);
    expect(metrics.get('groupcall_sfu_requests_total{event="createTransport",outcome="invalid"}')).toBe(1);
    expect(metrics.get('groupcall_sfu_requests_total{event="resumeConsumer",outcome="refused"}')).toBe(1);
    expect(metrics.get('groupcall_sfu_request_duration_seconds_count{event="createRoom"}')).toBe(2);
  });

  it("names the process's metrics as the control plane does (one dashboard for both; the job tells them apart)", async () => {
    const processMetricNames = (text: string) =>
      new Set(
        text
          .split('\n')
          .filter((line) => line.startsWith('# TYPE '))
          .map((line) => line.split(' ')[2] ?? '')
          .filter((name) => /^(groupcall_sfu_)?(process|nodejs)_/.test(name)),
      );
    const pod = processMetricNames(await (await fetch(`${fixture.server.url}/metrics`)).text());
    const controlPlane = processMetricNames(await new Metrics().registry.metrics());
    expect(pod.has('process_cpu_seconds_total')).toBe(true);
    expect(pod).toEqual(controlPlane);
  });
});
