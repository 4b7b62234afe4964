/* The control channel's client and framing (see ctl.h): what the CLI,
 * the tests and the conformance suite need to talk to a running parleyd,
 * and the length-prefixed frames the node's server side reads and writes
 * too. Nothing here knows the node's insides. */
#define _GNU_SOURCE /* F_OFD_GETLK */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <msgpack.h>

#include "ctl.h"

void pl_control_request_init(msgpack_sbuffer *sb, msgpack_packer *pk, size_t n, const char *verb)
{
    msgpack_sbuffer_init(sb);
    msgpack_packer_init(pk, sb, msgpack_sbuffer_write);
    msgpack_pack_array(pk, n + 1);
    msgpack_pack_uint64(pk, PL_CONTROL_VERSION);
    msgpack_pack_str(pk, strlen(verb));
    msgpack_pack_str_body(pk, verb, strlen(verb));
}


static int full_io(int fd, uint8_t *b, size_t n, int writing)
{
    size_t off = 0;
    while (off < n) {
        ssize_t r = writing ? write(fd, b + off, n - off) : read(fd, b + off, n - off);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return PL_E_IO; /* an error, a timeout, or the other side closed */
        off += (size_t)r;
    }
    return PL_OK;
}

int pl_control_write(int fd, const uint8_t *b, size_t len)
{
    if (len > 0xffffffffu)
        return PL_E_TOO_BIG;
    uint8_t hdr[4] = {(uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8),
                      (uint8_t)len};
    int rc = full_io(fd, hdr, 4, 1);
    return rc == PL_OK ? full_io(fd, (uint8_t *)b, len, 1) : rc;
}

int pl_control_read(int fd, size_t max, uint8_t **out, size_t *len)
{
    uint8_t hdr[4];
    *out = NULL;
    *len = 0;
    int rc = full_io(fd, hdr, 4, 0);
    if (rc != PL_OK)
        return rc;
    size_t n = (size_t)hdr[0] << 24 | (size_t)hdr[1] << 16 | (size_t)hdr[2] << 8 | hdr[3];
    if (n > max)
        return PL_E_TOO_BIG;
    uint8_t *b = malloc(n ? n : 1);
    if (b == NULL)
        return PL_E_NOMEM;
    if ((rc = full_io(fd, b, n, 0)) != PL_OK) {
        free(b);
        return rc;
    }
    *out = b, *len = n;
    return PL_OK;
}

int pl_control_call(const char *home, const uint8_t *req, size_t len, int timeout_ms,
                    uint8_t **resp, size_t *resp_len)
{
    *resp = NULL;
    *resp_len = 0;
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int n = snprintf(sa.sun_path, sizeof sa.sun_path, "%s/control", home);
    if (n < 0 || (size_t)n >= sizeof sa.sun_path)
        return PL_E_IO;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return PL_E_IO;
    struct timeval tv = {.tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    int rc = PL_E_IO;
    if (connect(fd, (const struct sockaddr *)&sa, sizeof sa) == 0 &&
        pl_control_write(fd, req, len) == PL_OK)
        rc = pl_control_read(fd, (size_t)0x7fffffff, resp, resp_len);
    close(fd);
    return rc == PL_OK ? PL_OK : rc == PL_E_NOMEM ? PL_E_NOMEM : PL_E_IO;
}

int pl_store_in_use(const char *path)
{
    char lock[4096];
    if (path == NULL || snprintf(lock, sizeof lock, "%s.lock", path) >= (int)sizeof lock)
        return PL_E_ARG;
    int fd = open(lock, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return errno == ENOENT ? 0 : PL_E_IO;
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
    int rc = fcntl(fd, F_OFD_GETLK, &fl);
    close(fd);
    if (rc != 0)
        return PL_E_IO;
    return fl.l_type != F_UNLCK;
}
