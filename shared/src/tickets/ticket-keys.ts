import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  X509Certificate,
} from 'node:crypto';

/**
 * The Ed25519 key pair that signs tickets. Only the control plane holds the
 * private key; pods get the public key, so a pod that is taken over (they
 * run on the host network with public IPs) can verify tickets but never
 * mint one. Keys come as PEM (PKCS#8 private key; SPKI public key or an
 * X.509 certificate holding it) or as a JWK (OKP, crv Ed25519).
 */
export interface TicketKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** The control plane's signing key, from TICKET_PRIVATE_KEY(_FILE). */
export function ticketPrivateKey(text: string): KeyObject {
  const key = parseKey(text, 'TICKET_PRIVATE_KEY', (input) =>
    isJwk(input) ? createPrivateKey({ key: JSON.parse(input), format: 'jwk' }) : createPrivateKey(input),
  );
  return requireEd25519(key, 'TICKET_PRIVATE_KEY');
}

/** A pod's verification key, from TICKET_PUBLIC_KEY(_FILE); a private key is refused, not quietly used. */
export function ticketPublicKey(text: string): KeyObject {
  if (/PRIVATE KEY/.test(text) || (isJwk(text) && 'd' in JSON.parse(text)))
    throw new Error('TICKET_PUBLIC_KEY holds a private key: pods must only get the public key');
  const key = parseKey(text, 'TICKET_PUBLIC_KEY', (input) => {
    if (isJwk(input)) return createPublicKey({ key: JSON.parse(input), format: 'jwk' });
    if (input.includes('BEGIN CERTIFICATE')) return new X509Certificate(input).publicKey;
    return createPublicKey(input);
  });
  return requireEd25519(key, 'TICKET_PUBLIC_KEY');
}

/** A fresh pair, for the embedded default (one process, nothing to share) and tests. */
export function generateTicketKeyPair(): TicketKeyPair {
  return generateKeyPairSync('ed25519');
}

/** The public key as PEM (SPKI), e.g. to hand to pods. */
export function publicKeyPem(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'pem' }).toString();
}

/** The private key as PEM (PKCS#8). */
export function privateKeyPem(key: KeyObject): string {
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}

function isJwk(text: string): boolean {
  return text.trimStart().startsWith('{');
}

function parseKey(text: string, name: string, parse: (input: string) => KeyObject): KeyObject {
  try {
    return parse(text.trim());
  } catch (error) {
    throw new Error(`${name} is not a PEM or JWK key: ${(error as Error).message}`);
  }
}

function requireEd25519(key: KeyObject, name: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error(`${name} must be an Ed25519 key (got ${key.asymmetricKeyType ?? key.type})`);
  return key;
}
