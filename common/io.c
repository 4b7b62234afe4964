/* File and terminal I/O for the programs (parley, parleyd,
 * parley-conform): bounded reads, atomic writes with explicit modes (key
 * files are 0600), passphrases without echo. Messages are for people, in
 * the reader's language when the program has bound the "parley" domain. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libintl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "io.h"

#define _(s) gettext(s)
#define PASS_MAX 1024

uint8_t *io_read_file(const char *path, size_t max, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, _("parley: cannot open '%s': %s\n"), path, strerror(errno));
        return NULL;
    }
    size_t cap = 4096, n = 0, r;
    uint8_t *buf = malloc(cap);
    while (buf != NULL && (r = fread(buf + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n > max) {
            fprintf(stderr, _("parley: '%s' is larger than %zu bytes; is it the right file?\n"),
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
        fprintf(stderr, _("parley: out of memory reading '%s'\n"), path);
    fclose(f);
    *len = n;
    return buf;
}

int io_write_file(const char *path, const uint8_t *b, size_t n, unsigned mode, int force)
{
    char tmp[4096];
    if (!force && access(path, F_OK) == 0) {
        fprintf(stderr, _("parley: '%s' already exists; choose another name or pass --force\n"),
                path);
        return -1;
    }
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    /* A stale temp of a crashed run with our pid is ours to replace; never
     * follow a link planted under the name (issue 18 §5). */
    unlink(tmp);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, (mode_t)mode);
    if (fd < 0) {
        fprintf(stderr, _("parley: cannot create '%s': %s\n"), tmp, strerror(errno));
        return -1;
    }
    size_t off = 0;
    while (off < n) {
        ssize_t w = write(fd, b + off, n - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            fprintf(stderr, _("parley: cannot write '%s': %s\n"), tmp, strerror(errno));
            close(fd);
            unlink(tmp);
            return -1;
        }
        off += (size_t)w;
    }
    /* the mode asked for, whatever the umask */
    if (fchmod(fd, (mode_t)mode) != 0 || fsync(fd) != 0 || close(fd) != 0 ||
        rename(tmp, path) != 0) {
        fprintf(stderr, _("parley: cannot save '%s': %s\n"), path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    /* the rename itself survives a power cut only once the directory is
     * synced (a draw commitment is durable in the node's store; the secret
     * behind it must be too) */
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash == dir)
        slash[1] = '\0';
    else if (slash)
        *slash = '\0';
    else
        snprintf(dir, sizeof dir, ".");
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        (void)fsync(dfd);
        close(dfd);
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

char *io_passphrase(const char *file, int confirm)
{
    return io_passphrase_as(file, confirm, _("passphrase: "), _("passphrase (again): "));
}

char *io_passphrase_as(const char *file, int confirm, const char *prompt, const char *again)
{
    if (file != NULL) {
        FILE *f = fopen(file, "r");
        if (f == NULL) {
            fprintf(stderr, _("parley: cannot open passphrase file '%s': %s\n"), file,
                    strerror(errno));
            return NULL;
        }
        /* A passphrase file others can read gives the key away with it
         * (minisign and ssh refuse such files; a warning keeps scripts
         * that share one test file working). */
        struct stat st;
        if (fstat(fileno(f), &st) == 0 && (st.st_mode & 077) != 0)
            fprintf(stderr,
                    _("parley: warning: passphrase file '%s' is open to other users (mode %04o); "
                    "run chmod 600 '%s'\n"),
                    file, (unsigned)(st.st_mode & 07777), file);
        char *p = read_line(f, NULL, 0);
        fclose(f);
        if (p == NULL || p[0] == '\0') {
            fprintf(stderr, _("parley: passphrase file '%s' is empty\n"), file);
            if (p)
                sodium_free(p);
            return NULL;
        }
        return p;
    }
    if (!isatty(STDIN_FILENO)) {
        fprintf(stderr, _("parley: no terminal to ask for the passphrase; "
                        "use --passphrase-file FILE\n"));
        return NULL;
    }
    char *p = read_line(stdin, prompt, 1);
    if (p == NULL || p[0] == '\0') {
        fprintf(stderr, _("parley: an empty passphrase is not allowed\n"));
        if (p)
            sodium_free(p);
        return NULL;
    }
    if (confirm) {
        char *q = read_line(stdin, again, 1);
        int same = q != NULL && strcmp(p, q) == 0;
        if (q)
            sodium_free(q);
        if (!same) {
            fprintf(stderr, _("parley: the passphrases differ; nothing was written\n"));
            sodium_free(p);
            return NULL;
        }
    }
    return p;
}
