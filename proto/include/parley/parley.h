/* Parley: the sans-IO protocol library. Include this one header.
 * Call pl_init() once before anything else. */
#ifndef PARLEY_H
#define PARLEY_H

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

#define PL_VERSION_STRING "0.1.0"

#endif
