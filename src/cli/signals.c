/* SIGINT and SIGTERM for the commands that clean up before they stop (see
 * cli.h). The handler only records the signal and sets the library's atomic
 * interrupt flag, both async-signal-safe; the waits of the library see the
 * flag, fail, and the command exits 128+N after its clean-up. */
#include "cli/cli.h"
#include "minimesos/runtime.h"

#include <signal.h>
#include <string.h>

static volatile sig_atomic_t first_signal;

static void on_signal(int sig)
{
    if (!first_signal)
        first_signal = sig;
    mm_interrupt();
}

void cli_catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    /* No SA_RESTART: a blocking call returns EINTR and its loop sees the
     * flag. SA_RESETHAND: the second Ctrl-C (during a slow clean-up) kills
     * the process, as the default action would have the first time. */
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

int cli_signal(void)
{
    return first_signal;
}
