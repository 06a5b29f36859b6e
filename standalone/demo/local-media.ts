import type { CallType } from '@groupcall/client';

/** Small video keeps a several-party call cheap for the browser and the SFU. */
const videoConstraints: MediaTrackConstraints = {
  width: { ideal: 320 },
  height: { ideal: 240 },
  frameRate: { ideal: 15, max: 15 },
};

/**
 * The camera and microphone for a call: whatever the device can give, so a
 * participant without a camera (or a microphone) still joins. An empty
 * stream means the participant only receives.
 */
export async function acquireLocalMedia(callType: CallType): Promise<MediaStream> {
  const attempts: MediaStreamConstraints[] =
    callType === 'video'
      ? [{ audio: true, video: videoConstraints }, { audio: true }, { video: videoConstraints }]
      : [{ audio: true }];
  for (const constraints of attempts) {
    try {
      return await navigator.mediaDevices.getUserMedia(constraints);
    } catch {
      // No such device or no permission for it: try with less.
    }
  }
  return new MediaStream();
}
