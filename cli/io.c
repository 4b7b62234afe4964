/* Small helpers of the CLI: hex, JSON strings, times, keys on the command
 * line. Files and passphrases are in common/io.c (parleyd needs them too). */
#define _DEFAULT_SOURCE /* struct tm's tm_gmtoff */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "cli.h"

void cli_hex(const uint8_t *b, size_t n, char *out)
{
    sodium_bin2hex(out, 2 * n + 1, b, n);
}

void cli_json_str(const char *s)
{
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            printf("\\%c", *p);
        else if (*p < 0x20)
            printf("\\u%04x", *p);
        else
            putchar(*p);
    }
    putchar('"');
}

int64_t cli_parse_utc(const char *s)
{
    /* YYYY-MM-DD or YYYY-MM-DDTHH:MM, UTC, strictly */
    static const char shape[] = "dddd-dd-ddTdd:dd";
    size_t n = strlen(s);
    if (n != 10 && n != sizeof shape - 1)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (shape[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != shape[i])
            return -1;
    int y = atoi(s), mo = atoi(s + 5), d = atoi(s + 8);
    int h = n > 10 ? atoi(s + 11) : 0, mi = n > 10 ? atoi(s + 14) : 0;
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] + (mo == 2 && leap) ||
        h > 23 || mi > 59)
        return -1;
    y -= mo <= 2;
    int64_t era = y / 400, yoe = y - era * 400;
    int64_t doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t days = era * 146097 + doe - 719468;
    return ((days * 24 + h) * 60 + mi) * 60000;
}

int64_t cli_parse_local(const char *s)
{
    /* YYYY-MM-DDTHH:MM, then Z, an offset +HH:MM / -HH:MM, or nothing:
     * local time, by TZ when it is set, else Beijing time (UTC+8), the
     * time people in the procedure read (issue 15 §1) */
    char base[17];
    size_t n = strlen(s);
    if (n < 16)
        return -1;
    memcpy(base, s, 16);
    base[16] = '\0';
    int64_t t = cli_parse_utc(base);
    if (t < 0)
        return -1;
    const char *z = s + 16;
    int64_t off_min;
    if (strcmp(z, "Z") == 0) {
        off_min = 0;
    } else if ((z[0] == '+' || z[0] == '-') && strlen(z) == 6 && z[3] == ':' &&
               z[1] >= '0' && z[1] <= '9' && z[2] >= '0' && z[2] <= '9' && z[4] >= '0' &&
               z[4] <= '5' && z[5] >= '0' && z[5] <= '9') {
        off_min = ((z[1] - '0') * 10 + (z[2] - '0')) * 60 + (z[4] - '0') * 10 + (z[5] - '0');
        if (off_min > 14 * 60)
            return -1;
        if (z[0] == '-')
            off_min = -off_min;
    } else if (*z == '\0') {
        const char *tz = getenv("TZ");
        off_min = 8 * 60;
        if (tz != NULL && tz[0] != '\0') {
            /* the wall-clock time in TZ, as the C library reads it (its
             * rules for daylight saving; a time skipped by a change moves
             * forward) */
            struct tm tm;
            memset(&tm, 0, sizeof tm);
            tm.tm_year = atoi(s) - 1900, tm.tm_mon = atoi(s + 5) - 1, tm.tm_mday = atoi(s + 8);
            tm.tm_hour = atoi(s + 11), tm.tm_min = atoi(s + 14), tm.tm_isdst = -1;
            tzset();
            time_t r = mktime(&tm);
            return r == (time_t)-1 || r < 0 ? -1 : (int64_t)r * 1000;
        }
    } else {
        return -1;
    }
    t -= off_min * 60000;
    return t >= 0 ? t : -1;
}

int cli_read_pk(const char *arg, uint8_t pk[PL_PK_BYTES])
{
    /* 64 hex digits, or a key file (its public part needs no passphrase) */
    if (strlen(arg) == 2 * PL_PK_BYTES) {
        size_t bin;
        const char *end;
        if (sodium_hex2bin(pk, PL_PK_BYTES, arg, strlen(arg), NULL, &bin, &end) == 0 &&
            bin == PL_PK_BYTES && *end == '\0')
            return 0;
    }
    if (strspn(arg, "0123456789abcdefABCDEF") == strlen(arg) && access(arg, F_OK) != 0) {
        fprintf(stderr, _("parley: '%s' is not a public key: it takes 64 hex digits (or a key "
                        "file)\n"), arg);
        return -1;
    }
    size_t n;
    uint8_t *b = io_read_file(arg, PL_KEYFILE_MAX_BYTES, &n);
    if (b == NULL)
        return -1;
    int err = pl_keyfile_pk(b, n, pk);
    free(b);
    if (err != PL_OK) {
        fprintf(stderr, _("parley: '%s' is neither 64 hex digits nor a key file: %s\n"), arg,
                cli_strerror(err));
        return -1;
    }
    return 0;
}
