/* The web app's server (see web.h): login, the guards on every request,
 * the pages, and running one `parley` verb per act. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <ftw.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <dirent.h>

#include <jansson.h>
#include <microhttpd.h>
#include <sodium.h>

#include "parley/parley.h"
#include "web.h"
#include "webreq.h"

extern char **environ;

/* The pages, built into the binary (web/, embedded at build time). */
extern const unsigned char pl_web_index_html[], pl_web_app_js[], pl_web_app_css[];
extern const size_t pl_web_index_html_len, pl_web_app_js_len, pl_web_app_css_len;

struct session {
    char id[PL_WEB_TOKEN_CHARS + 1], csrf[PL_WEB_TOKEN_CHARS + 1];
    uint64_t last_ms;
};

struct pl_web {
    struct MHD_Daemon *d;
    char home[4096], cli[4096], tmp[4200];
    uint16_t port;
    pthread_mutex_t mu; /* tokens: written by the control thread too */
    struct {
        char t[PL_WEB_TOKEN_CHARS + 1];
        uint64_t until_ms;
    } tokens[4];
    struct session sessions[PL_WEB_SESSIONS];
};

struct req {
    char *body;
    size_t len, cap;
    int too_big;
};

#define SESSION_IDLE_MS (12ull * 3600 * 1000)

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void random_hex(char out[PL_WEB_TOKEN_CHARS + 1])
{
    uint8_t b[PL_WEB_TOKEN_CHARS / 2];
    randombytes_buf(b, sizeof b);
    sodium_bin2hex(out, PL_WEB_TOKEN_CHARS + 1, b, sizeof b);
}

/* Constant time, and only for strings of the token's length. */
static int token_eq(const char *a, const char *b)
{
    return a != NULL && b != NULL && strlen(a) == PL_WEB_TOKEN_CHARS &&
           strlen(b) == PL_WEB_TOKEN_CHARS && sodium_memcmp(a, b, PL_WEB_TOKEN_CHARS) == 0;
}

int pl_web_login_url(pl_web *w, char *url, size_t cap)
{
    pthread_mutex_lock(&w->mu);
    size_t k = 0;
    for (size_t i = 1; i < sizeof w->tokens / sizeof w->tokens[0]; i++)
        if (w->tokens[i].until_ms < w->tokens[k].until_ms)
            k = i;
    random_hex(w->tokens[k].t);
    w->tokens[k].until_ms = now_ms() + PL_WEB_TOKEN_MS;
    int n = snprintf(url, cap, "http://127.0.0.1:%u/login?token=%s", w->port, w->tokens[k].t);
    pthread_mutex_unlock(&w->mu);
    return n > 0 && (size_t)n < cap ? PL_OK : PL_E_ARG;
}

/* ---- responses ------------------------------------------------------------- */

static enum MHD_Result send_buf(struct MHD_Connection *con, unsigned status, const char *type,
                                const void *b, size_t n, enum MHD_ResponseMemoryMode mode,
                                const char *cookie, const char *location, const char *disposition)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(n, (void *)b, mode);
    if (r == NULL)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", type);
    /* no script, style, image or connection but our own; no framing */
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'none'; script-src 'self'; style-src 'self'; "
                            "img-src 'self' data:; connect-src 'self'; form-action 'self'; "
                            "frame-ancestors 'none'; base-uri 'none'");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    /* no other site keeps a handle on our window or reads our answers */
    MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
    MHD_add_response_header(r, "Cross-Origin-Resource-Policy", "same-origin");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    if (cookie)
        MHD_add_response_header(r, "Set-Cookie", cookie);
    if (location)
        MHD_add_response_header(r, "Location", location);
    if (disposition)
        MHD_add_response_header(r, "Content-Disposition", disposition);
    enum MHD_Result rc = MHD_queue_response(con, status, r);
    MHD_destroy_response(r);
    return rc;
}

