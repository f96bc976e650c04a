/* The reaper: a cluster that must not outlive the process that started it
 * (`minimesos run`, mm_up with reap_when_process_exits) gets a watcher, a
 * small process that removes it once that process, its owner, is gone,
 * however it ended: exit, crash, SIGKILL.
 *
 * How the watcher learns of the owner's death, without polling a pid (which
 * the kernel may give to another process): a connected pair of sockets used
 * as a one-way pipe. The owner holds the one end, with close-on-exec, so
 * `run`'s COMMAND and any other program the owner executes do not inherit
 * it; the watcher holds the other end and blocks reading it. End of file
 * means that no process holds the owner's end any more: the owner is gone.
 * A byte means "done": the owner destroyed the cluster itself (mm_destroy,
 * mm_running_destroy, up's own clean-up) or keeps it on purpose
 * (mm_running_keep, --retain), and the watcher exits without doing anything.
 * (A socket pair rather than pipe(2): the owner's "done" is sent with
 * MSG_NOSIGNAL, so a watcher killed meanwhile cannot raise SIGPIPE in the
 * owner.)
 *
 * What it removes: what carries the cluster's id label (containers with
 * their anonymous volumes, labelled volumes and networks), never what only
 * carries the folder's label (a newer cluster of the same folder), then the
 * record if, under the folder's lock, it still names this cluster. It goes
 * over the labels again 2 s later, and 5 s after that if the second pass
 * found something: a create request the owner sent just before it died may
 * complete after the first pass.
 *
 * Starting it, and why it re-executes the program. mm_up may be called from
 * any thread of a multithreaded program (cluster.h promises that). After
 * fork() the child has only the calling thread, and a lock that another
 * thread held at that moment (libcurl's, OpenSSL's, the library's own, stdio
 * streams in use) stays locked forever in the child: POSIX allows only
 * async-signal-safe calls there. The watcher needs the whole engine client
 * (libcurl, TLS, cJSON, malloc) much later, so it cannot run in the forked
 * copy. Forking before any thread starts is not in the library's hands: the
 * caller decides when mm_up runs. So the forked children call only
 * async-signal-safe functions (setsid, fork, dup2, close, sigprocmask,
 * execve, write, _exit; close_range through syscall()) and then execute the
 * program's own file again (the path /proc/self/exe names, read before the
 * fork: under valgrind /proc/self/exe itself is valgrind's launcher; the
 * link itself when the file was deleted), a fresh single-threaded process. The constructor at the end of this file, which is linked into
 * every program that can call mm_up (mm_up calls mm_reaper_start), sees the
 * watcher's environment before main() runs and turns that process into the
 * watcher; it never returns to main(). Everything the parent side needs
 * (argv, environment, file descriptors) is prepared before the fork.
 *
 * Double fork and setsid: the watcher lives in a session of its own, so a
 * kill of the owner's process group (a CI runner cancelling a job, Ctrl-C on
 * the terminal, the terminal's hang-up) does not take it along; and it is
 * not the owner's child, so the owner has no zombie to collect and a
 * waitpid(-1) loop of the owner never sees it. Its standard input and output
 * are /dev/null, its standard error <dir>/.minimesos/reaper.log, so it holds
 * none of the owner's pipes open (a `$(minimesos run ...)` or a CI log
 * reader gets its end of file when the owner exits). */
#include "engine/reaper.h"
#include "engine/docker.h"
#include "engine/record.h"
#include "minimesos/cluster.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* The watcher's environment; its end of the owner's socket is fd 3, the
 * status pipe to mm_reaper_start fd 4. */
#define ENV_CLUSTER "MM_REAPER_CLUSTER"
#define ENV_DIR "MM_REAPER_DIR"
#define ENV_OWNER "MM_REAPER_OWNER"
#define WATCH_FD 3
#define STATUS_FD 4
/* How long mm_reaper_start waits for the watcher to say it is ready. */
#define READY_TIMEOUT_MS 10000

/* ---- the owner's side ---- */

typedef struct watcher {
    char *id;
    int fd;     /* the owner's end of the socket pair */
} watcher;

static pthread_mutex_t reg_mu = PTHREAD_MUTEX_INITIALIZER;
static watcher *reg;
static size_t reg_n, reg_cap;

/* fd moved to a number >= 10 with close-on-exec (the child's dup2 onto
 * 0..4 can then never overwrite a source); -1 stays -1. */
static int high_fd(int fd)
{
    if (fd < 0)
        return -1;
    int h = fcntl(fd, F_DUPFD_CLOEXEC, 10);
    close(fd);
    return h;
}

static char *env_entry(const char *name, const char *value)
{
    return mm_xasprintf("%s=%s", name, value);
}

