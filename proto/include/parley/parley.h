/* Parley: the sans-IO protocol library. Include this one header.
 * Call pl_init() once before anything else.
 *
 * Threads: the library keeps no global state besides libsodium's, which
 * pl_init() sets up (call it once, before any other thread uses the
 * library). Every object (pl_case, pl_verifier, pl_msg, pl_key, ...) is
 * owned by its caller: different objects may be used from different
 * threads at once; one object from two threads needs the caller's lock,
 * except that functions taking it by const pointer only read it and may
 * run concurrently with each other. Chinese texts (PL_LANG_ZH) come from
 * the gettext domain "parley", which the program binds; local times
 * follow TZ through localtime_r. Memory the library returns is freed
 * with pl_free(), or with the type's own _free or _destroy where its
 * header says so. */
#ifndef PARLEY_H
#define PARLEY_H

#include "parley/version.h"
#include "parley/error.h"
#include "parley/key.h"
#include "parley/msg.h"
#include "parley/verify.h"
#include "parley/equiv.h"
#include "parley/logfile.h"
#include "parley/order.h"
#include "parley/body.h"
#include "parley/case.h"
#include "parley/cert.h"
#include "parley/report.h"
#include "parley/wire.h"
#include "parley/terms.h"
#include "parley/trust.h"
#include "parley/identity.h"
#include "parley/todo.h"

#endif
