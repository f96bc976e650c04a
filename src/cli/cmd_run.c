/* minimesos run: a cluster for the time of one command (a test suite, in CI).
 *
 * up with the reaper (mm_up_options.reap_when_process_exits), COMMAND with
 * the cluster's variables in its environment, then destroy. The reaper
 * covers what this process cannot: run itself being killed (SIGKILL, the
 * OOM killer), in which case it removes the cluster once run is gone. */
#include "cli/cli.h"
#include "minimesos/cluster.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static const char usage[] =
    "usage: minimesos run [options] -- COMMAND [ARG...]\n"
    "\n"
    "Start the cluster as `up` does, run COMMAND with the variables `info` prints\n"
    "(and MINIMESOS_CLUSTER_ID) in its environment and its standard input, output\n"
    "and error passed through, then destroy the cluster. The cluster never outlives\n"
    "run: if run is killed, a watcher process removes it. A cluster already running\n"
    "in the folder is an error (run starts its own).\n"
    "\n"
    CLI_UP_USAGE_LINES
    "  --retain                 keep the cluster when up or COMMAND fails, and say how\n"
    "                           to remove it with `minimesos destroy`\n"
    "  --cleanup-on-failure     remove it whatever happens (the default)\n"
    "  --rm-on-failure          the same as --cleanup-on-failure\n"
    "  -q, --quiet              no progress on stderr\n"
    "\n"
    "Exit status: COMMAND's (128+N when signal N ended it); 1 when the cluster did\n"
    "not come up (COMMAND was not run); 2 for a bad command line. SIGINT and\n"
    "SIGTERM go to COMMAND; once it has ended, the cluster is destroyed and run\n"
    "exits 128+N.\n";

static const struct option options[] = {
    CLI_UP_OPTIONS,
    { NULL, 0, NULL, 0 },
};

/* environ with the cluster's variables in place of any of the same name
 * (a MINIMESOS_MASTER exported by hand for another cluster). The strings
 * are environ's and vars'; only the array is malloc'd. */
static char **command_env(char **vars)
{
    size_t n = 0, nv = 0;
    for (char **e = environ; e && *e; e++)
        n++;
    while (vars[nv])
        nv++;
    char **env = calloc(n + nv + 1, sizeof *env);
    if (!env)
        return NULL;
    size_t k = 0;
    for (char **e = environ; e && *e; e++) {
        bool replaced = false;
        for (size_t i = 0; i < nv && !replaced; i++) {
            size_t len = (size_t)(strchr(vars[i], '=') - vars[i]) + 1;
            replaced = strncmp(*e, vars[i], len) == 0;
        }
        if (!replaced)
            env[k++] = *e;
    }
    for (size_t i = 0; i < nv; i++)
        env[k++] = vars[i];
    env[k] = NULL;
    return env;
}

/* Run COMMAND, passing SIGINT and SIGTERM on to it, and wait for it. Its
 * exit status, 128+N when signal N ended it, 127 (not found) or 126 (not
 * executable) when it could not be run; -1 when a signal came before it was
 * started (it is not started then). */
