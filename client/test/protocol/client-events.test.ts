import { describe, expect, it } from 'vitest';
import {
  ConnectTransportPayloadSchema,
  ConsumeAckSchema,
  ConsumePayloadSchema,
  CreateRoomAckSchema,
  CreateRoomPayloadSchema,
  CreateTransportAckSchema,
  CreateTransportPayloadSchema,
  ErrorAckSchema,
  GetProducersAckSchema,
  GroupCallInitiatePayloadSchema,
  JoinPayloadSchema,
  ProduceAckSchema,
  ProducePayloadSchema,
  ResumeConsumerPayloadSchema,
  SuccessAckSchema,
} from '../../src/protocol/index.ts';
import { guide } from './guide-examples.ts';

describe('client → server payloads', () => {
  it('join accepts the guide string id and numeric ids, as a string', () => {
    expect(JoinPayloadSchema.parse('42')).toBe('42');
    expect(JoinPayloadSchema.parse(42)).toBe('42');
  });

  it('join rejects empty, oversized, non-id and structured values', () => {
    for (const bad of [
      '',
      'x'.repeat(129),
      'a b',
      '<script>',
      -1,
      1.5,
      null,
      undefined,
      { id: '42' },
      ['42'],
    ]) {
      expect(JoinPayloadSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('group_call_initiate accepts the guide example and defaults callType to video', () => {
    expect(GroupCallInitiatePayloadSchema.parse(guide.groupCallInitiate)).toEqual(guide.groupCallInitiate);
    const { callType: _omitted, ...withoutType } = guide.groupCallInitiate;
    expect(GroupCallInitiatePayloadSchema.parse(withoutType).callType).toBe('video');
  });

  it('group_call_initiate rejects missing ids and unknown call types', () => {
    const { callerId: _c, ...noCaller } = guide.groupCallInitiate;
    const { conversationId: _v, ...noConversation } = guide.groupCallInitiate;
    for (const bad of [
      noCaller,
      noConversation,
      { ...guide.groupCallInitiate, callType: 'screen' },
      { ...guide.groupCallInitiate, conversationId: 7 },
      { ...guide.groupCallInitiate, conversationId: 'c'.repeat(500) },
    ]) {
      expect(GroupCallInitiatePayloadSchema.safeParse(bad).success).toBe(false);
    }
  });

  it('createRoom requires a roomId and bounds the optional ticket', () => {
    expect(CreateRoomPayloadSchema.parse(guide.createRoom)).toEqual(guide.createRoom);
    expect(CreateRoomPayloadSchema.safeParse({}).success).toBe(false);
    expect(CreateRoomPayloadSchema.safeParse({ roomId: '' }).success).toBe(false);
    expect(CreateRoomPayloadSchema.safeParse({ roomId: 'abc', ticket: 't'.repeat(9000) }).success).toBe(
      false,
    );
  });

  it('createTransport accepts send and recv, defaults to send, rejects other directions', () => {
    expect(CreateTransportPayloadSchema.parse({ type: 'recv' }).type).toBe('recv');
    expect(CreateTransportPayloadSchema.parse({}).type).toBe('send');
    expect(CreateTransportPayloadSchema.safeParse({ type: 'both' }).success).toBe(false);
  });

  it('connectTransport accepts mediasoup-client dtlsParameters and rejects malformed ones', () => {
    expect(ConnectTransportPayloadSchema.parse(guide.connectTransport)).toEqual(guide.connectTransport);
    const { dtlsParameters } = guide.connectTransport;
    for (const bad of [
      { transportId: guide.connectTransport.transportId },
      { ...guide.connectTransport, dtlsParameters: { ...dtlsParameters, fingerprints: [] } },
      { ...guide.connectTransport, dtlsParameters: { ...dtlsParameters, role: 'master' } },
      {
        ...guide.connectTransport,
        dtlsParameters: { fingerprints: Array(9).fill(dtlsParameters.fingerprints[0]) },
      },
    ]) {
      expect(ConnectTransportPayloadSchema.safeParse(bad).success).toBe(false);
    }
  });

  it('produce accepts real mediasoup-client rtpParameters for audio and video', () => {
    expect(ProducePayloadSchema.parse(guide.produceAudio)).toEqual(guide.produceAudio);
    expect(ProducePayloadSchema.parse(guide.produceVideo)).toEqual(guide.produceVideo);
  });

  it('produce rejects wrong kinds, empty codecs, nested codec parameters and too many encodings', () => {
    const { rtpParameters } = guide.produceVideo;
    const codec = rtpParameters.codecs[0];
    for (const bad of [
      { ...guide.produceVideo, kind: 'data' },
      { ...guide.produceVideo, rtpParameters: { ...rtpParameters, codecs: [] } },
      {
        ...guide.produceVideo,
        rtpParameters: { ...rtpParameters, codecs: [{ ...codec, parameters: { deep: { er: 1 } } }] },
      },
      {
        ...guide.produceVideo,
        rtpParameters: { ...rtpParameters, encodings: Array(9).fill({ ssrc: 1 }) },
      },
      {
        ...guide.produceVideo,
        rtpParameters: { ...rtpParameters, codecs: [{ ...codec, payloadType: 300 }] },
      },
    ]) {
      expect(ProducePayloadSchema.safeParse(bad).success).toBe(false);
    }
  });

  it('consume accepts a device rtpCapabilities and rejects a missing producerId or bad capabilities', () => {
    expect(ConsumePayloadSchema.parse(guide.consume)).toEqual(guide.consume);
    const { producerId: _p, ...noProducer } = guide.consume;
    expect(ConsumePayloadSchema.safeParse(noProducer).success).toBe(false);
    expect(ConsumePayloadSchema.safeParse({ ...guide.consume, rtpCapabilities: 'all' }).success).toBe(false);
    expect(
      ConsumePayloadSchema.safeParse({
        ...guide.consume,
        rtpCapabilities: { codecs: Array(65).fill(guide.consume.rtpCapabilities.codecs[0]) },
      }).success,
    ).toBe(false);
  });

  it('resumeConsumer requires a consumerId string', () => {
    expect(ResumeConsumerPayloadSchema.parse({ consumerId: 'c1' })).toEqual({ consumerId: 'c1' });
    expect(ResumeConsumerPayloadSchema.safeParse({ consumerId: 5 }).success).toBe(false);
    expect(ResumeConsumerPayloadSchema.safeParse({ consumerId: 'c'.repeat(65) }).success).toBe(false);
  });
});

describe('acks', () => {
  it('accept the guide response shapes', () => {
    expect(CreateRoomAckSchema.parse(guide.createRoomAck)).toEqual(guide.createRoomAck);
    expect(CreateTransportAckSchema.parse(guide.createTransportAck)).toEqual(guide.createTransportAck);
    expect(SuccessAckSchema.parse({ success: true })).toEqual({ success: true });
    expect(ProduceAckSchema.parse({ id: 'p1' })).toEqual({ id: 'p1' });
    expect(ConsumeAckSchema.parse(guide.consumeAck)).toEqual(guide.consumeAck);
    expect(GetProducersAckSchema.parse(guide.getProducersAck)).toEqual(guide.getProducersAck);
    expect(ErrorAckSchema.parse({ error: 'Join first with your user ID' })).toBeTruthy();
  });

  it('reject malformed responses', () => {
    expect(CreateTransportAckSchema.safeParse({ id: 't1' }).success).toBe(false);
    expect(SuccessAckSchema.safeParse({ success: false }).success).toBe(false);
    expect(
      GetProducersAckSchema.safeParse({ producers: [{ id: 'p', kind: 'screen', socketId: 's' }] }).success,
    ).toBe(false);
    expect(ErrorAckSchema.safeParse({ error: 42 }).success).toBe(false);
  });
});
