import type { GroupCallClient } from '@groupcall/client';
import { byId, el } from './dom.ts';

export interface CallControlsHooks {
  /** The current call's client and local stream, when in a call. */
  current(): { client: GroupCallClient; stream: MediaStream } | undefined;
  /** Our microphone or camera went off or on (our tile shows it). */
  pausedChanged(kind: 'audio' | 'video', paused: boolean): void;
  /** A device switch gave a new local track of `kind` (our preview shows it). */
  trackSwitched(kind: 'audio' | 'video', track: MediaStreamTrack): void;
  error(message: string): void;
}

/**
 * The call's own controls: microphone and camera on/off, screen sharing, and
 * pickers for the microphone and camera in use (switched without
 * renegotiating, through the SDK's switchTrack).
 */
export class CallControls {
  readonly #hooks: CallControlsHooks;
  readonly #mic = byId<HTMLButtonElement>('toggle-mic');
  readonly #camera = byId<HTMLButtonElement>('toggle-camera');
  readonly #screen = byId<HTMLButtonElement>('toggle-screen');
  readonly #micPicker = byId<HTMLSelectElement>('mic-picker');
  readonly #cameraPicker = byId<HTMLSelectElement>('camera-picker');
  #micOn = true;
  #cameraOn = true;
  #sharing = false;

  constructor(hooks: CallControlsHooks) {
    this.#hooks = hooks;
    this.#mic.addEventListener('click', () => void this.#toggle('audio'));
    this.#camera.addEventListener('click', () => void this.#toggle('video'));
    this.#screen.addEventListener('click', () => void this.#toggleScreen());
    this.#micPicker.addEventListener('change', () => void this.#switch('audio', this.#micPicker.value));
    this.#cameraPicker.addEventListener('change', () => void this.#switch('video', this.#cameraPicker.value));
  }

  /** A call starts with this stream: everything on, pickers listing the devices. */
  async reset(stream: MediaStream): Promise<void> {
    this.#micOn = true;
    this.#cameraOn = true;
    this.#sharing = false;
    this.#mic.disabled = stream.getAudioTracks().length === 0;
    this.#camera.disabled = stream.getVideoTracks().length === 0;
    this.#render();
    await this.#listDevices(stream);
  }

  async #toggle(kind: 'audio' | 'video'): Promise<void> {
    const current = this.#hooks.current();
    if (!current) return;
    const on = !(kind === 'audio' ? this.#micOn : this.#cameraOn);
    try {
      if (kind === 'audio') await current.client.setMicrophoneEnabled(on);
      else await current.client.setCameraEnabled(on);
    } catch (error) {
      this.#hooks.error(
        `Could not turn the ${kind === 'audio' ? 'microphone' : 'camera'} ${on ? 'on' : 'off'}: ${messageOf(error)}`,
      );
      return;
    }
    if (kind === 'audio') this.#micOn = on;
    else this.#cameraOn = on;
    this.#hooks.pausedChanged(kind, !on);
    this.#render();
  }

  async #toggleScreen(): Promise<void> {
    const current = this.#hooks.current();
    if (!current) return;
    try {
      if (this.#sharing) {
        await current.client.stopScreenShare();
        this.#sharing = false;
      } else {
        const track = await current.client.shareScreen();
        this.#sharing = true;
        // The browser's own "Stop sharing" ends the track; the SDK stops the share.
        track.addEventListener('ended', () => {
          this.#sharing = false;
          this.#render();
        });
      }
    } catch (error) {
      this.#hooks.error(`Could not ${this.#sharing ? 'stop' : 'share'} the screen: ${messageOf(error)}`);
    }
    this.#render();
  }

  async #switch(kind: 'audio' | 'video', deviceId: string): Promise<void> {
    const current = this.#hooks.current();
    if (!current || !deviceId) return;
    try {
      const constraints = { deviceId: { exact: deviceId } };
      const picked = await navigator.mediaDevices.getUserMedia(
        kind === 'audio' ? { audio: constraints } : { video: { ...constraints, width: 640, height: 360 } },
      );
      const [track] = kind === 'audio' ? picked.getAudioTracks() : picked.getVideoTracks();
      if (!track) return;
      await current.client.switchTrack(kind === 'audio' ? 'mic' : 'camera', track);
      for (const old of kind === 'audio'
        ? current.stream.getAudioTracks()
        : current.stream.getVideoTracks()) {
        old.stop();
        current.stream.removeTrack(old);
      }
      current.stream.addTrack(track);
      this.#hooks.trackSwitched(kind, track);
    } catch (error) {
      this.#hooks.error(
        `Could not switch the ${kind === 'audio' ? 'microphone' : 'camera'}: ${messageOf(error)}`,
      );
    }
  }

  /** Device labels are only readable once the page has a stream, so list them after getUserMedia. */
  async #listDevices(stream: MediaStream): Promise<void> {
    const devices = await navigator.mediaDevices.enumerateDevices().catch(() => []);
    const inUse = (kind: 'audio' | 'video') =>
      (kind === 'audio' ? stream.getAudioTracks() : stream.getVideoTracks())[0]?.getSettings().deviceId;
    for (const [picker, kind, deviceKind] of [
      [this.#micPicker, 'audio', 'audioinput'],
      [this.#cameraPicker, 'video', 'videoinput'],
    ] as const) {
      const options = devices
        .filter((device) => device.kind === deviceKind)
        .map((device, index) =>
          el(
            'option',
            { value: device.deviceId, selected: device.deviceId === inUse(kind) },
            device.label || `${kind === 'audio' ? 'Microphone' : 'Camera'} ${index + 1}`,
          ),
        );
      picker.replaceChildren(...options);
      picker.disabled = options.length < 2;
    }
  }

  #render(): void {
    this.#mic.textContent = this.#micOn ? 'Mute' : 'Unmute';
    this.#mic.setAttribute('aria-pressed', String(!this.#micOn));
    this.#camera.textContent = this.#cameraOn ? 'Camera off' : 'Camera on';
    this.#camera.setAttribute('aria-pressed', String(!this.#cameraOn));
    this.#screen.textContent = this.#sharing ? 'Stop sharing' : 'Share screen';
    this.#screen.setAttribute('aria-pressed', String(this.#sharing));
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
