// The container image's HEALTHCHECK: `GET /health/live` on the gateway's own port; exit 0 on a 200, 1 otherwise.
//
// Docker runs a HEALTHCHECK inside the container. The image has no curl or wget, and its entry point needs no shell,
// so the probe is this static program, built in the image's build stage (see Dockerfile) and tested by
// scripts/check-deploy against a running gateway. It reads PORT and HOST from the container's environment as the
// gateway does: PORT defaults to 8080; HOST unset, 0.0.0.0 or a host name means 127.0.0.1, and :: means ::1.
// Only IP literals are used, so the static binary never needs glibc's resolver (NSS cannot be linked statically).
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static int fail(const char *what) {
    fprintf(stderr, "healthcheck: %s: %s\n", what, strerror(errno));
    return 1;
}

int main(void) {
    // A backstop under Docker's own --timeout: SIGALRM's default action ends the process with a non-zero status.
    alarm(5);

    const char *port_text = getenv("PORT");
    char *end = NULL;
    long port = (port_text && *port_text) ? strtol(port_text, &end, 10) : 8080;
    if ((end && *end) || port <= 0 || port > 65535) {
        fprintf(stderr, "healthcheck: PORT=%s is not a TCP port\n", port_text);
        return 1;
    }

    const char *host = getenv("HOST");
    struct sockaddr_storage address;
    memset(&address, 0, sizeof address);
    socklen_t length;
    struct sockaddr_in *v4 = (struct sockaddr_in *)&address;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&address;
    if (host && strcmp(host, "::") == 0) host = "::1";
    if (host && inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((unsigned short)port);
        length = sizeof *v6;
    } else {
        if (!host || strcmp(host, "0.0.0.0") == 0 || inet_pton(AF_INET, host, &v4->sin_addr) != 1) {
            inet_pton(AF_INET, "127.0.0.1", &v4->sin_addr);
        }
        v4->sin_family = AF_INET;
        v4->sin_port = htons((unsigned short)port);
        length = sizeof *v4;
    }

    int fd = socket(address.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return fail("socket");
    // On Linux SO_SNDTIMEO also bounds connect(2).
    struct timeval timeout = {.tv_sec = 2, .tv_usec = 0};
    if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout) != 0) return fail("setsockopt");
    if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout) != 0) return fail("setsockopt");
    if (connect(fd, (struct sockaddr *)&address, length) != 0) return fail("connect");

    static const char request[] = "GET /health/live HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    size_t sent = 0;
    while (sent < sizeof request - 1) {
        ssize_t n = send(fd, request + sent, sizeof request - 1 - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return fail("send");
        sent += (size_t)n;
    }

    // The status line is all that is needed: "HTTP/1.1 200 OK".
    char status[13];
    size_t received = 0;
    while (received < sizeof status - 1) {
        ssize_t n = recv(fd, status + received, sizeof status - 1 - received, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return fail("recv");
        if (n == 0) break;
        received += (size_t)n;
    }
    status[received] = '\0';
    close(fd);
    if (received == sizeof status - 1 && strncmp(status, "HTTP/1.", 7) == 0 && strcmp(status + 8, " 200") == 0) {
        return 0;
    }
    fprintf(stderr, "healthcheck: /health/live answered \"%s\", not 200\n", status);
    return 1;
}