static int run_command(char **command, const mm_running *rc)
{
    char **vars = mm_info_env(rc);
    char **env = command_env(vars);
    int errp[2];
    if (!env || pipe2(errp, O_CLOEXEC) != 0) {
        cli_fail("run: cannot run %s: %s", command[0], strerror(errno));
        free(env);
        mm_info_env_free(vars);
        return 1;
    }
    /* From here until the child's pid is known, a signal waits: it then
     * goes to COMMAND (or, come before, keeps COMMAND from starting). */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigprocmask(SIG_BLOCK, &block, &old);
    pid_t pid = -1;
    int status = -1;
    if (!cli_signal()) {
        fflush(NULL);
        pid_t parent = getpid();
        pid = fork();
        if (pid == 0) {
            /* The child: only async-signal-safe calls until the exec. */
            signal(SIGINT, SIG_DFL);
            signal(SIGTERM, SIG_DFL);
            sigprocmask(SIG_SETMASK, &old, NULL);
            /* COMMAND does not outlive run either: killed with run (kill
             * -9 included), it gets SIGTERM, as the cluster goes. */
            prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0);
            if (getppid() != parent)
                _exit(128 + SIGTERM);
            execvpe(command[0], command, env);
            int e = errno;
            ssize_t w = write(errp[1], &e, sizeof e);
            (void)w;
            _exit(e == ENOENT ? 127 : 126);
        }
        if (pid > 0)
            cli_forward_signals(pid);
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    close(errp[1]);
    if (pid < 0) {
        if (!cli_signal())
            cli_fail("run: cannot run %s: fork: %s", command[0], strerror(errno));
        status = cli_signal() ? -1 : 1;
    } else {
        int e = 0;
        ssize_t n;
        while ((n = read(errp[0], &e, sizeof e)) < 0 && errno == EINTR)
            ;
        if (n == (ssize_t)sizeof e)
            cli_fail("run: cannot run %s: %s", command[0], strerror(e));
        int st = 0;
        pid_t w;
        while ((w = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
            ;
        if (w < 0)
            status = 1;
        else if (WIFEXITED(st))
            status = WEXITSTATUS(st);
        else if (WIFSIGNALED(st))
            status = 128 + WTERMSIG(st);
        else
            status = 1;
        cli_forward_signals(0);
    }
    close(errp[0]);
    free(env);
    mm_info_env_free(vars);
    return status;
}

static int run_run(int argc, char **argv)
{
    /* COMMAND is everything after the first "--"; the options come before. */
    int dd = 1;
    while (dd < argc && strcmp(argv[dd], "--") != 0)
        dd++;
    mm_up_options o;
    mm_up_options_init(&o);
    bool quiet = cli_quiet;
    int c;
    opterr = 0;
    /* '+': stop at the first argument that is not an option. */
    while ((c = getopt_long(dd, argv, "+:q", options, NULL)) != -1) {
        int r = cli_up_option(&cmd_run, c, dd, argv, &o, &quiet);
        if (r > 0)
            return r;
        if (r == 0)
            continue;
        if (c == ':')
            return cli_usage_error(&cmd_run, "option '%s' needs a value", argv[optind - 1]);
        return cli_usage_error(&cmd_run, "unknown option '%s'", argv[optind - 1]);
    }
    if (optind < dd)
        return cli_usage_error(&cmd_run, "unexpected argument '%s' (COMMAND goes after --)", argv[optind]);
    if (dd >= argc - 1)
        return cli_usage_error(&cmd_run, "%s", dd == argc ? "no `-- COMMAND`: run needs the command to run with the cluster"
                                                          : "no COMMAND after --");
    char **command = argv + dd + 1;

    cli_quiet = quiet; /* for cli_progress, after COMMAND */
    cli_catch_signals();
    o.reap_when_process_exits = true;
    o.reconcile = false; /* a running cluster is not run's to change */
    if (!quiet)
        o.on_event = cli_report;
    mm_running *rc = NULL;
    mm_error err;
    int r = mm_up(&o, &rc, &err);
    cli_report_done();
    if (r == MM_ALREADY_RUNNING) {
        /* Not ours to run COMMAND against, nor to destroy afterwards. */
        if (rc)
            cli_fail("run: minimesos cluster %s is already running in %s: run starts a cluster of its own; "
                     "destroy that one first (`minimesos destroy` there) or run in another folder",
                     rc->cluster_id, rc->dir);
        else
            cli_fail("run: %s", err.message ? err.message : "a cluster is being started in this folder");
        mm_error_free(&err);
        mm_running_free(rc);
        return 1;
    }
    if (r != 0) {
        fprintf(stderr, "minimesos: %s\n", err.message ? err.message : "up failed");
        mm_error_free(&err);
        return cli_signal() ? 128 + cli_signal() : 1;
    }
    mm_error_free(&err);

    int status = run_command(command, rc);
    bool failed = status != 0;
    if (o.retain && failed) {
        /* Kept on purpose: its reaper goes without removing anything. */
        mm_running_keep(rc);
        if (status < 0)
            fprintf(stderr, "minimesos: run: interrupted before %s started\n", command[0]);
        else
            fprintf(stderr, "minimesos: run: %s failed (status %d)\n", command[0], status);
        fprintf(stderr, "minimesos: run: kept minimesos cluster %s (--retain); run `minimesos destroy` "
                        "in %s to remove it\n", rc->cluster_id, rc->dir);
    } else {
        int dr = mm_running_destroy(rc, &err);
        if (dr == 0)
            cli_progress("Destroyed minimesos cluster %s", rc->cluster_id);
        else if (dr == MM_NO_CLUSTER)
            cli_progress("%s", err.message); /* COMMAND destroyed it, or started another */
        else {
            /* Its reaper stays: it tries again when run has exited. */
            cli_fail("run: destroying cluster %s: %s", rc->cluster_id,
                     err.message ? err.message : "failed");
            if (status == 0)
                status = 1;
        }
        mm_error_free(&err);
    }
    mm_running_free(rc);
    /* Ended by a signal (COMMAND first, then the clean-up): 128+N. */
    if (cli_signal())
        return 128 + cli_signal();
    return status;
}

const cli_command cmd_run = {
    .name = "run",
    .summary = "Start the cluster, run a command with it, destroy it",
    .usage = usage,
    .run = run_run,
    .options = options,
};
