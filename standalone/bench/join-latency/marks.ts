/** What the join-latency page and its Node driver exchange (no DOM types: both sides import it). */

export interface JoinOptions {
  url: string;
  userId: string;
  roomId: string;
  /** Send camera and microphone like a real participant (captured before the clock starts). */
  publish: boolean;
}

/** An acked request the SDK made, as the page saw it on the socket. */
export interface Request {
  event: string;
  payload: unknown;
  answer: unknown;
  /** performance.now() when it was sent. */
  start: number;
  /** Request → ack. */
  ms: number;
}

/** Milliseconds since the join request, per stage; absent when a stage did not happen. */
export interface JoinMarks {
  /**
   * Before the clock: client created → the browser's capabilities known
   * (what the SDK asks when an app creates its client, at startup).
   */
  prepared: number;
  socketConnected: number;
  roomJoined: number;
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
  requests: Pick<Request, 'event' | 'ms' | 'start'>[];
}
