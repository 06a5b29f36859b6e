import type { ControlPlaneDeps } from '../deps.ts';
import { conversationInfoOf } from './call-info.ts';
import { sendRingStopped } from './ring-stopped.ts';

export type CallLifecycleDeps = Pick<
  ControlPlaneDeps,
  'callState' | 'directory' | 'notifier' | 'push' | 'metrics' | 'config' | 'logger'
>;

/**
 * A pod reports that a member entered the call on one device: their other
 * devices stop ringing ('answered', socket event and push). Members who
 * joined through POST /v1/calls/{id}/join were already handled there; this
 * covers devices that entered straight through the pod (seed-style
 * createRoom). The call-state store hands each ringing member out once, so
 * either way the member is told once. The directory (push tokens) is read
 * only when something was still ringing.
 *
 * The embedded single-process mode calls this directly; pods reach it
 * through POST /internal/v1/calls/{id}/answered.
 */
export async function callAnswered(
  deps: CallLifecycleDeps,
  conversationId: string,
  userId: string,
): Promise<void> {
  const answered = await deps.callState.stopRinging(conversationId, [userId]);
  if (answered.length === 0) return;
  const { conversation, member } = await deps.directory.membership(conversationId, userId);
  const conversationInfo = conversationInfoOf(conversationId, conversation, deps.config.avatarBaseUrl);
  sendRingStopped(deps, { conversationId, reason: 'answered', conversationInfo }, member ? [member] : []);
  deps.logger.info(
    { conversationId, userId },
    'member answered on one device; their other devices stop ringing',
  );
}
