/*
 * rtxlab-netio: what a node process cannot open by itself, relayed over stdin/stdout.
 *
 * Usage: rtxlab-netio esp LOCAL_IPV4
 *   A raw IPPROTO_ESP socket bound to LOCAL_IPV4 (needs root or CAP_NET_RAW):
 *   stdin  -> network: frames [4 bytes destination IPv4][2 bytes length, big-endian][ESP packet]
 *   network -> stdout: frames [4 bytes source IPv4][2 bytes length, big-endian][ESP packet]
 *   The kernel adds and strips the IPv4 header.
 * Usage: rtxlab-netio tun NAME
 *   A TUN device NAME (IFF_TUN | IFF_NO_PI; needs root or CAP_NET_ADMIN), up to whoever
 *   configures its address: frames [4 bytes 0][2 bytes length][IP packet] both ways.
 * Writes "ready\n" to stderr once open; any failure is one line on stderr and a non-zero exit.
 * Exits when stdin closes.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <sys/ioctl.h>
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

/* Each whole frame of in_buffer to `sock` (raw ESP: sendto its address) or `tun` (write). */
static void send_frames(int sock, int tun) {
  for (;;) {
    if (in_length < FRAME_HEADER) return;
    size_t packet_length = ((size_t)in_buffer[4] << 8) | in_buffer[5];
    if (in_length < FRAME_HEADER + packet_length) return;
    if (tun >= 0) {
      if (write(tun, in_buffer + FRAME_HEADER, packet_length) < 0) fprintf(stderr, "rtxlab-netio: tun write failed: %s\n", strerror(errno));
    } else {
      struct sockaddr_in to;
      memset(&to, 0, sizeof to);
      to.sin_family = AF_INET;
      memcpy(&to.sin_addr, in_buffer, 4);
      if (sendto(sock, in_buffer + FRAME_HEADER, packet_length, 0, (struct sockaddr *)&to, sizeof to) < 0) {
        /* One lost packet is not the relay's end: the peer's retransmissions and counters tell. */
        fprintf(stderr, "rtxlab-netio: send failed: %s\n", strerror(errno));
      }
    }
    size_t frame = FRAME_HEADER + packet_length;
    memmove(in_buffer, in_buffer + frame, in_length - frame);
    in_length -= frame;
  }
}

static int open_esp(const char *address) {
  struct sockaddr_in local;
  memset(&local, 0, sizeof local);
  local.sin_family = AF_INET;
  if (inet_pton(AF_INET, address, &local.sin_addr) != 1) {
    fprintf(stderr, "rtxlab-netio: not an IPv4 address: %s\n", address);
    return -1;
  }
  int sock = socket(AF_INET, SOCK_RAW, IPPROTO_ESP);
  if (sock < 0) {
    fprintf(stderr, "rtxlab-netio: cannot open a raw ESP socket: %s\n", strerror(errno));
    return -1;
  }
  if (bind(sock, (struct sockaddr *)&local, sizeof local) < 0) {
    fprintf(stderr, "rtxlab-netio: cannot bind %s: %s\n", address, strerror(errno));
    return -1;
  }
  return sock;
}

static int open_tun(const char *name) {
  if (strlen(name) == 0 || strlen(name) >= IFNAMSIZ) {
    fprintf(stderr, "rtxlab-netio: a TUN device name is 1 to %d characters: %s\n", IFNAMSIZ - 1, name);
    return -1;
  }
  int fd = open("/dev/net/tun", O_RDWR);
  if (fd < 0) {
    fprintf(stderr, "rtxlab-netio: cannot open /dev/net/tun: %s\n", strerror(errno));
    return -1;
  }
  struct ifreq request;
  memset(&request, 0, sizeof request);
  request.ifr_flags = IFF_TUN | IFF_NO_PI;
  strncpy(request.ifr_name, name, IFNAMSIZ - 1);
  if (ioctl(fd, TUNSETIFF, &request) < 0) {
    fprintf(stderr, "rtxlab-netio: cannot create TUN device %s: %s\n", name, strerror(errno));
    return -1;
  }
  return fd;
}

int main(int argc, char **argv) {
  if (argc != 3 || (strcmp(argv[1], "esp") != 0 && strcmp(argv[1], "tun") != 0)) {
    fprintf(stderr, "usage: rtxlab-netio esp LOCAL_IPV4 | rtxlab-netio tun NAME\n");
    return 2;
  }
  int tun = -1;
  int sock = -1;
  if (strcmp(argv[1], "tun") == 0) {
    tun = open_tun(argv[2]);
    if (tun < 0) return 1;
  } else {
    sock = open_esp(argv[2]);
    if (sock < 0) return 1;
  }
  fprintf(stderr, "ready\n");
  fflush(stderr);

  static unsigned char datagram[MAX_PACKET];
  static unsigned char frame[FRAME_HEADER + MAX_PACKET];
  struct pollfd fds[2] = {{.fd = 0, .events = POLLIN}, {.fd = tun >= 0 ? tun : sock, .events = POLLIN}};
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
        send_frames(sock, tun);
      }
    }
    if (fds[1].revents & POLLIN) {
      if (tun >= 0) {
        ssize_t got = read(tun, datagram, sizeof datagram);
        if (got <= 0) continue;
        memset(frame, 0, 4);
        frame[4] = (unsigned char)((size_t)got >> 8);
        frame[5] = (unsigned char)((size_t)got & 0xff);
        memcpy(frame + FRAME_HEADER, datagram, (size_t)got);
        if (write_all(1, frame, FRAME_HEADER + (size_t)got) < 0) return 1;
        continue;
      }
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
