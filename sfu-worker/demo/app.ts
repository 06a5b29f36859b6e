/**
 * The groupcall demo page: pick a user, see your groups, start or join
 * calls, answer incoming ones. Everything call-related goes through the
 * client SDK (GroupCallClient); this file only turns its events into UI.
 */

import {
  type CallState,
  GroupCallClient,
  type GroupCallSocket,
  JoinCancelledError,
} from '@groupcall/shared/client';
import { io } from 'socket.io-client';
import type { CallType } from '../../shared/src/protocol/primitives.ts';
import { CallBanners } from './call-banners.ts';
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

declare global {
  interface Window {
    /** The page's SDK client, for browser tests and for poking at from the console. */
    groupCallDemo?: { client: GroupCallClient };
  }
}

const stateLabels: Record<CallState, string> = {
  idle: 'Not in a call',
  joining: 'Joining…',
  'in-call': 'Connected',
  rejoining: 'Reconnecting…',
};

// Same origin: the sfu-worker serves this page and Socket.IO at /socket.io.
const socket: GroupCallSocket = io();
const client = new GroupCallClient(socket);
window.groupCallDemo = { client };

const notices = new Notices(byId('errors'), byId('activity'));
const tiles = new CallTiles(byId('tiles'));
const banners = new CallBanners(byId('banners'), (conversationId) => void enterCall(conversationId, 'video'));
const incoming = new IncomingCallView((call) => void enterCall(call.conversationId, call.callType));

let directory: DemoDirectory | undefined;
let me: DemoUser | undefined;
/** The call the call view shows (set before the SDK has joined: we may still be asking for the camera). */
let shownCall: string | undefined;
let localStream: MediaStream | undefined;

client.on('incomingCall', (call) => {
  notices.activity('incomingCall', `${call.callerInfo.name} is calling ${call.conversationInfo.name}`);
  if (shownCall !== call.conversationId) incoming.show(call);
});
client.on('ringStopped', ({ conversationId }) => incoming.hide(conversationId));
client.on('callStarted', ({ conversationInfo }) => {
  notices.activity('callStarted', `A call started in ${conversationInfo.name}`);
  banners.started(conversationInfo);
});
client.on('callEnded', ({ conversationId }) => {
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

byId('leave').addEventListener('click', () => {
  client.leave();
  closeCallView();
});

/** Starts a call (rings the group) or joins one; leaves the current call first. */
async function enterCall(conversationId: string, callType: CallType, ring = false): Promise<void> {
  if (!me || shownCall === conversationId) return;
  client.leave();
  incoming.hide(conversationId);
  openCallView(conversationId);

  const stream = await acquireLocalMedia(callType);
  if (shownCall !== conversationId) {
    // Left (or switched calls) while the browser was asking for the devices.
    for (const track of stream.getTracks()) track.stop();
    return;
  }
  localStream = stream;
  reportMissingDevices(stream, callType);
  tiles.showLocal({ userId: me.id, name: userName(me), avatarUrl: me.avatar }, stream);

  if (ring) client.initiate({ conversationId, callType });
  try {
    await client.joinCall(conversationId, { tracks: stream.getTracks() });
  } catch (error) {
    if (error instanceof JoinCancelledError) return;
    notices.error(`Could not join the call: ${error instanceof Error ? error.message : String(error)}`);
    if (shownCall === conversationId && !client.conversationId) closeCallView();
  }
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
  const conversation = directory?.conversations.find((c) => c.id === conversationId);
  byId('call-title').textContent = conversation ? conversationName(conversation) : conversationId;
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

function signIn(user: DemoUser): void {
  me = user;
  client.join(user.id);
  byId('me').replaceChildren(avatar(userName(user), user.avatar), el('span', {}, userName(user)));
  byId('user-picker').hidden = true;
  byId('home').hidden = false;
  renderConversations(user);
}

function renderUserPicker(users: DemoUser[]): void {
  const items = users.map((user) => {
    const pick = el(
      'button',
      { type: 'button', class: 'pick', 'data-testid': 'pick-user', 'data-user-id': user.id },
      avatar(userName(user), user.avatar),
      userName(user),
    );
    pick.addEventListener('click', () => signIn(user));
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
      button.addEventListener('click', () => void enterCall(conversation.id, callType, true));
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

try {
  directory = await loadDirectory();
  renderUserPicker(directory.users);
} catch (error) {
  notices.error(error instanceof Error ? error.message : String(error));
}
