/*
 * rtxlab-rawesp: ESP as IP protocol 50 for a node process, which has no raw sockets.
 *
 * Usage: rtxlab-rawesp LOCAL_IPV4
 * Opens a raw IPPROTO_ESP socket bound to LOCAL_IPV4 (needs root or CAP_NET_RAW), then relays:
 *   stdin  -> network: frames [4 bytes destination IPv4][2 bytes length, big-endian][ESP packet]
 *   network -> stdout: frames [4 bytes source IPv4][2 bytes length, big-endian][ESP packet]
 * The kernel adds and strips the IPv4 header. Writes "ready\n" to stderr once bound; any failure
 * is one line on stderr and a non-zero exit. Exits when stdin closes.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_PACKET 65535
#define FRAME_HEADER 6

static int write_all(int fd, const unsigned char *data, size_t length) {
  while (length > 0) {
    ssize_t written = write(fd, data, length);
    if (written < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    data += written;
    length -= (size_t)written;
  }
  return 0;
}

/* Bytes buffered from stdin until a whole frame is there. */
static unsigned char in_buffer[FRAME_HEADER + MAX_PACKET];
static size_t in_length = 0;

static void send_frames(int sock) {
  for (;;) {
    if (in_length < FRAME_HEADER) return;
    size_t packet_length = ((size_t)in_buffer[4] << 8) | in_buffer[5];
    if (in_length < FRAME_HEADER + packet_length) return;
    struct sockaddr_in to;
    memset(&to, 0, sizeof to);
    to.sin_family = AF_INET;
    memcpy(&to.sin_addr, in_buffer, 4);
    if (sendto(sock, in_buffer + FRAME_HEADER, packet_length, 0, (struct sockaddr *)&to, sizeof to) < 0) {
      /* One lost packet is not the relay's end: the peer's retransmissions and counters tell. */
      fprintf(stderr, "rtxlab-rawesp: send failed: %s\n", strerror(errno));
    }
    size_t frame = FRAME_HEADER + packet_length;
    memmove(in_buffer, in_buffer + frame, in_length - frame);
    in_length -= frame;
  }
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: rtxlab-rawesp LOCAL_IPV4\n");
    return 2;
  }
  struct sockaddr_in local;
  memset(&local, 0, sizeof local);
  local.sin_family = AF_INET;
  if (inet_pton(AF_INET, argv[1], &local.sin_addr) != 1) {
    fprintf(stderr, "rtxlab-rawesp: not an IPv4 address: %s\n", argv[1]);
    return 2;
  }
  int sock = socket(AF_INET, SOCK_RAW, IPPROTO_ESP);
  if (sock < 0) {
    fprintf(stderr, "rtxlab-rawesp: cannot open a raw ESP socket: %s\n", strerror(errno));
    return 1;
  }
  if (bind(sock, (struct sockaddr *)&local, sizeof local) < 0) {
    fprintf(stderr, "rtxlab-rawesp: cannot bind %s: %s\n", argv[1], strerror(errno));
    return 1;
  }
  fprintf(stderr, "ready\n");
  fflush(stderr);

  static unsigned char datagram[MAX_PACKET];
  static unsigned char frame[FRAME_HEADER + MAX_PACKET];
  struct pollfd fds[2] = {{.fd = 0, .events = POLLIN}, {.fd = sock, .events = POLLIN}};
  for (;;) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return 1;
    }
    if (fds[0].revents & (POLLIN | POLLHUP)) {
      ssize_t got = read(0, in_buffer + in_length, sizeof in_buffer - in_length);
      if (got == 0) return 0;
      if (got < 0 && errno != EINTR) return 1;
      if (got > 0) {
        in_length += (size_t)got;
        send_frames(sock);
      }
    }
    if (fds[1].revents & POLLIN) {
      struct sockaddr_in from;
      socklen_t from_length = sizeof from;
      ssize_t got = recvfrom(sock, datagram, sizeof datagram, 0, (struct sockaddr *)&from, &from_length);
      if (got < 20) continue;
      /* A raw IPv4 socket receives the IP header: skip it (IHL words). */
      size_t header = (size_t)(datagram[0] & 0x0f) * 4;
      if ((datagram[0] >> 4) != 4 || header < 20 || (size_t)got <= header) continue;
      size_t length = (size_t)got - header;
      memcpy(frame, &from.sin_addr, 4);
      frame[4] = (unsigned char)(length >> 8);
      frame[5] = (unsigned char)(length & 0xff);
      memcpy(frame + FRAME_HEADER, datagram + header, length);
      if (write_all(1, frame, FRAME_HEADER + length) < 0) return 1;
    }
  }
}
