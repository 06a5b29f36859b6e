import type { CallType, ConversationInfo, ParticipantInfo } from '../protocol.ts';

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
}

export interface NewCall extends Omit<CallState, 'participantCount' | 'memberIds'> {
  /** Members whose devices are ringing: everyone but the caller. */
  ringing: readonly string[];
}

/**
 * Every method is atomic on its own: several control-plane replicas and
 * sfu-worker pods use one store concurrently.
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
   * (a crashed pod, a call nobody joined) is forgotten. Does nothing when no
   * call is active (it never resurrects an ended call).
   */
  setParticipantCount(conversationId: string, count: number): Promise<void>;

  /**
   * Stops ringing for the given members (all still ringing when omitted) and
   * returns those who were still ringing: exactly one caller gets each member,
   * so a member is told to stop ringing once, whichever replica asks.
   */
  stopRinging(conversationId: string, userIds?: readonly string[]): Promise<string[]>;

  /** Forgets the call; returns the members still ringing, so their ringing can be stopped ('ended'). */
  end(conversationId: string): Promise<string[]>;
}

/** How long a call record lives without a participant report, by default. */
export const defaultCallStateExpiryMs = 6 * 60 * 60 * 1000;

/** The state of a call just recorded: nobody in the room yet. */
export function newCallState(call: NewCall): CallState {
  const { ringing: _, ...fields } = call;
  return {
    ...structuredClone(fields),
    memberIds: call.members.map((m) => m.userId),
    participantCount: 0,
  };
}
