import { afterEach, describe, expect, it, vi } from 'vitest';
import { TypedEmitter } from '../../src/client/typed-emitter.ts';

class Counter extends TypedEmitter<{ tick: number; reset: undefined }> {
  tick(value: number): void {
    this.emit('tick', value);
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('TypedEmitter', () => {
  it('delivers payloads to listeners until they unsubscribe', () => {
    const counter = new Counter();
    const seen: number[] = [];
    const listener = (value: number) => seen.push(value);
    const unsubscribe = counter.on('tick', listener);
    counter.tick(1);
    unsubscribe();
    counter.tick(2);
    counter.on('tick', listener);
    counter.off('tick', listener);
    counter.tick(3);
    expect(seen).toEqual([1]);
  });

  it('keeps notifying after a listener throws, and rethrows that error asynchronously', () => {
    const deferred: Array<() => void> = [];
    vi.spyOn(globalThis, 'queueMicrotask').mockImplementation((task) => deferred.push(task));
    const counter = new Counter();
    const seen: number[] = [];
    counter.on('tick', () => {
      throw new Error('listener bug');
    });
    counter.on('tick', (value) => seen.push(value));

    counter.tick(7);
    expect(seen).toEqual([7]);
    expect(deferred).toHaveLength(1);
    expect(() => deferred[0]?.()).toThrow('listener bug');
  });
});