static enum MHD_Result send_text(struct MHD_Connection *con, unsigned status, const char *text)
{
    return send_buf(con, status, "text/plain; charset=utf-8", text, strlen(text),
                    MHD_RESPMEM_MUST_COPY, NULL, NULL, NULL);
}

static enum MHD_Result send_json(struct MHD_Connection *con, unsigned status, json_t *j)
{
    char *s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (s == NULL)
        return send_text(con, 500, "out of memory");
    return send_buf(con, status, "application/json", s, strlen(s), MHD_RESPMEM_MUST_FREE, NULL,
                    NULL, NULL);
}

/* ---- the guards ---------------------------------------------------------------- */

/* Host must be the loopback address or localhost with our port: a page
 * of another site that rebinds its name to 127.0.0.1 sends its own name. */
static int host_ok(const pl_web *w, const char *host)
{
    char a[64], b[64];
    snprintf(a, sizeof a, "127.0.0.1:%u", w->port);
    snprintf(b, sizeof b, "localhost:%u", w->port);
    return host != NULL && (strcmp(host, a) == 0 || strcmp(host, b) == 0);
}

static int origin_ok(const pl_web *w, const char *origin)
{
    char a[64], b[64];
    snprintf(a, sizeof a, "http://127.0.0.1:%u", w->port);
    snprintf(b, sizeof b, "http://localhost:%u", w->port);
    return origin != NULL && (strcmp(origin, a) == 0 || strcmp(origin, b) == 0);
}

static struct session *session_of(pl_web *w, struct MHD_Connection *con)
{
    const char *id = MHD_lookup_connection_value(con, MHD_COOKIE_KIND, "parley_session");
    uint64_t now = now_ms();
    for (size_t i = 0; i < PL_WEB_SESSIONS; i++) {
        struct session *s = &w->sessions[i];
        if (s->id[0] && token_eq(s->id, id)) {
            if (now - s->last_ms > SESSION_IDLE_MS) {
                memset(s, 0, sizeof *s);
                return NULL;
            }
            s->last_ms = now;
            return s;
        }
    }
    return NULL;
}

static enum MHD_Result login(pl_web *w, struct MHD_Connection *con)
{
    const char *t = MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, "token");
    int ok = 0;
    uint64_t now = now_ms();
    pthread_mutex_lock(&w->mu);
    for (size_t i = 0; i < sizeof w->tokens / sizeof w->tokens[0]; i++)
        if (w->tokens[i].until_ms > now && token_eq(w->tokens[i].t, t)) {
            memset(&w->tokens[i], 0, sizeof w->tokens[i]); /* once */
            ok = 1;
        }
    pthread_mutex_unlock(&w->mu);
    if (!ok)
        return send_text(con, 403,
                         "This login link is used or expired. Run `parley ui` for a new one.\n"
                         "登录链接已使用或已过期。请运行 parley ui 获取新的链接。\n");
    size_t k = 0; /* a free seat, else the longest idle */
    for (size_t i = 0; i < PL_WEB_SESSIONS; i++)
        if (w->sessions[i].id[0] == '\0' || w->sessions[i].last_ms < w->sessions[k].last_ms)
            k = i;
    struct session *s = &w->sessions[k];
    random_hex(s->id);
    random_hex(s->csrf);
    s->last_ms = now;
    char cookie[200], where[100];
    snprintf(cookie, sizeof cookie, "parley_session=%s; Path=/; HttpOnly; SameSite=Strict", s->id);
    /* the session's key, in the fragment: the page keeps it and sends it
     * in a header; a fragment never travels to any server */
    snprintf(where, sizeof where, "/#k=%s", s->csrf);
    return send_buf(con, 303, "text/plain", "", 0, MHD_RESPMEM_PERSISTENT, cookie, where, NULL);
}

/* ---- running a verb --------------------------------------------------------------- */

