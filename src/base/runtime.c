/* The process-wide switches of include/minimesos/runtime.h. Lowest layer:
 * includes nothing of the library but its own header and util.h. */
#include "minimesos/runtime.h"
#include "base/util.h"

#include <stdatomic.h>

/* Lock-free on every platform we build for, so safe in a signal handler. */
static atomic_bool interrupted;
static _Atomic(FILE *) trace_out;

void mm_interrupt(void)
{
    atomic_store(&interrupted, true);
}

bool mm_interrupted(void)
{
    return atomic_load(&interrupted);
}

void mm_interrupt_reset(void)
{
    atomic_store(&interrupted, false);
}

void mm_set_trace(FILE *out)
{
    atomic_store(&trace_out, out);
}

FILE *mm_trace_stream(void)
{
    return atomic_load(&trace_out);
}
