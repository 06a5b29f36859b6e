import { describe, expect, it } from 'vitest';
import { renewalDelayMs, tokenLifetimeSeconds } from '../../src/client/token-renewal.ts';

/** An unsigned JWT-shaped token with these claims (the SDK only reads them; the server verifies). */
function tokenWith(claims: object): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'HS256' })}.${encode(claims)}.signature`;
}

describe('tokenLifetimeSeconds', () => {
  it("reads the lifetime from the token's own iat and exp, whatever the device clock says", () => {
    expect(tokenLifetimeSeconds(tokenWith({ iat: 1_000, exp: 4_600 }), 999_999)).toBe(3_600);
  });

  it('counts from now when the token has no iat', () => {
    expect(tokenLifetimeSeconds(tokenWith({ exp: 1_060 }), 1_000)).toBe(60);
  });

  it('has nothing to renew for a token without exp, or one that is not a JWT', () => {
    expect(tokenLifetimeSeconds(tokenWith({ sub: '1' }))).toBeUndefined();
    expect(tokenLifetimeSeconds('opaque')).toBeUndefined();
    expect(tokenLifetimeSeconds('a.%%%.c')).toBeUndefined();
  });
});

describe('renewalDelayMs', () => {
  it('renews an hour-long token five minutes before it ends', () => {
    expect(renewalDelayMs(3_600)).toBe(3_300_000);
  });

  it('renews a short token when two thirds of its life have passed', () => {
    expect(renewalDelayMs(9)).toBe(6_000);
  });

  it('renews an already expired token at once', () => {
    expect(renewalDelayMs(-5)).toBe(0);
  });
});
