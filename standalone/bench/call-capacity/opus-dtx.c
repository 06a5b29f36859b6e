/*
 * A silent microphone as WebRTC encodes it with Opus DTX, for the grid-call
 * benchmark: reads 48 kHz mono s16le PCM on stdin, encodes 20 ms frames with
 * libopus (VOIP, 32 kbit/s, DTX on) and writes each frame as a 2-byte
 * big-endian length and the frame. ffmpeg 5.1's libopus wrapper has no DTX
 * option, hence this. In DTX, libopus emits frames of at most 2 bytes while
 * the input stays silent, with a real frame every 400 ms; a sender drops the
 * tiny ones (the replay does, as WebRTC does).
 *
 * libopus 1.x's ABI is declared here rather than included, so the runtime
 * library ffmpeg already depends on is enough (no libopus-dev headers).
 */
#include <stdint.h>
#include <stdio.h>

typedef struct OpusEncoder OpusEncoder;
extern OpusEncoder *opus_encoder_create(int32_t fs, int channels, int application, int *error);
extern int opus_encoder_ctl(OpusEncoder *st, int request, ...);
extern int32_t opus_encode(OpusEncoder *st, const int16_t *pcm, int frame_size, unsigned char *data,
                           int32_t max_data_bytes);
#define OPUS_APPLICATION_VOIP 2048
#define OPUS_SET_BITRATE_REQUEST 4002
#define OPUS_SET_DTX_REQUEST 4016
#define FRAME 960 /* 20 ms at 48 kHz */

int main(void) {
  int error = 0;
  OpusEncoder *encoder = opus_encoder_create(48000, 1, OPUS_APPLICATION_VOIP, &error);
  if (!encoder || error != 0) {
    fprintf(stderr, "opus_encoder_create failed: %d\n", error);
    return 1;
  }
  opus_encoder_ctl(encoder, OPUS_SET_BITRATE_REQUEST, (int32_t)32000);
  opus_encoder_ctl(encoder, OPUS_SET_DTX_REQUEST, (int32_t)1);
  int16_t pcm[FRAME];
  unsigned char frame[1500];
  while (fread(pcm, sizeof pcm[0], FRAME, stdin) == FRAME) {
    int32_t n = opus_encode(encoder, pcm, FRAME, frame, sizeof frame);
    if (n < 0) {
      fprintf(stderr, "opus_encode failed: %d\n", n);
      return 1;
    }
    unsigned char length[2] = {(unsigned char)(n >> 8), (unsigned char)(n & 0xff)};
    fwrite(length, 1, 2, stdout);
    fwrite(frame, 1, (size_t)n, stdout);
  }
  return 0;
}
