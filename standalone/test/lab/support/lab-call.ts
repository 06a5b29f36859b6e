import { type LabNode, NetworkLab } from '@groupcall/testing';
import { afterEach } from 'vitest';
import { type LabMediaServer, startLabMediaServer } from './lab-media-server.ts';
import { LabParticipant } from './lab-participant.ts';

export interface LabCall {
  lab: NetworkLab;
  server: LabMediaServer;
  sfuNode: LabNode;
  /** Participants on their own nodes, in the order asked for. */
  participants: LabParticipant[];
}

export interface LabCallOptions {
  /**
   * Runs before the media server starts (say, to start a TURN server on a
   * node of its own); answers extra environment for the media server.
   * `cleanup` registers what to stop after the test.
   */
  prepare?: (
    lab: NetworkLab,
    cleanup: (stop: () => Promise<void>) => void,
  ) => Promise<Record<string, string>>;
}

/**
 * Registers cleanup and returns a function that builds a lab call: a network
 * lab, the media server on its own node, and one Chromium participant per
 * name on its own node (at most 3: Chromium needs about a core per two).
 * Everything is removed after the test, also when it fails.
 */
export function useLabCall() {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  });
  return async (names: string[], options: LabCallOptions = {}): Promise<LabCall> => {
    if (names.length > 3) throw new Error('at most 3 Chromium participants at once');
    const lab = await NetworkLab.create();
    cleanups.push(() => lab.close());
    const sfuNode = await lab.addNode('sfu');
    const extraEnv = (await options.prepare?.(lab, (cleanup) => cleanups.push(cleanup))) ?? {};
    const server = await startLabMediaServer(sfuNode, extraEnv);
    cleanups.push(() => server.stop());
    const participants: LabParticipant[] = [];
    for (const name of names) {
      const participant = await LabParticipant.open(await lab.addNode(name), server.origin);
      cleanups.push(() => participant.close());
      participants.push(participant);
    }
    return { lab, server, sfuNode, participants };
  };
}

/** Alice starts a call in Team Alpha, Bob joins; resolves once each decodes the other's video. */
export async function aliceAndBobInCall(call: LabCall): Promise<[LabParticipant, LabParticipant]> {
  const [alice, bob] = call.participants;
  if (!alice || !bob) throw new Error('two participants expected');
  await alice.join('1', 'team-alpha', true);
  await bob.join('2', 'team-alpha');
  return [alice, bob];
}
