import { createRequire } from 'node:module';
import path from 'node:path';
import type { types } from 'mediasoup';
import type { LoopbackListen } from '../harness/bench-mediasoup.ts';
import { forwardingTransport } from '../harness/plain-rtp.ts';

/**
 * A subscriber's receive transport: one SRTP PlainTransport to the UDP sink
 * carrying all it consumes, as the SDK's one receive transport per device,
 * whose outgoing bitrate estimate starts at `initialAvailableOutgoingBitrate`.
 *
 * Why the estimate matters: mediasoup shares a transport's estimated outgoing
 * bitrate among its video consumers (a SimulcastConsumer forwards a layer only
 * if its share covers it) and raises the estimate from the receiver's
 * transport-cc feedback. The sink sends none, so the estimate stays where it
 * starts: at the 600 kbit/s default, a transport carrying every other
 * participant's camera leaves most of them without a layer (measured: 49 of
 * 90 at 10 participants of the grid call). A browser's feedback raises it to
 * its downlink; starting it there keeps transport-cc negotiated, and its
 * pacer's cost measured, as in the product.
 *
 * mediasoup's Worker takes this option for every transport type (it is in
 * the base options every transport is created with), but its Node API passes
 * it for a WebRtcTransport only: createPlainTransport packs it as unset. So
 * it is set on that request as it is packed, for this one call.
 */
export async function receiveTransport(
  router: types.Router,
  listen: LoopbackListen,
  port: number,
  initialAvailableOutgoingBitrate: number,
): Promise<types.PlainTransport> {
  patchPlainTransportRequest();
  pendingBitrate = initialAvailableOutgoingBitrate;
  try {
    // forwardingTransport calls createPlainTransport first, which packs its request before its first await.
    const created = forwardingTransport(router, listen, port);
    if (pendingBitrate !== undefined)
      throw new Error(
        "initialAvailableOutgoingBitrate was not set: the Routers' mediasoup is not the one patched here",
      );
    return await created;
  } finally {
    pendingBitrate = undefined;
  }
}

let pendingBitrate: number | undefined;
let patched = false;

interface PackedRequest {
  options: { base: { initialAvailableOutgoingBitrate: bigint | null } | null } | null;
  pack(builder: unknown): number;
}

/** Sets initialAvailableOutgoingBitrate on the next PlainTransport request packed (mediasoup's own module). */
function patchPlainTransportRequest(): void {
  if (patched) return;
  // The mediasoup the Routers come from: the same file, so the same module instance.
  const lib = path.dirname(createRequire(import.meta.url).resolve('mediasoup'));
  const { CreatePlainTransportRequestT } = createRequire(import.meta.url)(
    path.join(lib, 'fbs', 'router', 'create-plain-transport-request.js'),
  ) as { CreatePlainTransportRequestT: { prototype: PackedRequest } };
  const pack = CreatePlainTransportRequestT.prototype.pack;
  CreatePlainTransportRequestT.prototype.pack = function (this: PackedRequest, builder: unknown) {
    if (pendingBitrate !== undefined && this.options?.base) {
      this.options.base.initialAvailableOutgoingBitrate = BigInt(pendingBitrate);
      pendingBitrate = undefined;
    }
    return pack.call(this, builder);
  };
  patched = true;
}
