/* SIGINT and SIGTERM for the commands that clean up before they stop (see
 * cli.h). The handler only records the signal and sets the library's atomic
 * interrupt flag, both async-signal-safe; the waits of the library see the
 * flag, fail, and the command exits 128+N after its clean-up. While `run`'s
 * COMMAND runs, the handler passes the signal on to it instead (kill(2) is
 * async-signal-safe too). */
#include "cli/cli.h"
#include "minimesos/runtime.h"

#include <signal.h>
#include <string.h>

static volatile sig_atomic_t first_signal;
static volatile sig_atomic_t forward_to; /* run's COMMAND while it runs, else 0 */
static volatile sig_atomic_t caught;     /* signals since the last cli_forward_signals */

static void on_signal(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    if (!first_signal)
        first_signal = sig;
    pid_t pid = (pid_t)forward_to;
    if (pid > 0) {
        /* Sent by a process (kill, a CI runner, timeout(1)): pass it on. Sent
         * by the kernel (Ctrl-C on the terminal, si_code SI_KERNEL): COMMAND,
         * in the same foreground process group, got it already. */
        if (si->si_code <= 0)
            kill(pid, sig);
        return;
    }
    mm_interrupt();
    /* The second one ends the process at once, as the default action would
     * have the first time (after this handler returns: the signal is
     * blocked until then). */
    if (++caught >= 2) {
        signal(sig, SIG_DFL);
        raise(sig);
    }
}

void cli_catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGINT);
    sigaddset(&sa.sa_mask, SIGTERM);
    /* No SA_RESTART: a blocking call returns EINTR and its loop sees the flag. */
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

void cli_forward_signals(int pid)
{
    forward_to = pid;
    caught = 0;
}

int cli_signal(void)
{
    return first_signal;
}
