import { describe, expect, it } from 'vitest';
import { SocketRequestRate } from '../../src/signalling/request-rate.ts';
import { TokenBucket } from '../../src/signalling/token-bucket.ts';

function clock() {
  let ms = 1_000;
  return { now: () => ms, advance: (by: number) => (ms += by) };
}

const takeAll = (take: () => boolean, attempts: number) =>
  Array.from({ length: attempts }, take).filter(Boolean).length;

describe('TokenBucket', () => {
  it('lets a burst of `capacity` through, then refills at its rate', () => {
    const time = clock();
    const bucket = new TokenBucket({ capacity: 10, refillPerSecond: 2, now: time.now });
    expect(takeAll(() => bucket.take(), 50)).toBe(10);
    time.advance(1_000);
    expect(takeAll(() => bucket.take(), 50)).toBe(2);
    time.advance(250);
    expect(bucket.take()).toBe(false);
    time.advance(250);
    expect(bucket.take()).toBe(true);
  });

  it('never holds more than its capacity, however long it rests', () => {
    const time = clock();
    const bucket = new TokenBucket({ capacity: 3, refillPerSecond: 100, now: time.now });
    time.advance(3_600_000);
    expect(takeAll(() => bucket.take(), 10)).toBe(3);
  });
});

describe('SocketRequestRate', () => {
  const rates = { burst: 20, perSecond: 10, callBurst: 2, callPerMinute: 6 };

  it('limits call requests on their own small bucket, other events on the large one', () => {
    const time = clock();
    const rate = new SocketRequestRate(rates, time.now);
    expect(takeAll(() => rate.admit('createRoom'), 5)).toBe(2);
    expect(rate.admit('group_call_initiate')).toBe(false);
    expect(takeAll(() => rate.admit('getProducers'), 30)).toBe(14);
    time.advance(10_000); // one call request back (6 a minute), the large bucket full again
    expect(takeAll(() => rate.admit('createRoom'), 5)).toBe(1);
  });
});
