// The control plane's API client alone (`@groupcall/client/control-plane-api`):
// for servers and test tools that call the API without the browser SDK's
// media dependencies (mediasoup-client, socket.io-client).
export {
  ControlPlaneApi,
  type ControlPlaneApiOptions,
  type StartedCall,
} from './client/control-plane-api.ts';
export { ControlPlaneError, type ControlPlaneErrorCode } from './client/errors.ts';
export type { CallAdmission, CallStatus } from './protocol/calls-api.ts';
