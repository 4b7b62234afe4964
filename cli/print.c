/* The printed copy of a certificate (issue 15 §3, SPEC §16.6): the QR code
 * of its hash, drawn as inline SVG from libqrencode's modules, and the PDF,
 * printed from the HTML page by headless Chromium (the browser's own print
 * engine lays out Chinese text; nothing here does layout). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <qrencode.h>

#include "cli.h"

extern char **environ;

char *cli_qr_svg(const char *text)
{
    /* level M: the SPEC's; 8-bit mode, case kept */
    QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (q == NULL)
        return NULL;
    int w = q->width, quiet = 4, side = w + 2 * quiet;
    char *svg = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&svg, &len);
    if (f == NULL) {
        QRcode_free(q);
        return NULL;
    }
    fprintf(f,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
            "shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"%s\">"
            "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
            side, side, text, side, side);
    /* bit 0 of each module: dark */
    for (int y = 0; y < w; y++)
        for (int x = 0; x < w; x++)
            if (q->data[y * w + x] & 1)
                fprintf(f, "M%d %dh1v1h-1z", x + quiet, y + quiet);
    fputs("\"/></svg>", f);
    QRcode_free(q);
    if (fclose(f) != 0) {
        free(svg);
        return NULL;
    }
    return svg;
}

/* An executable named name on PATH, into out. */
static int on_path(const char *name, char *out, size_t cap)
{
    const char *path = getenv("PATH");
    if (path == NULL)
        path = "/usr/local/bin:/usr/bin:/bin";
    while (*path) {
        size_t n = strcspn(path, ":");
        if (n > 0 && (size_t)snprintf(out, cap, "%.*s/%s", (int)n, path, name) < cap &&
            access(out, X_OK) == 0)
            return 0;
        path += n + (path[n] == ':');
    }
    return -1;
}

static int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(p) == 0 || errno == ENOENT ? 0 : -1;
}

/* Runs the browser on the page: 0, or -1 with the reason printed. */
static int run_chromium(char *chromium, char *a_profile, char *a_out, char *url)
{
    /* a root user's Chromium will not start sandboxed */
    char *argv[16];
    int k = 0;
    argv[k++] = chromium;
    argv[k++] = "--headless";
    argv[k++] = "--disable-gpu";
    argv[k++] = "--no-first-run";
    argv[k++] = "--no-default-browser-check";
    argv[k++] = "--disable-extensions";
    argv[k++] = "--no-pdf-header-footer";
    argv[k++] = "--print-to-pdf-no-header";
    argv[k++] = a_profile;
    argv[k++] = a_out;
    if (geteuid() == 0)
        argv[k++] = "--no-sandbox";
    argv[k++] = url;
    argv[k] = NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    /* the browser and its helpers in a group of their own, killed whole;
     * the caller holds SIGINT and SIGTERM until the temporary files are
     * gone, the browser gets the usual mask */
    posix_spawnattr_t at;
    posix_spawnattr_init(&at);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&at, &none);
    posix_spawnattr_setpgroup(&at, 0);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);
    pid_t pid;
    int rc = posix_spawn(&pid, chromium, &fa, &at, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    int status = -1, done = 0;
    if (rc == 0) {
        /* 60 s: a first start builds its caches; a hung browser is killed */
        for (int i = 0; i < 600 && !done; i++) {
            pid_t w = waitpid(pid, &status, WNOHANG);
            if (w == pid || (w < 0 && errno != EINTR))
                done = 1;
            else
                nanosleep(&(struct timespec){.tv_nsec = 100000000}, NULL);
        }
        if (!done) {
            kill(-pid, SIGKILL);
            waitpid(pid, &status, 0);
        }
        kill(-pid, SIGKILL); /* helpers still writing into the profile */
    }
    if (rc != 0 || !done || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr,
                _("parley verify: %s did not print the PDF (%s); write FILE.html and print it "
                  "from a browser\n"),
                chromium, rc != 0 ? strerror(rc) : !done ? _("it ran over 60 seconds") : _("it failed"));
        return -1;
    }
    return 0;
}

int cli_html_to_pdf(const uint8_t *html, size_t len, uint8_t **pdf, size_t *pdf_len)
{
    *pdf = NULL, *pdf_len = 0;
    char chromium[4096];
    const char *env = getenv("PARLEY_CHROMIUM");
    static const char *const names[] = {"chromium", "chromium-browser", "google-chrome",
                                        "google-chrome-stable"};
    int found = -1;
    if (env != NULL && *env)
        found = snprintf(chromium, sizeof chromium, "%s", env) < (int)sizeof chromium &&
                        access(chromium, X_OK) == 0
                    ? 0
                    : -1;
    for (size_t i = 0; (env == NULL || !*env) && found != 0 && i < sizeof names / sizeof names[0];
         i++)
        found = on_path(names[i], chromium, sizeof chromium);
    if (found != 0) {
        fprintf(stderr, _("parley verify: no Chromium to print the PDF with (looked for %s); install "
                          "chromium, or set PARLEY_CHROMIUM to its path, or write FILE.html and "
                          "print it from a browser\n"),
                env && *env ? env : "chromium");
        return -1;
    }
    /* One private directory holds the page, the browser's profile and the
     * PDF. The page holds names and facts: an interrupt waits until the
     * directory is gone (at most the browser's 60 s), then ends us. */
    sigset_t hold, old;
    sigemptyset(&hold);
    sigaddset(&hold, SIGINT);
    sigaddset(&hold, SIGTERM);
    sigaddset(&hold, SIGHUP);
    sigprocmask(SIG_BLOCK, &hold, &old);
    char dir[4200], page[4300], out[4300], a_profile[4400], a_out[4400], url[4400];
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/parley-print-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL) {
        fprintf(stderr, _("parley verify: cannot make a temporary directory: %s\n"), strerror(errno));
        sigprocmask(SIG_SETMASK, &old, NULL);
        return -1;
    }
    snprintf(page, sizeof page, "%s/copy.html", dir);
    snprintf(out, sizeof out, "%s/copy.pdf", dir);
    snprintf(a_profile, sizeof a_profile, "--user-data-dir=%s/profile", dir);
    snprintf(a_out, sizeof a_out, "--print-to-pdf=%s", out);
    snprintf(url, sizeof url, "file://%s", page);
    int rc = -1;
    FILE *hf = fopen(page, "wb");
    int wrote = hf != NULL && fwrite(html, 1, len, hf) == len;
    if (hf != NULL && fclose(hf) != 0)
        wrote = 0;
    if (!wrote) {
        fprintf(stderr, _("parley verify: cannot write '%s': %s\n"), page, strerror(errno));
    } else if (run_chromium(chromium, a_profile, a_out, url) == 0 &&
               (*pdf = io_read_file(out, 64u << 20, pdf_len)) != NULL) {
        if (*pdf_len < 5 || memcmp(*pdf, "%PDF-", 5) != 0) {
            fprintf(stderr, _("parley verify: the browser wrote no PDF; write FILE.html and print "
                              "it from a browser\n"));
            free(*pdf);
            *pdf = NULL, *pdf_len = 0;
        } else {
            rc = 0;
        }
    }
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    sigprocmask(SIG_SETMASK, &old, NULL); /* a held interrupt ends us here */
    return rc;
}
