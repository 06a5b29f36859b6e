/** What the join-latency page and its Node driver exchange (no DOM types: both sides import it). */

export interface JoinOptions {
  url: string;
  userId: string;
  roomId: string;
  /** Send camera and microphone like a real participant (captured before the clock starts). */
  publish: boolean;
}

/** Milliseconds since the join request, per stage; absent when a stage did not happen. */
export interface JoinMarks {
  socketConnected: number;
  roomJoined: number;
  deviceLoaded: number;
  transportsCreated: number;
  published?: number;
  sendDtlsConnected?: number;
  consumerCreated: number;
  recvDtlsConnected: number;
  resumed: number;
  firstFrameDecoded: number;
  /**
   * Acked requests, in the order their acks came, with their request → ack time in ms
   * and when they were sent (performance.now(), to tell which ones were in flight together).
   */
  requests: { event: string; ms: number; start: number }[];
}