static int write_file(const char *path, const uint8_t *b, size_t n)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    size_t off = 0;
    while (off < n) {
        ssize_t k = write(fd, b + off, n - off);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            close(fd);
            unlink(path);
            return -1;
        }
        off += (size_t)k;
    }
    return close(fd);
}

struct out {
    char *b;
    size_t n;
};

static void out_add(struct out *o, const char *b, size_t n)
{
    if (o->n + n > PL_WEB_OUTPUT_MAX)
        n = PL_WEB_OUTPUT_MAX - o->n;
    char *g = realloc(o->b, o->n + n + 1);
    if (g == NULL)
        return;
    memcpy(g + o->n, b, n);
    o->b = g;
    o->n += n;
    o->b[o->n] = '\0';
}

/* Runs argv with the child's stdin fed from in, fd 3 from pass (when not
 * NULL), and both outputs captured; the exit code, or -1. */
static int spawn_run(const pl_web *w, char **argv, const char *lang, const char *in,
                     const char *pass, struct out *so, struct out *se)
{
    int pin[2] = {-1, -1}, pout[2] = {-1, -1}, perr[2] = {-1, -1}, ppass[2] = {-1, -1};
    int rc = -1;
    pid_t pid = -1;
    if (pipe2(pin, O_CLOEXEC) != 0 || pipe2(pout, O_CLOEXEC) != 0 ||
        pipe2(perr, O_CLOEXEC) != 0 || (pass && pipe2(ppass, O_CLOEXEC) != 0))
        goto out;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, pin[0], 0);
    posix_spawn_file_actions_adddup2(&fa, pout[1], 1);
    posix_spawn_file_actions_adddup2(&fa, perr[1], 2);
    if (pass)
        posix_spawn_file_actions_adddup2(&fa, ppass[0], 3);
    /* nothing else of the node's, nor what its own parent left it */
    posix_spawn_file_actions_addclosefrom_np(&fa, pass ? 4 : 3);
    /* in the node's private ui-tmp: a verb that reads a file when one of
     * its argument's name exists (parley report CASE|FILE) finds none */
    posix_spawn_file_actions_addchdir_np(&fa, w->tmp);
    /* the reader's language for every text the verb prints; the rest of
     * the node's environment stays with the node */
    char e_lang[64], e_tz[256], e_path[] = "PATH=/usr/local/bin:/usr/bin:/bin";
    snprintf(e_lang, sizeof e_lang, "LANGUAGE=%s", strcmp(lang, "en") == 0 ? "en" : "zh_CN");
    const char *tz = getenv("TZ");
    snprintf(e_tz, sizeof e_tz, "TZ=%s", tz ? tz : "Asia/Shanghai");
    char e_lc[] = "LANG=C.UTF-8";
    char *envp[] = {e_lang, e_lc, e_tz, e_path, NULL};
    int s = posix_spawn(&pid, w->cli, &fa, NULL, argv, envp);
    posix_spawn_file_actions_destroy(&fa);
    if (s != 0) {
        pid = -1;
        goto out;
    }
    close(pin[0]), pin[0] = -1;
    close(pout[1]), pout[1] = -1;
    close(perr[1]), perr[1] = -1;
    if (pass) {
        close(ppass[0]), ppass[0] = -1;
        /* a passphrase fits a pipe's buffer: written whole, at once */
        size_t n = strlen(pass);
        ssize_t k = write(ppass[1], pass, n);
        (void)k;
        close(ppass[1]), ppass[1] = -1;
    }
    size_t in_len = in ? strlen(in) : 0, in_off = 0;
    if (in_len == 0)
        close(pin[1]), pin[1] = -1;
    else
        fcntl(pin[1], F_SETFL, O_NONBLOCK);
    uint64_t until = now_ms() + PL_WEB_RUN_MS;
    while (pout[0] >= 0 || perr[0] >= 0) {
        struct pollfd p[3] = {{pout[0], POLLIN, 0}, {perr[0], POLLIN, 0}, {pin[1], POLLOUT, 0}};
        uint64_t now = now_ms();
        if (now >= until) {
            kill(pid, SIGKILL);
            out_add(se, "\n(parley took too long and was stopped)\n", 40);
            break;
        }
        if (poll(p, 3, (int)(until - now)) < 0 && errno != EINTR)
            break;
        char buf[65536];
        for (int i = 0; i < 2; i++)
            if (p[i].fd >= 0 && (p[i].revents & (POLLIN | POLLHUP | POLLERR))) {
                ssize_t k = read(p[i].fd, buf, sizeof buf);
                if (k > 0)
                    out_add(i == 0 ? so : se, buf, (size_t)k);
                else if (k == 0 || errno != EINTR) {
                    close(p[i].fd);
                    if (i == 0)
                        pout[0] = -1;
                    else
                        perr[0] = -1;
                }
            }
        if (pin[1] >= 0 && (p[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
            ssize_t k = write(pin[1], in + in_off, in_len - in_off);
            if (k > 0)
                in_off += (size_t)k;
            if ((k < 0 && errno != EAGAIN && errno != EINTR) || in_off == in_len)
                close(pin[1]), pin[1] = -1;
        }
    }
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
out:
    for (int i = 0; i < 2; i++) {
        if (pin[i] >= 0)
            close(pin[i]);
        if (pout[i] >= 0)
            close(pout[i]);
        if (perr[i] >= 0)
            close(perr[i]);
        if (ppass[i] >= 0)
            close(ppass[i]);
    }
    return rc;
}

/* Builds the argument list (program, the verb's, the files' paths, the
 * home), runs it, removes the files. extra: more arguments (NULL-ended). */
static int run_plan(const pl_web *w, pl_webreq *r, const char *const *extra, char *dir,
                    struct out *so, struct out *se)
{
    char *argv[PL_WEBREQ_MAX_ARGV + 16];
    char paths[PL_WEBREQ_MAX_FILES][4300];
    int n = 0, rc = -1, made = 0;
    argv[n++] = (char *)w->cli;
    for (int i = 0; i < r->argc; i++)
        argv[n++] = r->argv[i];
    if (r->nfiles > 0 && mkdtemp(dir) == NULL)
        return -1;
    /* each file in a directory of its own, under the name it had (a
     * disclosure records each item's name; two files may share one) */
    char subs[PL_WEBREQ_MAX_FILES][4200];
    for (int i = 0; i < r->nfiles; i++) {
        if (snprintf(subs[i], sizeof subs[i], "%s/%d", dir, i) >= (int)sizeof subs[i] ||
            mkdir(subs[i], 0700) != 0)
            goto out;
        if (snprintf(paths[i], sizeof paths[i], "%s/%s", subs[i],
                     r->file_name[i] ? r->file_name[i] : "file") >= (int)sizeof paths[i] ||
            write_file(paths[i], r->files[i], r->file_len[i]) != 0) {
            rmdir(subs[i]);
            goto out;
        }
        made++;
        argv[1 + r->file_at[i]] = paths[i];
    }
    if (r->node) {
        argv[n++] = "--home";
        argv[n++] = (char *)w->home;
    }
    for (size_t i = 0; extra && extra[i] && n < PL_WEBREQ_MAX_ARGV + 15; i++)
        argv[n++] = (char *)extra[i];
    argv[n] = NULL;
    rc = spawn_run(w, argv, r->lang, r->stdin_text, r->passphrase, so, se);
out:
    for (int i = 0; i < made; i++)
        unlink(paths[i]), rmdir(subs[i]);
    if (r->nfiles > 0)
        rmdir(dir);
    return rc;
}

static json_t *text_json(const struct out *o)
{
    json_t *s = json_stringn(o->b ? o->b : "", o->n);
    return s ? s : json_string("(output that is not UTF-8)");
}

static enum MHD_Result api_run(pl_web *w, struct MHD_Connection *con, struct req *rq)
{
    pl_webreq r;
    char err[PL_WEBREQ_ERR_MAX];
    if (pl_webreq_parse(rq->body ? rq->body : "", rq->len, &r, err) != 0)
        return send_json(con, 400, json_pack("{s:s}", "error", err));
    char dir[4300];
    snprintf(dir, sizeof dir, "%s/rXXXXXX", w->tmp);
    struct out so = {0}, se = {0};
    int code = run_plan(w, &r, NULL, dir, &so, &se);
    pl_webreq_free(&r);
    json_t *j = json_pack("{s:i,s:o,s:o}", "exit", code, "stdout", text_json(&so), "stderr",
                          text_json(&se));
    free(so.b);
    free(se.b);
    return send_json(con, code < 0 ? 500 : 200, j);
}

/* The certificate of a final agreement, as a download (parley export
 * --cert, into a private file, sent, removed). */
static enum MHD_Result api_cert(pl_web *w, struct MHD_Connection *con)
{
    const char *id = MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, "case");
    if (id == NULL || !pl_webreq_hexid(id))
        return send_text(con, 400, "case: 8 to 64 hex digits");
    char dir[4300], path[4400];
    snprintf(dir, sizeof dir, "%s/cXXXXXX", w->tmp);
    if (mkdtemp(dir) == NULL)
        return send_text(con, 500, "cannot make a private directory");
    snprintf(path, sizeof path, "%s/agreement.cert", dir);
    char *argv[] = {w->cli, "export", (char *)id, "--cert", "-o", path, "--home", w->home, NULL};
    struct out so = {0}, se = {0};
    int code = spawn_run(w, argv, "en", NULL, NULL, &so, &se);
    enum MHD_Result res;
    FILE *f = code == 0 ? fopen(path, "rb") : NULL;
    char *b = NULL;
    long n = -1;
    if (f && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && n < (1l << 26) &&
        fseek(f, 0, SEEK_SET) == 0 && (b = malloc((size_t)n + 1)) != NULL &&
        fread(b, 1, (size_t)n, f) == (size_t)n) {
        char disp[160];
        snprintf(disp, sizeof disp, "attachment; filename=\"parley-%.16s.cert\"", id);
        res = send_buf(con, 200, "application/octet-stream", b, (size_t)n, MHD_RESPMEM_MUST_FREE,
                       NULL, NULL, disp);
        b = NULL;
    } else {
        res = send_json(con, 409, json_pack("{s:i,s:o}", "exit", code, "stderr", text_json(&se)));
    }
    free(b);
    if (f)
        fclose(f);
    unlink(path);
    rmdir(dir);
    free(so.b);
    free(se.b);
    return res;
}

