import type { CallType } from '@groupcall/client';

/**
 * 640×360 at 15 fps: big enough for the SDK's simulcast to send two layers
 * (receivers on small tiles or short downlinks take the lower one), small
 * enough that several demo tabs on one machine keep up. An app that wants
 * all three layers captures 1280×720.
 */
const videoConstraints: MediaTrackConstraints = {
  width: { ideal: 640 },
  height: { ideal: 360 },
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