/* The program's environment without any MM_REAPER_* of its own, plus the
 * watcher's three variables. NULL-terminated, malloc'd. */
static char **watcher_env(const char *dir, const char *id)
{
    size_t n = 0;
    for (char **e = environ; e && *e; e++)
        n++;
    char **env = mm_xcalloc(n + 4, sizeof *env);
    size_t k = 0;
    for (char **e = environ; e && *e; e++)
        if (strncmp(*e, "MM_REAPER_", 10) != 0)
            env[k++] = mm_xstrdup(*e);
    char pid[24];
    snprintf(pid, sizeof pid, "%ld", (long)getpid());
    env[k++] = env_entry(ENV_CLUSTER, id);
    env[k++] = env_entry(ENV_DIR, dir);
    env[k++] = env_entry(ENV_OWNER, pid);
    env[k] = NULL;
    return env;
}

static void free_env(char **env)
{
    for (char **e = env; e && *e; e++)
        free(*e);
    free(env);
}

/* fork() for the first child, a process with one thread: glibc's _Fork
 * where it exists, which runs no pthread_atfork handler (the program's own
 * handlers need not be async-signal-safe). */
static pid_t fork_in_child(void)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
    return _Fork();
#else
    return fork();
#endif
}

/* In the forked child: close every descriptor from `from` on. */
static void close_from(int from, long max)
{
#ifdef SYS_close_range
    if (syscall(SYS_close_range, (unsigned)from, ~0u, 0u) == 0)
        return;
#endif
    for (long fd = from; fd < max; fd++)
        close((int)fd);
}

/* The grandchild: descriptors in place, then the program again. Only
 * async-signal-safe calls. Does not return. */
__attribute__((noreturn)) static void exec_watcher(const char *exe, int owner_end, int watch_hi,
                                                   int status_hi, int log_hi, int null_hi, long max_fd,
                                                   char **argv, char **envp)
{
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    /* The watcher holds no copy of the owner's end (it has close-on-exec
     * too, but the watcher must not hold it even until the exec). */
    close(owner_end);
    if (dup2(null_hi, 0) < 0 || dup2(null_hi, 1) < 0 || dup2(log_hi, 2) < 0 ||
        dup2(watch_hi, WATCH_FD) < 0 || dup2(status_hi, STATUS_FD) < 0)
        _exit(127);
    close_from(STATUS_FD + 1, max_fd);
    execve(exe, argv, envp);
    int e = errno;
    if (strcmp(exe, "/proc/self/exe") != 0) {
        execve("/proc/self/exe", argv, envp);
        e = errno;
    }
    char msg[1 + sizeof e];
    msg[0] = 'E';
    memcpy(msg + 1, &e, sizeof e);
    ssize_t w = write(STATUS_FD, msg, sizeof msg);
    (void)w;
    _exit(127);
}

/* Wait for the watcher's word on the status pipe: 0 ready, -1 with *err. */
static int await_ready(int fd, const char *exe, const char *log_path, char **err)
{
    char buf[1 + sizeof(int)];
    size_t got = 0;
    struct pollfd p = { fd, POLLIN, 0 };
    while (got < sizeof buf) {
        int r = poll(&p, 1, READY_TIMEOUT_MS);
        if (r < 0 && errno == EINTR)
            continue;
        if (r == 0) {
            *err = mm_xasprintf("the reaper did not start within %d s (see %s)", READY_TIMEOUT_MS / 1000,
                                log_path);
            return -1;
        }
        ssize_t n = read(fd, buf + got, sizeof buf - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
        if (buf[0] == 'R')
            return 0;
    }
    if (got == sizeof buf && buf[0] == 'E') {
        int e;
        memcpy(&e, buf + 1, sizeof e);
        *err = mm_xasprintf("cannot start the reaper: executing %s: %s", exe, strerror(e));
    } else {
        *err = mm_xasprintf("the reaper ended before it was ready: %s, run again, did not become the "
                            "watcher (a program that loads libminimesos with dlopen cannot have one; "
                            "see %s)", exe, log_path);
    }
    return -1;
}

/* The program's file, for the watcher: what /proc/self/exe names, unless
 * it was deleted (then the link itself, which still reaches the image). */
static char *own_file(void)
{
    char buf[4096];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0 || (size_t)n >= sizeof buf - 1)
        return mm_xstrdup("/proc/self/exe");
    buf[n] = '\0';
    static const char deleted[] = " (deleted)";
    size_t dl = sizeof deleted - 1;
    if (((size_t)n > dl && strcmp(buf + n - dl, deleted) == 0) || access(buf, X_OK) != 0)
        return mm_xstrdup("/proc/self/exe");
    return mm_xstrdup(buf);
}

