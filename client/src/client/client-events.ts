import type { ParticipantInfo } from '../protocol/info.ts';
import type { MediaKind } from '../protocol/primitives.ts';
import type {
  GroupCallEnded,
  GroupCallError,
  GroupCallIncoming,
  GroupCallRingStopped,
  GroupCallStarted,
} from '../protocol/server-events.ts';
import type {
  ActiveSpeaker,
  AudioLevels,
  MediaSource,
  ProducerStateChanged,
} from '../protocol/track-events.ts';

/**
 * Where the client is in a call:
 * - `idle`: in no call;
 * - `joining`: joinCall() is setting up media;
 * - `in-call`: sending and receiving;
 * - `rejoining`: the server lost the call's media (or the connection dropped)
 *   and the client is setting it up again on its own.
 */
export type CallState = 'idle' | 'joining' | 'in-call' | 'rejoining';

export interface CallStateChange {
  state: CallState;
  previous: CallState;
  /** The call the state refers to; undefined when idle. */
  conversationId: string | undefined;
}

/** A remote participant's track is playing; label its tile with `participantInfo`. */
export interface RemoteTrackAdded {
  socketId: string;
  /** Absent only if the server sent none; show a generic label. */
  participantInfo: ParticipantInfo | undefined;
  kind: MediaKind;
  producerId: string;
  track: MediaStreamTrack;
  /** What the track carries (`screen`: show it as its own tile), when the sender said so. */
  source: MediaSource | undefined;
  /** The sender has it paused (muted, camera off) right now. */
  paused: boolean;
}

/** One remote track stopped (its producer closed); the participant may still have others. */
export interface RemoteTrackRemoved {
  socketId: string;
  producerId: string;
  kind: MediaKind;
}

/** A remote participant is gone, with all of its tracks: remove its tile. */
export interface RemoteParticipantLeft {
  socketId: string;
  participantInfo: ParticipantInfo | undefined;
}

/**
 * The layers the server now forwards on a remote video track (simulcast:
 * 0 is the lowest resolution); both null while it forwards none.
 */
export interface RemoteTrackLayersChanged {
  socketId: string;
  producerId: string;
  spatialLayer: number | null;
  temporalLayer: number | null;
}

/** The events of GroupCallClient, by name. */
export interface GroupCallClientEvents {
  /** Someone started a call in one of our groups (`group_call_incoming`). */
  incomingCall: GroupCallIncoming;
  /** Stop ringing for that call: declined or answered on another device, ended, or missed. */
  ringStopped: GroupCallRingStopped;
  /** A call became active in one of our groups: show a "Join call" banner (`group_call_started`). */
  callStarted: GroupCallStarted;
  /** A call in one of our groups ended: hide its banner (`group_call_ended`). */
  callEnded: GroupCallEnded;
  /**
   * `group_call_error` from the server, and failures that have no promise to
   * reject: a remote track that could not be received, a rejoin that failed,
   * a malformed server event.
   */
  error: GroupCallError;
  stateChange: CallStateChange;
  trackAdded: RemoteTrackAdded;
  trackRemoved: RemoteTrackRemoved;
  /**
   * From the server's `participantLeft`, and for every remote participant
   * when our own call ends or is being rejoined, so tiles never outlive it.
   */
  participantLeft: RemoteParticipantLeft;
  /** A remote participant paused a track (muted, camera off): show the muted icon. */
  trackPaused: ProducerStateChanged;
  /** A remote participant resumed a paused track. */
  trackResumed: ProducerStateChanged;
  /** The call's dominant speaker changed: highlight their tile. */
  activeSpeaker: ActiveSpeaker;
  /** The loudest audio levels of the call, a few times a second. */
  audioLevels: AudioLevels;
  /** The server switched the layers it forwards on a remote track (a preference, the sender, the bandwidth). */
  layersChanged: RemoteTrackLayersChanged;
}
