import type { Device, types } from 'mediasoup-client';
import type { TransportDirection } from '../protocol/primitives.ts';
import { MediaSourceSchema } from '../protocol/track-events.ts';
import type { SocketRequest } from './socket-request.ts';
import { toDeviceDtlsParameters, toWireRtpParameters } from './wire-media.ts';

/**
 * Asks the server for a WebRTC transport and builds its mediasoup-client
 * counterpart, wired to the signalling the guide prescribes: the first
 * `connect` sends our DTLS parameters (`connectTransport`), and on a send
 * transport each `produce` registers the producer with the server, whose id
 * the local producer then takes.
 */
export async function createTransport(
  request: SocketRequest,
  loadedDevice: Promise<Device>,
  direction: TransportDirection,
  iceServers: readonly RTCIceServer[] = [],
): Promise<types.Transport> {
  // The server's transport does not need our Device: asked for while it loads.
  const { id, iceParameters, iceCandidates, dtlsParameters } = await request('createTransport', {
    type: direction,
  });
  const device = await loadedDevice;
  const options: types.TransportOptions = {
    id,
    iceParameters,
    // The guide's candidates name the address `ip` (mediasoup 3.12's name; the
    // server now sends `address` too); mediasoup-client reads `address`.
    iceCandidates: iceCandidates.map((candidate) => ({ ...candidate, address: candidate.ip })),
    dtlsParameters: toDeviceDtlsParameters(dtlsParameters),
    // TURN (from the admission answer) for networks that block UDP and the media ports.
    iceServers: [...iceServers],
  };
  const transport =
    direction === 'send' ? device.createSendTransport(options) : device.createRecvTransport(options);

  transport.on('connect', ({ dtlsParameters }, callback, errback) => {
    request('connectTransport', { transportId: transport.id, dtlsParameters }).then(
      () => callback(),
      errback,
    );
  });
  if (direction === 'send') {
    transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
      const source = MediaSourceSchema.safeParse(appData.source);
      request('produce', {
        transportId: transport.id,
        kind,
        rtpParameters: toWireRtpParameters(rtpParameters),
        ...(source.success ? { appData: { source: source.data } } : {}),
      }).then(({ id: producerId }) => callback({ id: producerId }), errback);
    });
  }
  return transport;
}
