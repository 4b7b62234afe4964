/* What the library offers as a whole: its version, and a way to free what
 * it allocated with the allocator it was built with (SPEC-free: nothing
 * here is protocol). */
#include <stdlib.h>

#include "parley/parley.h"

const char *pl_version(void)
{
    return PL_VERSION_STRING;
}

void pl_free(void *p)
{
    free(p);
}