/* ---- the handler ------------------------------------------------------------------ */

/* The checks on a request's headers, on MHD's first call, before any body
 * is read: 1 with *out queued when the request is refused, 0 to go on. */
static int guard(pl_web *w, struct MHD_Connection *con, const char *url, const char *method,
                 enum MHD_Result *out)
{
    int get = strcmp(method, "GET") == 0, post = strcmp(method, "POST") == 0;
    if (!host_ok(w, MHD_lookup_connection_value(con, MHD_HEADER_KIND, "Host"))) {
        *out = send_text(con, 403, "This web app answers only at 127.0.0.1: open the link `parley ui` "
                                   "prints.\n本网页应用仅在 127.0.0.1 上应答：请打开 parley ui "
                                   "给出的链接。\n");
        return 1;
    }
    if (strncmp(url, "/api/", 5) != 0) {
        if (!get) {
            *out = send_text(con, 405, "method not allowed");
            return 1;
        }
        return 0; /* pages and /login: no body, no session */
    }
    struct session *s = session_of(w, con);
    if (s == NULL) {
        *out = send_json(con, 401, json_pack("{s:s}", "error", "login"));
        return 1;
    }
    /* The session's key in a header (or, for the certificate link, the
     * query): a cookie alone is not enough, since every port of 127.0.0.1
     * is sent it. */
    const char *key = MHD_lookup_connection_value(con, MHD_HEADER_KIND, "X-Parley-CSRF");
    if (key == NULL && get && strcmp(url, "/api/cert") == 0)
        key = MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, "k");
    if (!token_eq(s->csrf, key)) {
        *out = send_json(con, 403, json_pack("{s:s}", "error", "session key"));
        return 1;
    }
    if (get)
        return 0;
    if (!post || strcmp(url, "/api/run") != 0) {
        *out = send_text(con, post ? 404 : 405, post ? "not found" : "method not allowed");
        return 1;
    }
    /* a state change: our own page's Origin, and a body within bounds */
    if (!origin_ok(w, MHD_lookup_connection_value(con, MHD_HEADER_KIND, "Origin"))) {
        *out = send_json(con, 403, json_pack("{s:s}", "error", "origin"));
        return 1;
    }
    const char *cl = MHD_lookup_connection_value(con, MHD_HEADER_KIND, "Content-Length");
    if (cl == NULL || strtoull(cl, NULL, 10) > PL_WEBREQ_MAX_BYTES) {
        *out = send_json(con, 413, json_pack("{s:s}", "error", "request too large or no length"));
        return 1;
    }
    return 0;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *con, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
    (void)version;
    pl_web *w = cls;
    struct req *rq = *con_cls;
    if (rq == NULL) {
        /* Every check that needs only the headers, before one byte of a
         * body is read (SPEC §14.12 *Web app* rule 4): only a logged-in
         * page's POST /api/run has a body worth buffering. */
        enum MHD_Result refused;
        if (guard(w, con, url, method, &refused))
            return refused;
        if ((rq = calloc(1, sizeof *rq)) == NULL)
            return MHD_NO;
        *con_cls = rq;
        return MHD_YES;
    }
    if (*upload_size > 0) {
        if (!rq->too_big && rq->len + *upload_size <= PL_WEBREQ_MAX_BYTES) {
            if (rq->len + *upload_size > rq->cap) {
                size_t cap = (rq->len + *upload_size) * 2;
                if (cap > PL_WEBREQ_MAX_BYTES)
                    cap = PL_WEBREQ_MAX_BYTES;
                /* grown by copy, the old buffer wiped: it may hold a
                 * passphrase */
                char *g = malloc(cap);
                if (g == NULL) {
                    rq->too_big = 1;
                } else {
                    if (rq->body) {
                        memcpy(g, rq->body, rq->len);
                        sodium_memzero(rq->body, rq->cap);
                        free(rq->body);
                    }
                    rq->body = g, rq->cap = cap;
                }
            }
            if (!rq->too_big)
                memcpy(rq->body + rq->len, upload, *upload_size), rq->len += *upload_size;
        } else
            rq->too_big = 1;
        *upload_size = 0;
        return MHD_YES;
    }
    int get = strcmp(method, "GET") == 0;
    if (get && (strcmp(url, "/") == 0 || strcmp(url, "/index.html") == 0))
        return send_buf(con, 200, "text/html; charset=utf-8", pl_web_index_html,
                        pl_web_index_html_len, MHD_RESPMEM_PERSISTENT, NULL, NULL, NULL);
    if (get && strcmp(url, "/app.js") == 0)
        return send_buf(con, 200, "text/javascript; charset=utf-8", pl_web_app_js,
                        pl_web_app_js_len, MHD_RESPMEM_PERSISTENT, NULL, NULL, NULL);
    if (get && strcmp(url, "/app.css") == 0)
        return send_buf(con, 200, "text/css; charset=utf-8", pl_web_app_css, pl_web_app_css_len,
                        MHD_RESPMEM_PERSISTENT, NULL, NULL, NULL);
    if (get && strcmp(url, "/login") == 0)
        return login(w, con);
    if (strncmp(url, "/api/", 5) != 0)
        return send_text(con, 404, "not found");
    /* guard() has checked the session, its key and the Origin */
    if (get && strcmp(url, "/api/session") == 0)
        return send_json(con, 200, json_pack("{s:b}", "ok", 1));
    if (get && strcmp(url, "/api/cert") == 0)
        return api_cert(w, con);
    if (rq->too_big)
        return send_json(con, 413, json_pack("{s:s}", "error", "request too large"));
    if (strcmp(url, "/api/run") == 0)
        return api_run(w, con, rq);
    return send_text(con, 404, "not found");
}

