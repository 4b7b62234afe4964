/* File and terminal I/O for the CLI: bounded reads, atomic writes with
 * explicit modes (key files are 0600), passphrases without echo. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "cli.h"

#define PASS_MAX 1024

uint8_t *cli_read_file(const char *path, size_t max, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "parley: cannot open '%s': %s\n", path, strerror(errno));
        return NULL;
    }
    size_t cap = 4096, n = 0, r;
    uint8_t *buf = malloc(cap);
    while (buf != NULL && (r = fread(buf + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n > max) {
            fprintf(stderr, "parley: '%s' is larger than %zu bytes; is it the right file?\n",
                    path, max);
            free(buf);
            fclose(f);
            return NULL;
        }
        if (n == cap) {
            uint8_t *g = realloc(buf, cap * 2);
            if (g == NULL)
                free(buf);
            buf = g;
            cap *= 2;
        }
    }
    if (buf == NULL)
        fprintf(stderr, "parley: out of memory reading '%s'\n", path);
    fclose(f);
    *len = n;
    return buf;
}

int cli_write_file(const char *path, const uint8_t *b, size_t n, unsigned mode, int force)
{
    char tmp[4096];
    if (!force && access(path, F_OK) == 0) {
        fprintf(stderr, "parley: '%s' already exists; choose another name or pass --force\n",
                path);
        return -1;
    }
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, (mode_t)mode);
    if (fd < 0) {
        fprintf(stderr, "parley: cannot create '%s': %s\n", tmp, strerror(errno));
        return -1;
    }
    size_t off = 0;
    while (off < n) {
        ssize_t w = write(fd, b + off, n - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            fprintf(stderr, "parley: cannot write '%s': %s\n", tmp, strerror(errno));
            close(fd);
            unlink(tmp);
            return -1;
        }
        off += (size_t)w;
    }
    if (fsync(fd) != 0 || close(fd) != 0 || rename(tmp, path) != 0) {
        fprintf(stderr, "parley: cannot save '%s': %s\n", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

static char *read_line(FILE *f, const char *prompt, int noecho)
{
    struct termios old, quiet;
    int tty = noecho && isatty(fileno(f)) && tcgetattr(fileno(f), &old) == 0;
    char *p = sodium_malloc(PASS_MAX + 1);
    if (p == NULL)
        return NULL;
    if (prompt) {
        fputs(prompt, stderr);
        fflush(stderr);
    }
    if (tty) {
        quiet = old;
        quiet.c_lflag &= (tcflag_t)~ECHO;
        tcsetattr(fileno(f), TCSAFLUSH, &quiet);
    }
    char *ok = fgets(p, PASS_MAX + 1, f);
    if (tty) {
        tcsetattr(fileno(f), TCSAFLUSH, &old);
        fputc('\n', stderr);
    }
    if (ok == NULL) {
        sodium_free(p);
        return NULL;
    }
    p[strcspn(p, "\r\n")] = '\0';
    return p;
}

char *cli_passphrase(const char *file, int confirm)
{
    if (file != NULL) {
        FILE *f = fopen(file, "r");
        if (f == NULL) {
            fprintf(stderr, "parley: cannot open passphrase file '%s': %s\n", file,
                    strerror(errno));
            return NULL;
        }
        /* A passphrase file others can read gives the key away with it
         * (minisign and ssh refuse such files; a warning keeps scripts
         * that share one test file working). */
        struct stat st;
        if (fstat(fileno(f), &st) == 0 && (st.st_mode & 077) != 0)
            fprintf(stderr,
                    "parley: warning: passphrase file '%s' can be read by other users (mode "
                    "%04o); run chmod 600 '%s'\n",
                    file, (unsigned)(st.st_mode & 07777), file);
        char *p = read_line(f, NULL, 0);
        fclose(f);
        if (p == NULL || p[0] == '\0') {
            fprintf(stderr, "parley: passphrase file '%s' is empty\n", file);
            if (p)
                sodium_free(p);
            return NULL;
        }
        return p;
    }
    if (!isatty(STDIN_FILENO)) {
        fprintf(stderr, "parley: no terminal to ask for the passphrase; "
                        "use --passphrase-file FILE\n");
        return NULL;
    }
    char *p = read_line(stdin, "passphrase: ", 1);
    if (p == NULL || p[0] == '\0') {
        fprintf(stderr, "parley: an empty passphrase is not allowed\n");
        if (p)
            sodium_free(p);
        return NULL;
    }
    if (confirm) {
        char *q = read_line(stdin, "passphrase (again): ", 1);
        int same = q != NULL && strcmp(p, q) == 0;
        if (q)
            sodium_free(q);
        if (!same) {
            fprintf(stderr, "parley: the passphrases differ; nothing was written\n");
            sodium_free(p);
            return NULL;
        }
    }
    return p;
}

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
