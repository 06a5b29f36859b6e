import type { CallType, ConversationInfo, ParticipantInfo, RingState } from '../protocol.ts';

/**
 * What is known about an active call, beyond its media: written by the control
 * plane when a call starts, read by the control plane (the "Join call"
 * banner) and by the sfu-worker (who may join, how to label them, what
 * group_call_started says), and kept current by the sfu-worker (how many are
 * in the room). The sfu-worker never reads the database: the names and
 * avatars it shows come from here or from tickets.
 */
export interface CallState {
  conversationId: string;
  /** This call's own id: reports, ends and ring timeouts for another call never touch it. */
  callId: string;
  callType: CallType;
  /** The user who started the call. */
  startedBy: string;
  /** When the call started, in ms since the epoch. */
  startedAt: number;
  /** The conversation's name and avatar when the call started. */
  conversationInfo: ConversationInfo;
  /** The conversation's active members when the call started, labelled as their video tiles are. */
  members: ParticipantInfo[];
  /** The members' ids, in the same order (derived from `members`). */
  memberIds: string[];
  /** Participants in the media room now, as last reported by the sfu-worker. */
  participantCount: number;
  /** The most participants reported at once (call.ended webhooks). */
  peakParticipantCount: number;
  /** Where each rung (or joined) member stands; members never rung are absent. */
  ring: Record<string, RingState>;
}

export interface NewCall
  extends Omit<CallState, 'participantCount' | 'peakParticipantCount' | 'memberIds' | 'ring'> {
  /** Members whose devices are ringing: everyone but the caller who can ring. */
  ringing: readonly string[];
  /** Members with no device that could ring (no push token, no connected socket). */
  unreachable?: readonly string[] | undefined;
}

/** How a member stopped ringing: answered (or joined without ringing), declined, or missed. */
export type RingOutcome = Extract<RingState, 'accepted' | 'declined' | 'missed'>;

/** A call just ended, and the members whose devices were still ringing. */
export interface EndedCall {
  call: CallState;
  stillRinging: string[];
}

/**
 * Every method is atomic on its own: several control-plane replicas and
 * sfu-worker pods use one store concurrently. Methods that change a call
 * take its callId and do nothing when the conversation's call is another one
 * (a late report about an earlier call).
 */
export interface CallStateStore {
  /**
   * Records a call unless one is already active in the conversation. Returns
   * the active call and whether this request created it.
   */
  start(call: NewCall): Promise<{ call: CallState; created: boolean }>;

  /** The active call in a conversation, if any. */
  get(conversationId: string): Promise<CallState | undefined>;

  /**
   * The sfu-worker reports how many are in the room. This also keeps the
   * record alive: a call that nobody reports on for the store's expiry time
   * is forgotten. Does nothing when the call is not active (it never
   * resurrects an ended call).
   */
  setParticipantCount(conversationId: string, callId: string, count: number): Promise<void>;

  /**
   * Stops ringing for the given members (all still ringing when omitted) and
   * returns those who were still ringing: exactly one caller gets each member,
   * so a member is told to stop ringing once, whichever replica asks.
   * 'accepted' is also recorded for members who were not ringing (they joined).
   */
  stopRinging(
    conversationId: string,
    callId: string,
    userIds: readonly string[] | undefined,
    outcome: RingOutcome,
  ): Promise<string[]>;

  /**
   * Forgets the call (only this callId; any call when omitted, for reports
   * from pods that predate call ids). Returns it once: whoever gets it tells
   * the members; everyone else gets undefined.
   */
  end(conversationId: string, callId: string | undefined): Promise<EndedCall | undefined>;

  /**
   * Ends the call if nobody is in its room, nobody's devices still ring and
   * (unless `evenIfAccepted`) no member who accepted is on the way.
   */
  endIfAbandoned(
    conversationId: string,
    callId: string,
    options: { evenIfAccepted: boolean },
  ): Promise<EndedCall | undefined>;
}

/** How long a call record lives without a participant report, by default. */
export const defaultCallStateExpiryMs = 6 * 60 * 60 * 1000;

/** The state of a call just recorded: nobody in the room yet. */
export function newCallState(call: NewCall): CallState {
  const { ringing: _, unreachable: __, ...fields } = call;
  return {
    ...structuredClone(fields),
    memberIds: call.members.map((m) => m.userId),
    participantCount: 0,
    peakParticipantCount: 0,
    ring: Object.fromEntries([
      ...(call.unreachable ?? []).map((id) => [id, 'unreachable' as const]),
      ...call.ringing.map((id) => [id, 'ringing' as const]),
    ]),
  };
}
