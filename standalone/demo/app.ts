/**
 * The groupcall demo page: pick a user, see your groups, start or join
 * calls, answer incoming ones. It goes through the control plane as a
 * production app does: sign in (POST /dev/token stands in for the Threads
 * backend's login), open the socket with that token, and start, join,
 * decline and look up calls over /v1/calls; the media goes through the
 * client SDK (GroupCallClient). This file only turns all that into UI.
 */

import type { CallType } from '@groupcall/client';
import {
  type CallState,
  ControlPlaneApi,
  ControlPlaneError,
  GroupCallClient,
  type GroupCallSocket,
  JoinCancelledError,
  openCallSocket,
  type SfuEndpoint,
} from '@groupcall/client';
import { CallBanners } from './call-banners.ts';
import { CallControls } from './call-controls.ts';
import { CallTiles } from './call-tiles.ts';
import {
  conversationName,
  conversationsOf,
  type DemoDirectory,
  type DemoUser,
  loadDirectory,
  userName,
} from './directory.ts';
import { avatar, byId, el } from './dom.ts';
import { IncomingCallView } from './incoming-call.ts';
import { acquireLocalMedia } from './local-media.ts';
import { Notices } from './notices.ts';
import { fetchDevToken, rememberedUserId, rememberUser } from './sign-in.ts';

declare global {
  interface Window {
    /** The page's SDK objects once signed in, for browser tests and for poking at from the console. */
    groupCallDemo?: { client: GroupCallClient; api: ControlPlaneApi };
  }
}

const stateLabels: Record<CallState, string> = {
  idle: 'Not in a call',
  joining: 'Joining…',
  'in-call': 'Connected',
  rejoining: 'Reconnecting…',
};

/**
 * The embedded server hosts every call itself, on this origin: the endpoint
 * the control plane hands out is this one, so a single socket serves both
 * ringing and calls. (An app talking to a cluster opens a socket for the
 * endpoint of each call, with openCallSocket.)
 */
const sameOrigin: SfuEndpoint = { url: location.origin, path: '/socket.io' };

/** A ticket older than this when the devices are ready is not used: the SDK asks for a fresh one. */
const ticketReuseMs = 60_000;

interface Session {
  user: DemoUser;
  api: ControlPlaneApi;
  client: GroupCallClient;
}

const notices = new Notices(byId('errors'), byId('activity'));
const tiles = new CallTiles(byId('tiles'), async (producerId, spatialLayer) => {
  await session?.client.setPreferredLayers(producerId, { spatialLayer });
});
const controls = new CallControls({
  current: () => (session && localStream ? { client: session.client, stream: localStream } : undefined),
  pausedChanged: (kind, paused) => tiles.setLocalPaused(kind, paused),
  trackSwitched: (kind, track) => {
    if (kind === 'video' && session && localStream) showLocalPreview(session.user, localStream);
    notices.activity(
      'deviceSwitched',
      `Switched ${kind === 'audio' ? 'microphone' : 'camera'} to ${track.label}`,
    );
  },
  error: (message) => notices.error(message),
});
const banners = new CallBanners(byId('banners'), (conversationId) => void enterCall(conversationId, 'join'));
const incoming = new IncomingCallView({
  onAccept: (call) => void enterCall(call.conversationId, 'join'),
  onDecline: (call) => void decline(call.conversationId),
});

let directory: DemoDirectory | undefined;
let session: Session | undefined;
/** The call the call view shows (set before the SDK has joined: we may still be asking the control plane or for the camera). */
let shownCall: string | undefined;
let localStream: MediaStream | undefined;
/** Calls that started or ended since sign-in: their events are newer than any status looked up meanwhile. */
const callsWithNews = new Set<string>();

byId('leave').addEventListener('click', () => {
  session?.client.leave();
  closeCallView();
});
byId('sign-out').addEventListener('click', () => {
  rememberUser(undefined);
  location.reload();
});

