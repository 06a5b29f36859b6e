import type { ControlPlaneDeps } from '../deps.ts';
import { conversationInfoOf } from './call-info.ts';
import { sendRingStopped } from './ring-stopped.ts';

export type CallLifecycleDeps = Pick<
  ControlPlaneDeps,
  | 'callState'
  | 'directory'
  | 'notifier'
  | 'push'
  | 'metrics'
  | 'config'
  | 'logger'
  | 'placement'
  | 'clock'
  | 'callEvents'
>;

/**
 * A pod reports that a member entered the call on one device: their other
 * devices stop ringing ('answered', socket event and push). Members who
 * joined through POST /v1/calls/{id}/join were already handled there; this
 * covers devices that entered straight through the pod (seed-style
 * createRoom). The call-state store hands each ringing member out once, so
 * either way the member is told once. The directory (push tokens) is read
 * only when something was still ringing. A report about another call than
 * the conversation's current one changes nothing.
 *
 * The embedded single-process mode calls this directly; pods reach it
 * through POST /internal/v1/calls/{id}/answered.
 */
export async function callAnswered(
  deps: CallLifecycleDeps,
  report: { conversationId: string; callId: string | undefined; userId: string },
): Promise<void> {
  const { conversationId, userId } = report;
  // Pods that predate call ids report without one: the current call is meant.
  const callId = report.callId ?? (await deps.callState.get(conversationId))?.callId;
  if (!callId) return;
  const answered = await deps.callState.stopRinging(conversationId, callId, [userId], 'accepted');
  if (answered.length === 0) return;
  const { conversation, member } = await deps.directory.membership(conversationId, userId);
  const conversationInfo = conversationInfoOf(conversationId, conversation, deps.config.avatarBaseUrl);
  sendRingStopped(
    deps,
    { conversationId, callId, reason: 'answered', conversationInfo },
    member ? [member] : [],
  );
  deps.logger.info(
    { conversationId, callId, userId },
    'member answered on one device; their other devices stop ringing',
  );
}