static void completed(void *cls, struct MHD_Connection *con, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)con, (void)toe;
    struct req *rq = *con_cls;
    if (rq != NULL) {
        if (rq->body)
            sodium_memzero(rq->body, rq->cap); /* it may hold a passphrase */
        free(rq->body);
        free(rq);
    }
    *con_cls = NULL;
}

/* Removes what runs left in ui-tmp: its directories and their files. */
static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    if (ftw->level == 0)
        return 0; /* ui-tmp itself stays */
    if (flag == FTW_DP)
        rmdir(path);
    else
        unlink(path);
    return 0;
}

static void empty_tmp(const char *tmp)
{
    /* every depth (an upload is ui-tmp/run/N/name), names with dots too,
     * never following a link out of it */
    (void)nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int pl_web_start(const char *home, const char *cli, uint16_t port, pl_web **out, char err[256])
{
    *out = NULL;
    pl_web *w = calloc(1, sizeof *w);
    if (w == NULL)
        return PL_E_NOMEM;
    snprintf(w->home, sizeof w->home, "%s", home);
    /* absolute: every verb runs in ui-tmp (below), whatever our own cwd */
    char *full = realpath(cli, NULL);
    snprintf(w->cli, sizeof w->cli, "%s", full ? full : cli);
    free(full);
    snprintf(w->tmp, sizeof w->tmp, "%s/ui-tmp", home);
    if (w->cli[0] != '/' || access(w->cli, X_OK) != 0) {
        if (snprintf(err, 256, "the web app runs `parley`, and %s is not executable (set PARLEY_CLI)",
                     w->cli) >= 256)
            err[255] = '\0';
        free(w);
        return PL_E_CONFIG;
    }
    struct stat st;
    if ((mkdir(w->tmp, 0700) != 0 && errno != EEXIST) || lstat(w->tmp, &st) != 0 ||
        !S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 077) != 0) {
        if (snprintf(err, 256, "%s must be a directory of this user's, mode 0700: remove it and "
                               "start again", w->tmp) >= 256)
            err[255] = '\0';
        free(w);
        return PL_E_IO;
    }
    empty_tmp(w->tmp); /* files of runs a crash or kill cut short */
    pthread_mutex_init(&w->mu, NULL);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK); /* never another interface */
    w->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL, port, NULL, NULL,
                            handle, w, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
                            MHD_OPTION_CONNECTION_LIMIT, (unsigned)PL_WEB_MAX_CONNECTIONS,
                            MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_NOTIFY_COMPLETED,
                            completed, w, MHD_OPTION_END);
    if (w->d == NULL) {
        snprintf(err, 256, "cannot serve the web app on 127.0.0.1:%u (port in use?)", port);
        pthread_mutex_destroy(&w->mu);
        free(w);
        return PL_E_IO;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(w->d, MHD_DAEMON_INFO_BIND_PORT);
    w->port = di ? di->port : port;
    *out = w;
    return PL_OK;
}

uint16_t pl_web_port(const pl_web *w) { return w->port; }

void pl_web_stop(pl_web **wp)
{
    pl_web *w = *wp;
    if (w == NULL)
        return;
    MHD_stop_daemon(w->d);
    pthread_mutex_destroy(&w->mu);
    sodium_memzero(w, sizeof *w);
    free(w);
    *wp = NULL;
}
