/**
 * The groupcall stack in containers, for integration suites here and
 * downstream: `GroupCallStack.start()` runs the control-plane and sfu-worker
 * images with Redis, MariaDB behind the PlanetScale simulator and a fake FCM
 * (see group-call-stack.ts and the README's "Testing with containers"), and
 * `GroupCallStandaloneContainer`, the single-process product as README's
 * `docker run` quick start runs it.
 * Test infrastructure only; needs a Docker daemon and the locally built images.
 */
import './environment.ts';

export * from './group-call-stack.ts';
export * from './images.ts';
export * from './standalone-container.ts';
