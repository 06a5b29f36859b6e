import { createServer, type Server } from 'node:http';
import { type AccessTokenClaims, accessTokenClaims, signAccessToken } from '@groupcall/testing';
import { type CryptoKey, exportJWK, generateKeyPair, type SignJWT } from 'jose';

/** The Threads backend's side of authentication, as the tests play it. */

export const accessTokenSecret = 'threads-backend-test-secret-0123456789abcdef';
export const accessTokenIssuer = 'https://threads.test';
export const accessTokenAudience = 'groupcall';

export type TokenOptions = AccessTokenClaims;

/** An HS256 access token for `userId`, signed with `secret` (the shared one unless forging). */
export function hs256Token(
  userId: string,
  options: TokenOptions & { secret?: string } = {},
): Promise<string> {
  return signAccessToken(userId, options.secret ?? accessTokenSecret, withTestAudience(options));
}

/** The claims these tests' verifier expects (issuer and audience) unless a test overrides them. */
function claims(userId: string, options: TokenOptions): SignJWT {
  return accessTokenClaims(userId, withTestAudience(options));
}

function withTestAudience(options: TokenOptions): TokenOptions {
  return {
    ...options,
    issuer: options.issuer ?? accessTokenIssuer,
    audience: options.audience ?? accessTokenAudience,
  };
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
