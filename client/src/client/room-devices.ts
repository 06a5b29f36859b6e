import { Device, detectDevice, type types } from 'mediasoup-client';
import { Chrome74 } from 'mediasoup-client/handlers/Chrome74';
import { Chrome111 } from 'mediasoup-client/handlers/Chrome111';
import { Firefox120 } from 'mediasoup-client/handlers/Firefox120';
import { ReactNative106 } from 'mediasoup-client/handlers/ReactNative106';
import { Safari12 } from 'mediasoup-client/handlers/Safari12';

type NativeDirection = types.HandlerGetNativeRtpCapabilitiesOptions['direction'];

/** Where the mediasoup Device of each room membership comes from. */
export interface DeviceSource {
  /** Gets ready for the next load in the background; settles when ready (it never rejects). */
  warmUp(): Promise<void>;
  /** A Device loaded with a router's capabilities (createRoom's answer). */
  load(routerRtpCapabilities: types.RtpCapabilities): Promise<Device>;
}

/**
 * Loads each room membership's Device from a handler whose native
 * capabilities are asked for once. Loading a Device asks the browser what it
 * can send and receive by negotiating a throwaway RTCPeerConnection per
 * direction: ~120 ms in Chromium, more the first time (the WebRTC stack
 * starts up). What the browser can do does not change while the page lives,
 * so it is asked as soon as a client exists (apps create theirs at startup,
 * long before a call) and every later load only combines that answer with
 * the router's capabilities, which come with `createRoom`: a few
 * milliseconds, whatever codecs the router has.
 */
export class ProbedOnceDevices implements DeviceSource {
  readonly #probe: types.HandlerFactory['getNativeRtpCapabilities'];
  readonly #handler: types.HandlerFactory;
  readonly #native = new Map<NativeDirection, Promise<types.RtpCapabilities>>();

  constructor(handler: types.HandlerFactory) {
    this.#probe = handler.getNativeRtpCapabilities;
    this.#handler = {
      ...handler,
      getNativeRtpCapabilities: ({ direction }) => this.#nativeCapabilities(direction),
    };
  }

  warmUp(): Promise<void> {
    // A failure here is the join's to report: its load asks again.
    return Promise.all([this.#nativeCapabilities('sendonly'), this.#nativeCapabilities('recvonly')]).then(
      () => undefined,
      () => undefined,
    );
  }

  async load(routerRtpCapabilities: types.RtpCapabilities): Promise<Device> {
    const device = new Device({ handlerFactory: this.#handler });
    await device.load({ routerRtpCapabilities });
    return device;
  }

  /** Device.load clones what it gets, so one answer serves every load. */
  #nativeCapabilities(direction: NativeDirection): Promise<types.RtpCapabilities> {
    const known = this.#native.get(direction);
    if (known) return known;
    const asked = this.#probe({ direction });
    this.#native.set(direction, asked);
    // A failure is not kept: the next load asks again.
    asked.catch(() => {
      if (this.#native.get(direction) === asked) this.#native.delete(direction);
    });
    return asked;
  }
}

/** Devices made by the app's own factory, loaded the way mediasoup-client does it (nothing to warm up). */
export class FactoryDevices implements DeviceSource {
  readonly #create: () => Device;

  constructor(create: () => Device) {
    this.#create = create;
  }

  async warmUp(): Promise<void> {}

  async load(routerRtpCapabilities: types.RtpCapabilities): Promise<Device> {
    const device = this.#create();
    await device.load({ routerRtpCapabilities });
    return device;
  }
}

/** mediasoup-client's handler for each browser it detects (as `new Device()` picks it). */
const BROWSER_HANDLERS = {
  Chrome111: Chrome111.createFactory,
  Chrome74: Chrome74.createFactory,
  Firefox120: Firefox120.createFactory,
  Safari12: Safari12.createFactory,
  ReactNative106: ReactNative106.createFactory,
} satisfies Record<types.BuiltinHandlerName, (options: types.HandlerFactoryOptions) => types.HandlerFactory>;

let browserDevices: DeviceSource | undefined;

/**
 * The page's devices for the browser it runs in, shared by every client of
 * the page: the browser is asked once. Where mediasoup-client supports no
 * browser (or there is none), each load fails as `new Device()` would.
 */
export function devicesOfThisBrowser(): DeviceSource {
  if (browserDevices) return browserDevices;
  const handlerName = detectDevice();
  browserDevices = handlerName
    ? new ProbedOnceDevices(BROWSER_HANDLERS[handlerName]({}))
    : new FactoryDevices(() => new Device());
  return browserDevices;
}
