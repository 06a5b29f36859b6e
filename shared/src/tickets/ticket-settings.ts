import type { KeyObject } from 'node:crypto';
import { readSecret } from '../auth/secret.ts';
import { serviceTokenKey } from './service-token.ts';
import { ticketPrivateKey, ticketPublicKey } from './ticket-keys.ts';

type Env = Record<string, string | undefined>;

/** The control plane's keys: the ticket signing key, and the key pods' service tokens are checked with. */
export interface ControlPlaneKeys {
  ticketPrivateKey: KeyObject;
  serviceTokenKey: Uint8Array;
}

/** A pod's keys: the ticket verification (public) key, and the key it signs service tokens with. */
export interface PodKeys {
  ticketPublicKey: KeyObject;
  serviceTokenKey: Uint8Array;
}

/** TICKET_PRIVATE_KEY(_FILE) and POD_SERVICE_SECRET(_FILE), required. */
export function controlPlaneKeysFromEnv(env: Env): ControlPlaneKeys {
  return {
    ticketPrivateKey: ticketPrivateKey(
      required(
        { name: 'TICKET_PRIVATE_KEY', value: env.TICKET_PRIVATE_KEY, file: env.TICKET_PRIVATE_KEY_FILE },
        'the Ed25519 key (PEM or JWK) tickets are signed with',
      ),
    ),
    serviceTokenKey: podServiceKey(env),
  };
}

/** TICKET_PUBLIC_KEY(_FILE) and POD_SERVICE_SECRET(_FILE), required. */
export function podKeysFromEnv(env: Env): PodKeys {
  return {
    ticketPublicKey: ticketPublicKey(
      required(
        { name: 'TICKET_PUBLIC_KEY', value: env.TICKET_PUBLIC_KEY, file: env.TICKET_PUBLIC_KEY_FILE },
        "the control plane's Ed25519 public key (PEM, certificate or JWK)",
      ),
    ),
    serviceTokenKey: podServiceKey(env),
  };
}

function podServiceKey(env: Env): Uint8Array {
  return serviceTokenKey(
    required(
      { name: 'POD_SERVICE_SECRET', value: env.POD_SERVICE_SECRET, file: env.POD_SERVICE_SECRET_FILE },
      'shared by the control plane and the pods for service tokens',
    ),
  );
}

function required(source: Parameters<typeof readSecret>[0], what: string): string {
  const value = readSecret(source);
  if (!value) throw new Error(`${source.name} (or ${source.name}_FILE) is required: ${what}`);
  return value;
}
