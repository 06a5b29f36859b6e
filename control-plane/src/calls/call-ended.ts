import type { ControlPlaneDeps } from '../deps.ts';
import type { CallLifecycleDeps } from './call-answered.ts';
import { conversationInfoOf } from './call-info.ts';
import { sendRingStopped } from './ring-stopped.ts';

/**
 * A pod reports that the call's media room emptied: the call is over. It is
 * forgotten (GET /v1/calls/{id} shows no call), members whose devices still
 * ring are told it ended (socket event and push), and its placement is
 * released. Safe to repeat: a second report finds nothing to end or tell.
 *
 * `podName` is the pod reporting; the placement is released only if the
 * call is still assigned to it. The embedded single-process mode calls this
 * directly; pods reach it through POST /internal/v1/calls/{id}/ended.
 */
export async function callEnded(
  deps: CallLifecycleDeps & Pick<ControlPlaneDeps, 'placement'>,
  conversationId: string,
  podName?: string,
): Promise<void> {
  const stillRinging = new Set(await deps.callState.end(conversationId));
  if (stillRinging.size > 0) {
    const { conversation, members } = await deps.directory.conversationMembers(conversationId);
    const conversationInfo = conversationInfoOf(conversationId, conversation, deps.config.avatarBaseUrl);
    sendRingStopped(
      deps,
      { conversationId, reason: 'ended', conversationInfo },
      members.filter((m) => stillRinging.has(m.id)),
    );
  }
  await deps.placement.release(conversationId, podName);
  deps.logger.info(
    { conversationId, stoppedRinging: stillRinging.size },
    'call ended: its media room emptied',
  );
}