int mm_reaper_start(const char *dir, const char *id, char **err)
{
    int sv[2], status[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
        *err = mm_xasprintf("cannot start the reaper: socketpair: %s", strerror(errno));
        return -1;
    }
    if (pipe2(status, O_CLOEXEC) != 0) {
        *err = mm_xasprintf("cannot start the reaper: pipe: %s", strerror(errno));
        close(sv[0]);
        close(sv[1]);
        return -1;
    }
    char *log_path = mm_xasprintf("%s/.minimesos/reaper.log", dir);
    int null_hi = high_fd(open("/dev/null", O_RDWR | O_CLOEXEC));
    int log_hi = high_fd(open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
    if (log_hi < 0 && null_hi >= 0)
        log_hi = fcntl(null_hi, F_DUPFD_CLOEXEC, 10);
    int watch_hi = high_fd(sv[1]), status_hi = high_fd(status[1]);
    int owner_end = sv[0];
    char *argv[] = { (char *)"minimesos-reaper", (char *)id, NULL };
    char **envp = watcher_env(dir, id);
    char *exe = own_file();
    long max_fd = sysconf(_SC_OPEN_MAX);
    if (max_fd < 0 || max_fd > 65536)
        max_fd = 65536;

    int ret = -1;
    pid_t c1 = -1;
    if (null_hi < 0 || log_hi < 0 || watch_hi < 0 || status_hi < 0) {
        *err = mm_xasprintf("cannot start the reaper: %s", strerror(errno));
    } else if ((c1 = fork()) < 0) {
        *err = mm_xasprintf("cannot start the reaper: fork: %s", strerror(errno));
    } else if (c1 == 0) {
        /* From here to execve: async-signal-safe calls only (see the top). */
        if (setsid() < 0)
            _exit(1);
        pid_t c2 = fork_in_child();
        if (c2 != 0)
            _exit(c2 < 0 ? 1 : 0);
        exec_watcher(exe, owner_end, watch_hi, status_hi, log_hi, null_hi, max_fd, argv, envp);
    }
    /* The parent keeps only its end of the socket pair and the status pipe's
     * read end. */
    if (watch_hi >= 0)
        close(watch_hi);
    if (status_hi >= 0)
        close(status_hi);
    if (log_hi >= 0)
        close(log_hi);
    if (null_hi >= 0)
        close(null_hi);
    free_env(envp);
    if (c1 > 0) {
        int st;
        /* The first child exits at once; a SIGCHLD handler of the program may
         * have collected it already (ECHILD). */
        while (waitpid(c1, &st, 0) < 0 && errno == EINTR)
            ;
        ret = await_ready(status[0], exe, log_path, err);
    }
    free(exe);
    close(status[0]);
    free(log_path);
    if (ret != 0) {
        close(owner_end); /* a watcher that did start sees end of file: nothing to remove yet */
        return -1;
    }
    pthread_mutex_lock(&reg_mu);
    if (reg_n == reg_cap) {
        reg_cap = reg_cap ? 2 * reg_cap : 4;
        reg = mm_xrealloc(reg, reg_cap * sizeof *reg);
    }
    reg[reg_n++] = (watcher){ mm_xstrdup(id), owner_end };
    pthread_mutex_unlock(&reg_mu);
    return 0;
}

bool mm_reaper_disarm(const char *id)
{
    if (!id)
        return false;
    int fd = -1;
    pthread_mutex_lock(&reg_mu);
    for (size_t i = 0; i < reg_n; i++) {
        if (strcmp(reg[i].id, id) == 0) {
            fd = reg[i].fd;
            free(reg[i].id);
            reg[i] = reg[--reg_n];
            break;
        }
    }
    pthread_mutex_unlock(&reg_mu);
    if (fd < 0)
        return false;
    ssize_t w;
    do
        w = send(fd, "d", 1, MSG_NOSIGNAL);
    while (w < 0 && errno == EINTR);
    close(fd);
    return true;
}

bool mm_running_keep(const mm_running *rc)
{
    return rc && mm_reaper_disarm(rc->cluster_id);
}

/* ---- the watcher's side: a fresh process, before main() ---- */

/* One line of the log (standard error: <dir>/.minimesos/reaper.log). */
static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    char when[32] = "";
    time_t t = time(NULL);
    struct tm tm;
    if (localtime_r(&t, &tm))
        strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
    fprintf(stderr, "%s minimesos-reaper[%ld]: ", when, (long)getpid());
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
}

/* The record, if it still names cluster id, under the folder's lock (an up
 * of a new cluster there holds it; wait for it, 30 s at most). */
