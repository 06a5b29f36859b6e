// The control plane's public API client has one source: the client package's
// ControlPlaneApi. The sfu-worker calls the same API on behalf of a connected
// user. A relative import for the reason given in protocol.ts.
export { ControlPlaneApi, type StartedCall } from '../../client/src/client/control-plane-api.ts';
export { ControlPlaneError } from '../../client/src/client/errors.ts';
