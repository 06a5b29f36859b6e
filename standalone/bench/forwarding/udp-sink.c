/*
 * The consumers' far end for the media benchmarks: UDP sockets on loopback
 * that only count what arrives. Written in C because it is load, not the system
 * under test: a Node sink spends ≈ 12 µs of CPU per datagram (one JS callback
 * each), two thirds of what the Worker it measures spends; recvmmsg in batches
 * costs far less, which matters when the sink has to share the Workers' cores.
 *
 * Prints its ports on one line at start; answers each line on stdin with
 * "rtp rtcp probation bytes"; exits at the end of stdin (its parent is gone).
 * SRTP leaves the RTP header in clear, so RTP and RTCP are told apart by the
 * payload-type byte (RFC 5761: 192..223 is RTCP), and the Worker's bandwidth
 * probation padding by its SSRC (1234), without decrypting.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define SOCKETS 4
#define BATCH 64
#define MAX_DATAGRAM 2048
#define PROBATION_SSRC 1234u

static unsigned long long rtp, rtcp, probation, bytes;
static unsigned char buffers[BATCH][MAX_DATAGRAM];
static struct mmsghdr messages[BATCH];
static struct iovec iovecs[BATCH];

static int open_socket(void) {
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  if (fd < 0) return -1;
  /* 8 MiB absorbs a keyframe burst; FORCE passes rmem_max when root, else the plain limit applies. */
  int size = 8 * 1024 * 1024;
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) != 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = 0};
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, (struct sockaddr *)&address, sizeof address) != 0) return -1;
  return fd;
}

static int port_of(int fd) {
  struct sockaddr_in address;
  socklen_t length = sizeof address;
  getsockname(fd, (struct sockaddr *)&address, &length);
  return ntohs(address.sin_port);
}

static void count(const unsigned char *packet, unsigned int length) {
  bytes += length;
  if (length >= 2 && packet[1] >= 192 && packet[1] <= 223) {
    rtcp++;
  } else if (length >= 12 &&
             ((uint32_t)packet[8] << 24 | (uint32_t)packet[9] << 16 | (uint32_t)packet[10] << 8 | packet[11]) ==
                 PROBATION_SSRC) {
    probation++;
  } else {
    rtp++;
  }
}

static void drain(int fd) {
  for (;;) {
    int received = recvmmsg(fd, messages, BATCH, MSG_DONTWAIT, NULL);
    if (received <= 0) return;
    for (int i = 0; i < received; i++) count(buffers[i], messages[i].msg_len);
    if (received < BATCH) return;
  }
}

/* Answers one count line per request line; 0 when stdin has ended. */
static int answer(void) {
  char request[256];
  ssize_t length = read(STDIN_FILENO, request, sizeof request);
  if (length <= 0) return 0;
  for (ssize_t i = 0; i < length; i++)
    if (request[i] == '\n') printf("%llu %llu %llu %llu\n", rtp, rtcp, probation, bytes);
  fflush(stdout);
  return 1;
}

int main(void) {
  int fds[SOCKETS];
  for (int i = 0; i < BATCH; i++) {
    iovecs[i].iov_base = buffers[i];
    iovecs[i].iov_len = MAX_DATAGRAM;
    messages[i].msg_hdr.msg_iov = &iovecs[i];
    messages[i].msg_hdr.msg_iovlen = 1;
  }
  for (int i = 0; i < SOCKETS; i++) {
    fds[i] = open_socket();
    if (fds[i] < 0) {
      perror("udp-sink: socket");
      return 1;
    }
    printf("%d%c", port_of(fds[i]), i + 1 < SOCKETS ? ' ' : '\n');
  }
  fflush(stdout);
  /*
   * Woken by each datagram, a sink pays a wake-up and a few syscalls per packet
   * (as much as the Worker's send). It sleeps a millisecond between reads
   * instead, waiting only for the parent's requests: the 8 MiB queues hold
   * ~100 ms of a call's packets, and each read takes a batch.
   */
  struct pollfd parent = {.fd = STDIN_FILENO, .events = POLLIN};
  for (;;) {
    int requested = poll(&parent, 1, 1);
    for (int i = 0; i < SOCKETS; i++) drain(fds[i]);
    if (requested > 0 && !answer()) return 0;
  }
}