static void remove_record_if_ours(const char *dir, const char *id)
{
    char *rec = NULL;
    if (mm_record_read(dir, &rec) != 0 || strcmp(rec, id) != 0) {
        free(rec);
        return;
    }
    free(rec);
    int fd = -1, lr = 1;
    char *why = NULL;
    for (int i = 0; i < 300 && (lr = mm_lock_dir(dir, false, &fd, &why)) == 1; i++)
        usleep(100 * 1000);
    if (lr != 0) {
        say("left the record of cluster %s: %s", id, why ? why : "its folder stayed locked for 30 s");
        free(why);
        return;
    }
    if (mm_record_read(dir, &rec) == 0 && strcmp(rec, id) == 0) {
        mm_record_remove(dir);
        say("removed the record %s/.minimesos/minimesos.cluster", dir);
    }
    free(rec);
    mm_unlock_dir(fd);
}

/* Remove what carries cluster id's label; 0 when nothing is left. */
static int reap(const char *dir, const char *id)
{
    mm_docker d;
    mm_error e = { MM_ERR_NONE, NULL };
    int attempt;
    for (attempt = 0; attempt < 5; attempt++) {
        if (mm_engine_open(&d, dir, &e) == 0)
            break;
        say("%s", e.message);
        mm_error_free(&e);
        mm_docker_free(&d);
        sleep(2);
    }
    if (attempt == 5) {
        say("gave up: run `minimesos destroy` in %s", dir);
        return 1;
    }
    int ret = 0;
    /* Again 2 s later, and 5 s after that if the second pass found
     * something: a create the owner sent just before it died. */
    for (int pass = 0; pass < 3; pass++) {
        size_t removed = 0;
        char *why = NULL;
        int r = mm_destroy_cluster_only(&d, dir, id, &removed, &why);
        if (r == -1) {
            say("%s", why ? why : "removal failed");
            ret = 1;
        } else if (r == 0) {
            say("removed cluster %s (%zu container%s)", id, removed, removed == 1 ? "" : "s");
        }
        free(why);
        if (pass == 0)
            remove_record_if_ours(dir, id);
        if (pass > 0 && r == MM_NO_CLUSTER)
            break;
        sleep(pass == 0 ? 2 : 5);
    }
    mm_docker_free(&d);
    return ret;
}

static int watch(const char *id, const char *dir, const char *owner)
{
    say("watching cluster %s of %s for process %s", id, dir, owner);
    /* Ready: mm_up goes on. */
    ssize_t w = write(STATUS_FD, "R", 1);
    (void)w;
    close(STATUS_FD);
    char c;
    ssize_t n;
    do
        n = recv(WATCH_FD, &c, 1, 0);
    while (n < 0 && errno == EINTR);
    if (n == 1) {
        say("process %s destroyed cluster %s or keeps it: nothing to do", owner, id);
        return 0;
    }
    say("process %s is gone: removing cluster %s", owner, id);
    return reap(dir, id);
}

static bool all_digits(const char *s)
{
    if (!s || !*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

/* Runs before main() in every program that links mm_up (and before the
 * program's own constructors: 101 is the first priority left to programs).
 * Only a process started by mm_reaper_start has the three variables AND a
 * socket on fd 3 AND a pipe on fd 4; any other returns at once and the
 * program runs as usual. */
__attribute__((constructor(101))) static void become_reaper_if_asked(void)
{
    const char *id = getenv(ENV_CLUSTER), *dir = getenv(ENV_DIR), *owner = getenv(ENV_OWNER);
    struct stat w, s;
    if (!all_digits(id) || !dir || dir[0] != '/' || !all_digits(owner) || fstat(WATCH_FD, &w) != 0 ||
        !S_ISSOCK(w.st_mode) || fstat(STATUS_FD, &s) != 0 || !S_ISFIFO(s.st_mode))
        return;
    /* Never killed by a write to a closed pipe or socket (the status pipe of
     * an owner that died at once); stopped by SIGTERM or SIGHUP if someone
     * asks, whatever the owner had ignored. */
    signal(SIGPIPE, SIG_IGN);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    int cd = chdir("/"); /* pin no folder: dir is absolute */
    (void)cd;
    prctl(PR_SET_NAME, "minimesos-reap", 0, 0, 0); /* for ps and top, not "exe" */
    char *cid = mm_xstrdup(id), *cdir = mm_xstrdup(dir), *cowner = mm_xstrdup(owner);
    unsetenv(ENV_CLUSTER);
    unsetenv(ENV_DIR);
    unsetenv(ENV_OWNER);
    int rc = watch(cid, cdir, cowner);
    free(cid);
    free(cdir);
    free(cowner);
    _exit(rc);
}
