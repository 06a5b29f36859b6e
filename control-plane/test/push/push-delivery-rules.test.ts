import { describe, expect, it } from 'vitest';
import { ConcurrencyLimit } from '../../src/push/concurrency-limit.ts';
import { classifyFailure } from '../../src/push/fcm-errors.ts';
import { planBatches } from '../../src/push/push-batches.ts';
import { backoffDelayMs } from '../../src/push/retry-backoff.ts';

describe('planBatches', () => {
  it('merges messages with equal data and splits them into batches of at most the limit', () => {
    const ring = { type: 'group_call_initiate', conversationId: 'g' };
    const sameRingOtherOrder = { conversationId: 'g', type: 'group_call_initiate' };
    const batches = planBatches(
      [
        { userId: '1', tokens: ['a', 'b'], data: ring },
        { userId: '2', tokens: ['c'], data: sameRingOtherOrder },
        { userId: '3', tokens: ['d', 'e'], data: ring },
        { userId: '4', tokens: ['x'], data: { type: 'group_call_ended', conversationId: 'g' } },
      ],
      2,
    );
    expect(batches.map((b) => [b.data.type, b.tokens])).toEqual([
      ['group_call_initiate', ['a', 'b']],
      ['group_call_initiate', ['c', 'd']],
      ['group_call_initiate', ['e']],
      ['group_call_ended', ['x']],
    ]);
    expect(batches[1]?.owners).toEqual(
      new Map([
        ['c', ['2']],
        ['d', ['3']],
      ]),
    );
  });

  it('sends a token shared by two users once, and remembers both owners', () => {
    const data = { type: 'group_call_initiate' };
    const [batch] = planBatches([
      { userId: '1', tokens: ['shared', 'shared'], data },
      { userId: '2', tokens: ['shared'], data },
    ]);
    expect(batch?.tokens).toEqual(['shared']);
    expect(batch?.owners.get('shared')).toEqual(['1', '2']);
  });
});

describe('classifyFailure', () => {
  const error = (code: string, message = 'x') => ({ code, message });

  it('treats unregistered and invalid tokens as dead', () => {
    expect(classifyFailure(error('messaging/registration-token-not-registered'))).toBe('dead-token');
    expect(classifyFailure(error('messaging/invalid-registration-token'))).toBe('dead-token');
    expect(
      classifyFailure(
        error('messaging/invalid-argument', 'The registration token is not a valid FCM registration token'),
      ),
    ).toBe('dead-token');
  });

  it('never treats an invalid payload as a dead token', () => {
    expect(classifyFailure(error('messaging/invalid-argument', 'Invalid value at message.data'))).toBe(
      'permanent',
    );
    expect(classifyFailure(error('messaging/mismatched-credential'))).toBe('permanent');
  });

  it('retries what is transient', () => {
    for (const code of [
      'messaging/server-unavailable',
      'messaging/internal-error',
      'messaging/message-rate-exceeded',
    ]) {
      expect(classifyFailure(error(code))).toBe('transient');
    }
    expect(classifyFailure(error('app/network-timeout'))).toBe('transient');
  });

  it('gives up on anything it does not know', () => {
    expect(classifyFailure(new Error('boom'))).toBe('permanent');
    expect(classifyFailure(undefined)).toBe('permanent');
  });
});

describe('backoffDelayMs', () => {
  const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1_000 };

  it('doubles its ceiling with each retry, up to the maximum, and jitters in the upper half', () => {
    expect([1, 2, 3, 4, 5].map((retry) => backoffDelayMs(policy, retry, () => 1))).toEqual([
      100, 200, 400, 800, 1000,
    ]);
    expect([1, 2, 3, 4, 5].map((retry) => backoffDelayMs(policy, retry, () => 0))).toEqual([
      50, 100, 200, 400, 500,
    ]);
  });
});

describe('ConcurrencyLimit', () => {
  it('never runs more than its limit at once, and runs everything', async () => {
    const limit = new ConcurrencyLimit(2);
    let running = 0;
    let peak = 0;
    const task = async (value: number) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setImmediate(resolve));
      running -= 1;
      return value;
    };
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => limit.run(() => task(n))));
    expect(results).toEqual([1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
  });
});
