/* The node's web app (issue 16, SPEC §14.12 *Web app*): a small HTTP
 * server on 127.0.0.1 only (libmicrohttpd, its own thread), serving the
 * pages built into the binary and one way to act: a page's request names
 * a `parley` verb (webreq.h), which is run as a child process against
 * this node's control socket, exactly as a terminal user would run it. So
 * the node's loop stays single-threaded and the web app holds no rule.
 *
 * Guards, as Syncthing guards its GUI: a one-time login token (from
 * `parley ui`, over the control socket) exchanged for an HttpOnly,
 * SameSite=Strict session cookie; the Host header must name the loopback
 * address and port (no DNS rebinding); every state change needs the
 * page's Origin and a CSRF token sent in a header; a strict CSP, no
 * external resource; bounded bodies and connections.
 *
 * Ownership: pl_web_start returns a server the caller stops with
 * pl_web_stop. pl_web_token may be called from another thread. */
#ifndef PARLEY_NODE_WEB_H
#define PARLEY_NODE_WEB_H

#include <stddef.h>
#include <stdint.h>

#define PL_WEB_TOKEN_CHARS 64 /* 32 random bytes, hex */
#define PL_WEB_TOKEN_MS 300000 /* a login token is good for 5 minutes, once */
#define PL_WEB_SESSIONS 16      /* browsers logged in at once */
#define PL_WEB_MAX_CONNECTIONS 64
#define PL_WEB_RUN_MS 60000     /* one verb's run, then it is killed */
#define PL_WEB_OUTPUT_MAX (8u << 20)

typedef struct pl_web pl_web;

/* Serves on 127.0.0.1:port (0 picks one). home: the node's home (the
 * verbs' --home, and HOME/ui-tmp for uploaded files); cli: the `parley`
 * program. PL_OK, or a negative code with err set. */
int pl_web_start(const char *home, const char *cli, uint16_t port, pl_web **out,
                 char err[256]);
uint16_t pl_web_port(const pl_web *w);
/* A fresh one-time login URL: http://127.0.0.1:PORT/login?token=… */
int pl_web_login_url(pl_web *w, char *url, size_t cap);
void pl_web_stop(pl_web **w);

#endif
