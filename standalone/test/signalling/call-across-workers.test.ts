import type { types } from 'mediasoup';
import { beforeAll, describe, expect, it } from 'vitest';
import { consume, enterCall, type InCall, produce, produceSimulcast } from '../support/media-fixtures.ts';
import { useTestServer } from '../support/test-server.ts';

/**
 * One call over two mediasoup Workers of one pod: with at most two devices
 * per Router, the third and fourth device of a call get their transports on
 * a Router of the other Worker, and every producer is consumable from both
 * (piped between the Routers). Real mediasoup, real Socket.IO.
 */

const fixture = useTestServer({
  config: { media: { numWorkers: 2, maxParticipantsPerRouter: 2 }, unusedLayerGraceMs: 400 },
});

/** Which Worker each Router of the server lives on, and every transport made on it. */
interface RouterSeen {
  worker: number;
  router: types.Router;
  transports: types.Transport[];
}
const routers: RouterSeen[] = [];
const pipeProducers: types.Producer[] = [];

beforeAll(() => {
  fixture.server.media.workers.forEach((worker, index) => {
    worker.observer.on('newrouter', (router) => {
      const seen: RouterSeen = { worker: index, router, transports: [] };
      routers.push(seen);
      router.observer.on('newtransport', (transport) => {
        seen.transports.push(transport);
        if (transport.type === 'pipe') transport.observer.on('newproducer', (p) => pipeProducers.push(p));
      });
    });
  });
});

/** The Worker that holds the transports of a device in the call. */
function workerOf(call: InCall): number | undefined {
  return routers.find((r) => r.transports.some((t) => t.id === call.sendTransportId))?.worker;
}

async function publishing(userId: string): Promise<{ call: InCall; producers: string[] }> {
  const call = await enterCall(await fixture.joined(userId), 'team-alpha');
  const producers = [await produce(call, 'audio'), await produce(call, 'video')];
  return { call, producers };
}

describe('a call larger than one Router', () => {
  it('puts later devices on a Router of the other Worker, and everyone consumes everyone', async () => {
    const devices = [];
    for (const userId of ['1', '2', '3', '4']) devices.push(await publishing(userId));

    const workers = devices.map(({ call }) => workerOf(call));
    expect(workers.slice(0, 2)).toEqual([workers[0], workers[0]]);
    expect(workers.slice(2)).toEqual([workers[2], workers[2]]);
    expect(workers[2]).not.toBe(workers[0]);

    for (const receiver of devices) {
      for (const sender of devices.filter((d) => d !== receiver)) {
        for (const producerId of sender.producers) {
          const answer = await consume(receiver.call, producerId);
          expect(answer).toEqual(expect.objectContaining({ id: expect.any(String), producerId }));
          expect(
            (await receiver.call.client.request('resumeConsumer', { consumerId: answer.id })).success,
          ).toBe(true);
        }
      }
    }
  });

  it('closes the piped copies and the far consumers when their producer goes', async () => {
    const alice = await publishing('1');
    await publishing('2');
    const carol = await publishing('3');
    expect(workerOf(carol.call)).not.toBe(workerOf(alice.call));
    const [audioId] = alice.producers;
    const consumed = await consume(carol.call, audioId ?? '');
    expect(pipeProducers.filter((p) => p.id === audioId && !p.closed)).toHaveLength(1);

    alice.call.client.emit('leaveRoom');
    expect(await carol.call.client.waitFor('consumerClosed', (e) => e.producerId === audioId)).toEqual({
      consumerId: consumed.id,
      producerId: audioId,
    });
    await expect
      .poll(() => pipeProducers.filter((p) => alice.producers.includes(p.id) && !p.closed))
      .toEqual([]);
  });

  it('lets a device that joins the far Router consume what was produced before it came', async () => {
    const early = [await publishing('1'), await publishing('2')];
    const late = await enterCall(await fixture.joined('3'), 'team-alpha');
    expect(workerOf(late)).not.toBe(workerOf(early[0]?.call as InCall));
    const listed = await late.client.request('getProducers');
    const ids = (listed.producers as { id: string }[]).map((p) => p.id).sort();
    expect(ids).toEqual(early.flatMap((d) => d.producers).sort());
    for (const id of ids) expect((await consume(late, id)).producerId).toBe(id);
  });

  it("counts a far receiver's wish for a sender's layers (dynacast through the pipe)", async () => {
    const alice = await enterCall(await fixture.joined('1'), 'team-alpha');
    await publishing('2');
    const carol = await enterCall(await fixture.joined('3'), 'team-alpha');
    expect(workerOf(carol)).not.toBe(workerOf(alice));
    const camera = await produceSimulcast(alice);
    const told = () =>
      alice.client
        .received('producerLayersWanted')
        .filter((wanted) => wanted.producerId === camera)
        .map((wanted) => wanted.spatialLayer);
    await expect.poll(told, { timeout: 10_000 }).toEqual([0]);
    // Carol, on the other Worker, shows Alice full size: her consumer is of the piped copy.
    const { id } = await consume(carol, camera);
    await carol.client.request('resumeConsumer', { consumerId: id });
    await expect.poll(told, { timeout: 10_000 }).toEqual([0, 2]);
  });
});