function listen(client: GroupCallClient, socket: GroupCallSocket): void {
  client.on('incomingCall', (call) => {
    notices.activity('incomingCall', `${call.callerInfo.name} is calling ${call.conversationInfo.name}`);
    if (shownCall !== call.conversationId) incoming.show(call);
  });
  client.on('ringStopped', ({ conversationId, reason }) => {
    notices.activity('ringStopped', `Stopped ringing for ${nameOf(conversationId)} (${reason})`);
    incoming.hide(conversationId);
  });
  client.on('callStarted', ({ conversationInfo }) => {
    callsWithNews.add(conversationInfo.id);
    notices.activity('callStarted', `A call started in ${conversationInfo.name}`);
    banners.started(conversationInfo);
  });
  client.on('callEnded', ({ conversationId }) => {
    callsWithNews.add(conversationId);
    notices.activity('callEnded', `The call in ${conversationId} ended`);
    banners.ended(conversationId);
    incoming.hide(conversationId);
  });
  client.on('error', ({ message }) => notices.error(message));
  client.on('trackAdded', (added) => {
    notices.activity(
      'trackAdded',
      `Receiving ${added.participantInfo?.name ?? 'a participant'}'s ${added.kind}`,
    );
    tiles.addTrack(added);
  });
  client.on('trackRemoved', (removed) => tiles.removeTrack(removed));
  client.on('trackPaused', ({ producerId }) => tiles.setPaused(producerId, true));
  client.on('trackResumed', ({ producerId }) => tiles.setPaused(producerId, false));
  client.on('activeSpeaker', ({ socketId }) =>
    tiles.setActiveSpeaker(socketId === socket.id ? 'local' : socketId),
  );
  client.on('participantLeft', ({ socketId, participantInfo }) => {
    notices.activity('participantLeft', `${participantInfo?.name ?? 'A participant'} left`);
    tiles.removeParticipant(socketId);
  });
  client.on('stateChange', ({ state }) => {
    notices.activity('stateChange', stateLabels[state]);
    byId('call-state').textContent = stateLabels[state];
    byId('call').dataset.state = state;
    if (state === 'idle') closeCallView();
  });
  socket.on('connect', () => notices.activity('connection', 'Connected to the server'));
  socket.on('disconnect', (reason) => notices.activity('connection', `Disconnected (${reason})`));
  socket.on('connect_error', (error) => {
    // While active, Socket.IO keeps retrying on its own; inactive means the server refused us.
    if (socket.active) notices.activity('connection', `Cannot reach the server (${error.message})`);
    else notices.error(`The server refused the connection: ${error.message}. Sign out and in again.`);
  });
}

/**
 * Starts a call (rings the group) or joins the one going on, through the
 * control plane, then enters its media with the ticket it gave; leaves the
 * current call first.
 */
async function enterCall(conversationId: string, how: 'join'): Promise<void>;
async function enterCall(conversationId: string, how: 'start', callType: CallType): Promise<void>;
async function enterCall(conversationId: string, how: 'start' | 'join', callType?: CallType): Promise<void> {
  const current = session;
  if (!current || shownCall === conversationId) return;
  const { api, client, user } = current;
  client.leave();
  incoming.hide(conversationId);
  openCallView(conversationId);

  // Ask first: starting rings everyone at once, joining stops this user's other devices ringing,
  // and the answer says whether the call is audio or video before the browser opens devices.
  let admission: Awaited<ReturnType<ControlPlaneApi['joinCall']>>;
  try {
    if (how === 'start') {
      const started = await api.startCall(conversationId, callType);
      if (!started.created)
        notices.activity(
          'callStatus',
          `A call was already going on in ${nameOf(conversationId)}: joining it`,
        );
      admission = started;
    } else {
      admission = await api.joinCall(conversationId);
    }
  } catch (error) {
    notices.error(`Could not ${how} the call in ${nameOf(conversationId)}: ${describe(error)}`);
    if (shownCall === conversationId) closeCallView();
    return;
  }
  const admittedAt = Date.now();
  if (admission.endpoint.path !== sameOrigin.path) {
    notices.error(`The call is hosted at ${admission.endpoint.path}, which this demo page cannot reach`);
    if (shownCall === conversationId) closeCallView();
    return;
  }

  const stream = await acquireLocalMedia(admission.callType);
  if (shownCall !== conversationId) {
    // Left (or switched calls) while the browser was asking for the devices.
    for (const track of stream.getTracks()) track.stop();
    return;
  }
  localStream = stream;
  reportMissingDevices(stream, admission.callType);
  showLocalPreview(user, stream);
  void controls.reset(stream);

  try {
    await client.joinCall(conversationId, {
      tracks: stream.getTracks(),
      // Tickets last about 2 minutes; a slow permission prompt may have used most of it.
      ...(Date.now() - admittedAt < ticketReuseMs && { ticket: admission.ticket }),
      // Rejoining (after the server lost the call's media, or a reconnection) needs a fresh ticket.
      // The answer's TURN servers (fresh credentials) come with it.
      renewTicket: () => api.joinCall(conversationId),
      iceServers: admission.iceServers,
    });
  } catch (error) {
    if (error instanceof JoinCancelledError) return;
    notices.error(`Could not join the call: ${describe(error)}`);
    if (shownCall === conversationId && !client.conversationId) closeCallView();
  }
}

function showLocalPreview(user: DemoUser, stream: MediaStream): void {
  tiles.showLocal({ userId: user.id, name: userName(user), avatarUrl: user.avatar }, stream);
}

/** Declines through the control plane: this user's other devices stop ringing too. */
async function decline(conversationId: string): Promise<void> {
  const current = session;
  if (!current) return;
  try {
    await current.api.decline(conversationId);
    notices.activity('declined', `Declined the call in ${nameOf(conversationId)}`);
  } catch (error) {
    notices.error(`Could not decline the call in ${nameOf(conversationId)}: ${describe(error)}`);
  }
}

