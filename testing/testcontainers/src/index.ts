/**
 * @groupcall/testcontainers: the groupcall product in containers for
 * integration tests, in the testcontainers style:
 *
 *   await using stack = await new GroupCallContainer().withSfuPods(2).start();
 *
 * See group-call-container.ts and the README's "Testing with containers".
 */
export type { FakeFcm, FcmFailure, FcmMessage, FcmReceived } from '../../src/fake-fcm.ts';
export { startFakeFcm } from '../../src/fake-fcm.ts';
export { GroupCallContainer } from './group-call-container.ts';
export { type GroupCallImages, publishedImages, publishedStandaloneImage } from './images.ts';
export { removeOrphanedStacks } from './orphaned-stacks.ts';
export type { NetworkMode } from './stack-network.ts';
export {
  GroupCallStandaloneContainer,
  type StandalonePorts,
  StartedGroupCallStandalone,
} from './standalone-container.ts';
export { type StackPod, StartedGroupCallStack } from './started-group-call-stack.ts';
