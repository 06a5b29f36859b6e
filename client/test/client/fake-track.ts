/**
 * A live local track as mediasoup-client's fake handler sends it (no browser
 * in these tests): what the SDK reads of a MediaStreamTrack, and no more.
 */
export function fakeTrack(kind: 'audio' | 'video'): MediaStreamTrack {
  return {
    id: `local-${kind}`,
    kind,
    readyState: 'live',
    enabled: true,
    addEventListener: () => {},
    removeEventListener: () => {},
    clone() {
      return this;
    },
    stop: () => {},
  } as unknown as MediaStreamTrack;
}