/** After a (re)load nothing announces calls that are already going on: ask the control plane. */
async function showCallsInProgress({ api, user }: Session): Promise<void> {
  if (!directory) return;
  const conversations = conversationsOf(directory, user.id);
  const statuses = await Promise.allSettled(conversations.map((c) => api.callStatus(c.id)));
  statuses.forEach((status, index) => {
    const conversation = conversations[index];
    if (!conversation) return;
    const name = conversationName(conversation);
    if (status.status === 'rejected') {
      notices.error(`Could not look up calls in ${name}: ${describe(status.reason)}`);
      return;
    }
    if (!status.value.active || callsWithNews.has(conversation.id)) return;
    const { participants } = status.value;
    notices.activity('callStatus', `A call is in progress in ${name} (${participants} in it)`);
    banners.started({ id: conversation.id, name, avatar: conversation.avatar });
  });
  // Tests wait for this before concluding that no banner is due.
  byId('banners').dataset.callsChecked = 'true';
}

function reportMissingDevices(stream: MediaStream, callType: CallType): void {
  const hasAudio = stream.getAudioTracks().length > 0;
  const hasVideo = stream.getVideoTracks().length > 0;
  if (!hasAudio && !hasVideo)
    notices.error('No microphone or camera available: you can only listen and watch.');
  else if (!hasAudio) notices.error('No microphone available: joining with video only.');
  else if (callType === 'video' && !hasVideo) notices.error('No camera available: joining with audio only.');
}

function openCallView(conversationId: string): void {
  shownCall = conversationId;
  byId('call-title').textContent = nameOf(conversationId);
  byId('call').dataset.conversationId = conversationId;
  byId('call').hidden = false;
  byId('home').hidden = true;
  banners.setCurrentCall(conversationId);
}

function closeCallView(): void {
  if (shownCall === undefined) return;
  shownCall = undefined;
  for (const track of localStream?.getTracks() ?? []) track.stop();
  localStream = undefined;
  tiles.clear();
  byId('call').hidden = true;
  byId('home').hidden = false;
  banners.setCurrentCall(undefined);
}

async function signIn(user: DemoUser): Promise<void> {
  byId('user-picker').hidden = true;
  let token: string;
  try {
    token = await fetchDevToken(user.id);
  } catch (error) {
    notices.error(`Could not sign in as ${userName(user)}: ${describe(error)}`);
    rememberUser(undefined);
    byId('user-picker').hidden = false;
    return;
  }
  rememberUser(user.id);
  const api = new ControlPlaneApi({ baseUrl: location.origin, getAccessToken: async () => token });
  // A function, so the SDK asks for a fresh token to renew it before it expires.
  const socket = openCallSocket(sameOrigin, {
    accessToken: async () => {
      token = await fetchDevToken(user.id);
      return token;
    },
  });
  const client = new GroupCallClient(socket);
  session = { user, api, client };
  window.groupCallDemo = { client, api };
  listen(client, socket);
  // The server checks it against the token's user.
  client.join(user.id);

  byId('me').replaceChildren(avatar(userName(user), user.avatar), el('span', {}, userName(user)));
  byId('sign-out').hidden = false;
  byId('home').hidden = false;
  renderConversations(user);
  await showCallsInProgress(session);
}

function renderUserPicker(users: DemoUser[]): void {
  const items = users.map((user) => {
    const pick = el(
      'button',
      { type: 'button', class: 'pick', 'data-testid': 'pick-user', 'data-user-id': user.id },
      avatar(userName(user), user.avatar),
      userName(user),
    );
    pick.addEventListener('click', () => void signIn(user));
    return el('li', { class: 'card' }, pick);
  });
  byId('users').replaceChildren(...items);
}

function renderConversations(user: DemoUser): void {
  if (!directory) return;
  const names = new Map(directory.users.map((u) => [u.id, userName(u)]));
  const items = conversationsOf(directory, user.id).map((conversation) => {
    const startButton = (callType: CallType, label: string) => {
      const button = el('button', { type: 'button', 'data-testid': `start-${callType}-call` }, label);
      button.addEventListener('click', () => void enterCall(conversation.id, 'start', callType));
      return button;
    };
    const members = conversation.members.map((id) => names.get(id) ?? `User ${id}`).join(', ');
    return el(
      'li',
      { class: 'card', 'data-testid': 'conversation', 'data-conversation-id': conversation.id },
      avatar(conversationName(conversation), conversation.avatar),
      el('div', { class: 'grow' }, conversationName(conversation), el('small', {}, members)),
      startButton('video', 'Video call'),
      startButton('audio', 'Audio call'),
    );
  });
  byId('conversations').replaceChildren(...items);
}

function nameOf(conversationId: string): string {
  const conversation = directory?.conversations.find((c) => c.id === conversationId);
  return conversation ? conversationName(conversation) : conversationId;
}

function describe(error: unknown): string {
  if (error instanceof ControlPlaneError) return `${error.message} (${error.code})`;
  return error instanceof Error ? error.message : String(error);
}

try {
  directory = await loadDirectory();
  renderUserPicker(directory.users);
  const remembered = directory.users.find((user) => user.id === rememberedUserId());
  if (remembered) await signIn(remembered);
} catch (error) {
  notices.error(describe(error));
}
