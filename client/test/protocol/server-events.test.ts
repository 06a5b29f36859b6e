import { describe, expect, it } from 'vitest';
import {
  CallerInfoSchema,
  ClientEvent,
  ConversationInfoSchema,
  callerInfoId,
  ErrorMessage,
  GroupCallEndedSchema,
  GroupCallErrorSchema,
  GroupCallIncomingSchema,
  GroupCallStartedSchema,
  NewProducerSchema,
  ParticipantInfoSchema,
  ParticipantLeftSchema,
  ServerEvent,
} from '../../src/protocol/index.ts';
import { guide } from './guide-examples.ts';

describe('server → client payloads', () => {
  it('accept the guide examples', () => {
    expect(GroupCallIncomingSchema.parse(guide.groupCallIncoming)).toEqual(guide.groupCallIncoming);
    const started = {
      conversationId: 'conv_abc123',
      conversationInfo: guide.groupCallIncoming.conversationInfo,
      callerInfo: guide.groupCallIncoming.callerInfo,
    };
    expect(GroupCallStartedSchema.parse(started)).toEqual(started);
    const { callerInfo: _c, ...fromCreateRoom } = started;
    expect(GroupCallStartedSchema.parse(fromCreateRoom)).toEqual(fromCreateRoom);
    expect(GroupCallEndedSchema.parse({ conversationId: 'abc123' })).toEqual({ conversationId: 'abc123' });
    expect(GroupCallErrorSchema.parse({ message: 'You are not in this group' })).toBeTruthy();
    expect(NewProducerSchema.parse(guide.newProducer)).toEqual(guide.newProducer);
    expect(ParticipantLeftSchema.parse({ socketId: 'sKx1' })).toEqual({ socketId: 'sKx1' });
  });

  it('allow a null avatar but not a missing one', () => {
    expect(ParticipantInfoSchema.parse({ userId: '6', name: 'Frank', avatar: null }).avatar).toBeNull();
    expect(ConversationInfoSchema.safeParse({ id: 'c', name: 'Group Call' }).success).toBe(false);
    expect(CallerInfoSchema.safeParse({ id: 42, name: 'Alice', avatar: 7 }).success).toBe(false);
  });

  it('reject malformed payloads', () => {
    const { callerInfo: _c, ...noCaller } = guide.groupCallIncoming;
    expect(GroupCallIncomingSchema.safeParse(noCaller).success).toBe(false);
    expect(NewProducerSchema.safeParse({ ...guide.newProducer, kind: 'screen' }).success).toBe(false);
    expect(GroupCallErrorSchema.safeParse({ message: 'x'.repeat(2000) }).success).toBe(false);
    expect(ParticipantLeftSchema.safeParse({}).success).toBe(false);
  });

  it('callerInfo.id is a number for numeric user ids, as in the seed', () => {
    expect(callerInfoId('42')).toBe(42);
    expect(callerInfoId('user-7')).toBe('user-7');
  });
});

describe('names', () => {
  it('keep the guide event names and error strings verbatim', () => {
    expect(Object.values(ClientEvent)).toEqual([
      'join',
      'group_call_initiate',
      'createRoom',
      'createTransport',
      'connectTransport',
      'produce',
      'getProducers',
      'consume',
      'resumeConsumer',
      'leaveRoom',
      'restartIce',
      'renewToken',
      'resume',
      'pauseProducer',
      'resumeProducer',
      'closeProducer',
      'setConsumerPreferredLayers',
      'pauseConsumer',
      'setConsumerPriority',
    ]);
    expect(ServerEvent.groupCallIncoming).toBe('group_call_incoming');
    expect(ServerEvent.participantLeft).toBe('participantLeft');
    expect(ErrorMessage.joinFirst).toBe('Join first with your user ID');
    expect(ErrorMessage.rtpCapabilitiesMismatch).toBe('RTP capabilities mismatch');
  });
});
