import { createServer, type Server } from 'node:http';
import { type CryptoKey, exportJWK, generateKeyPair, SignJWT } from 'jose';

/** The Threads backend's side of authentication, as the tests play it. */

export const accessTokenSecret = 'threads-backend-test-secret-0123456789abcdef';
export const accessTokenIssuer = 'https://threads.test';
export const accessTokenAudience = 'groupcall';

export interface TokenOptions {
  /** Seconds from now; negative for an already expired token; null for none (no `exp`). Default one hour. */
  expiresInSeconds?: number | null;
  issuer?: string;
  audience?: string;
}

/** An HS256 access token for `userId`, signed with `secret` (the shared one unless forging). */
export function hs256Token(
  userId: string,
  options: TokenOptions & { secret?: string } = {},
): Promise<string> {
  const key = new TextEncoder().encode(options.secret ?? accessTokenSecret);
  return claims(userId, options).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(key);
}

function claims(userId: string, options: TokenOptions): SignJWT {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({})
    .setSubject(userId)
    .setIssuer(options.issuer ?? accessTokenIssuer)
    .setAudience(options.audience ?? accessTokenAudience)
    .setIssuedAt(now);
  if (options.expiresInSeconds === null) return jwt;
  return jwt.setExpirationTime(now + (options.expiresInSeconds ?? 3600));
}

/**
 * A JWKS endpoint on loopback publishing one ES256 public key, as the Threads
 * backend would; `sign` makes tokens with its private key, `forge` with a
 * different key that claims the same key id.
 */
export class JwksServer {
  readonly url: string;
  readonly #server: Server;
  readonly #privateKey: CryptoKey;
  readonly #kid: string;

  private constructor(url: string, server: Server, privateKey: CryptoKey, kid: string) {
    this.url = url;
    this.#server = server;
    this.#privateKey = privateKey;
    this.#kid = kid;
  }

  static async start(): Promise<JwksServer> {
    const kid = 'threads-test-key-1';
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const body = JSON.stringify({
      keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }],
    });
    const server = createServer((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('JWKS server has no TCP address');
    return new JwksServer(`http://127.0.0.1:${address.port}/.well-known/jwks.json`, server, privateKey, kid);
  }

  sign(userId: string, options: TokenOptions = {}): Promise<string> {
    return claims(userId, options)
      .setProtectedHeader({ alg: 'ES256', kid: this.#kid })
      .sign(this.#privateKey);
  }

  async forge(userId: string): Promise<string> {
    const { privateKey } = await generateKeyPair('ES256');
    return claims(userId, {}).setProtectedHeader({ alg: 'ES256', kid: this.#kid }).sign(privateKey);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}
