/*
 * vmsnapshot-freeze: holds a file-system freeze for the handler and guarantees the thaw.
 *
 *   vmsnapshot-freeze <timeoutSeconds> <mount>...   a freeze session (protocol below)
 *   vmsnapshot-freeze --thaw <mount>...              thaw only: recovery after a killed helper
 *   vmsnapshot-freeze --writers <path>...            whether anyone holds a file open for writing
 *
 * Why a separate process: a frozen file system blocks every writer, so the process that holds the
 * freeze must never write to any file system, and the thaw must happen even when the handler dies.
 * This program writes only to stdout (a pipe) and /dev/kmsg (a character device), and thaws when told,
 * when its timeout expires, when it gets a signal, or when its parent is gone. Every signal that can
 * end it thaws first: all but the synchronous faults go through a signalfd; SEGV, BUS, ILL, FPE,
 * ABRT, TRAP and SYS have one-shot handlers that FITHAW what is frozen and re-raise. Only SIGKILL
 * (and SIGSTOP, which only pauses) are left: the handler then thaws around this process with
 * "--thaw" (FITHAW works from any process), and the freeze record under /run covers a handler that
 * is gone too. The kernel's OOM killer is told to leave this process alone (oom_score_adj -1000).
 *
 * Each freeze and thaw of a mount is also one line in the kernel log (/dev/kmsg), e.g.
 * "vmsnapshot-freeze[812]: froze /data", so that the serial console of a VM hung on a frozen file
 * system shows what froze and what thawed. Errors writing it are ignored.
 *
 * The handshake is lines on pipes, not signals (a JVM cannot catch SIGUSR1 portably):
 *   helper  "ready <n>"        every mount opened and checked to be a mount root; nothing frozen yet
 *   parent  "freeze"
 *   helper  "freezing <m>"     before each FIFREEZE: a freeze that never returns (stalled I/O) names
 *                              its mount, and the mounts before it are the ones frozen
 *   helper  "frozen <n>"       all n frozen, in the order given
 *   parent  "thaw"             (or end of file: the parent died)
 *   helper  "thawing <why>"    why = request | parent-gone | timeout | signal-<NAME> | protocol
 *           per mount, in reverse order: "thawed <m>" | "not-frozen <m>" | "thaw-failed <m> <text>"
 *           "done <thawed> <failed>"
 * Failures: "error 123 <m> <text>" (cannot open, or not a mount point) or "error 121 <m> <text>"
 * (FIFREEZE failed); what was already frozen is thawed with the lines above, then it exits.
 * Mount paths in output are escaped as in /proc/self/mountinfo (\ooo for space, tab, newline, '\').
 *
 * The timeout counts from the first FIFREEZE: a slow freeze of a later mount does not keep the
 * first ones frozen longer.
 *
 * Exit codes: 0 thawed on request; 2 usage; 10 auto-thaw on timeout; 11 parent gone;
 * 12 signal; 14 protocol error; 13 some thaw failed (wins over 0 and 10-14);
 * 121 freeze failed; 123 cannot open a mount. Thaw-only mode: 0 all fine, 13 some thaw failed.
 *
 * Writers mode freezes nothing. It asks the kernel, in O(1) per file, whether any process holds a
 * file open for writing, which a JVM cannot (no fcntl): a read lease (F_SETLEASE F_RDLCK) is refused
 * with EAGAIN while the inode's write count is above zero, and that count also covers descriptors
 * of processes in other pid namespaces, descriptors in flight in a Unix socket and MAP_SHARED
 * writable mappings whose descriptor was closed. The lease is released at once. Each path is opened
 * with O_NONBLOCK (never wait for another holder's lease to be broken) and O_NOFOLLOW, and only a
 * regular file is leased. One line per path, in argument order:
 *   "none <dev> <ino>"            nobody holds the file open for writing
 *   "writer <dev> <ino>"          some process does (EAGAIN)
 *   "unknown <dev> <ino> <err>"   no answer: leases disabled (fs.leases-enable) or not offered by the
 *                                 file system (EINVAL), not the file's owner without CAP_LEASE (EACCES)…
 *   "unknown - - <err>"           the path could not be opened or is not a regular file (ENOTREG)
 * <dev> and <ino> are fstat's st_dev and st_ino in decimal, so the caller can check that the answer
 * is about the inode it checked; <err> is the errno's name (e.g. EINVAL), else its number. SIGIO,
 * which the kernel sends a lease holder when someone opens the file for writing, is blocked with
 * every other signal, and the lease is gone before this process ends. Exit 0 when every line was
 * printed, 2 on usage.
 *
 * Not PR_SET_PDEATHSIG: it fires when the *thread* that forked us exits, and a JVM forks from
 * whichever thread called ProcessBuilder.start, which may end long before the backup does. Instead
 * the parent's death is seen as end of file on stdin, and as a change of getppid() (covers a pipe
 * that some other process still holds open), checked every 250 ms.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

enum {
    EXIT_THAWED = 0,
    EXIT_USAGE = 2,
    EXIT_TIMEOUT = 10,
    EXIT_PARENT_GONE = 11,
    EXIT_SIGNAL = 12,
    EXIT_THAW_FAILED = 13,
    EXIT_PROTOCOL = 14,
    EXIT_FREEZE_FAILED = 121,
    EXIT_OPEN_FAILED = 123,
};

#define PARENT_CHECK_MS 250
#define MAX_TIMEOUT_SECONDS 86400L

/* Why the freeze ends; the text after "thawing ". */
static char stop_reason[64];
static int stop_exit;

static pid_t original_parent;
static int signal_fd = -1;
static int kmsg_fd = -1;

/* What the fault handlers thaw: the descriptors frozen so far, in freeze order. frozen_count only
 * grows after a FIFREEZE succeeded and shrinks after a FITHAW, so a handler never misses one (a
 * second FITHAW of a thawed mount is a harmless EINVAL). */
static int *frozen_fds;
static volatile sig_atomic_t frozen_count;
static char stdin_line[64];
static size_t stdin_used;

/* --- output: one write(2) per line, straight to the pipe; never stdio, never a file --- */

static void out_append(char *buf, size_t *len, size_t cap, const char *s) {
    size_t n = strlen(s);
    if (*len + n > cap) {
        n = cap - *len;
    }
    memcpy(buf + *len, s, n);
    *len += n;
}

static void out_append_escaped(char *buf, size_t *len, size_t cap, const char *s) {
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char) *s;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\\') {
            char esc[5];
            snprintf(esc, sizeof esc, "\\%03o", c);
            out_append(buf, len, cap, esc);
        } else {
            char one[2] = {(char) c, '\0'};
            out_append(buf, len, cap, one);
        }
    }
}

/* Writes "<word>[ <escaped mount>][ <text>]\n"; a parent that is gone gets EPIPE, which is fine. */
static void say(const char *word, const char *mount, const char *text) {
    char buf[3 * PATH_MAX + 256];
    size_t len = 0;
    out_append(buf, &len, sizeof buf - 1, word);
    if (mount != NULL) {
        out_append(buf, &len, sizeof buf - 1, " ");
        out_append_escaped(buf, &len, sizeof buf - 1, mount);
    }
    if (text != NULL) {
        out_append(buf, &len, sizeof buf - 1, " ");
        out_append(buf, &len, sizeof buf - 1, text);
    }
    buf[len++] = '\n';
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(STDOUT_FILENO, buf + done, len - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return;
        }
        done += (size_t) n;
    }
}

static void say_count(const char *word, long a, long b, int two) {
    char text[64];
    if (two) {
        snprintf(text, sizeof text, "%ld %ld", a, b);
    } else {
        snprintf(text, sizeof text, "%ld", a);
    }
    say(word, NULL, text);
}

/* One line in the kernel log: "vmsnapshot-freeze[<pid>]: <word> <escaped mount>[: <text>]". */
static void kmsg(const char *word, const char *mount, const char *text) {
    if (kmsg_fd < 0) {
        return;
    }
    char buf[2 * PATH_MAX + 256];
    size_t len = 0;
    char head[64];
    /* <4>: warning, which a console at the usual log level 7 shows (notice and info may be quiet). */
    snprintf(head, sizeof head, "<4>vmsnapshot-freeze[%ld]: ", (long) getpid());
    out_append(buf, &len, sizeof buf - 1, head);
    out_append(buf, &len, sizeof buf - 1, word);
    out_append(buf, &len, sizeof buf - 1, " ");
    out_append_escaped(buf, &len, sizeof buf - 1, mount);
    if (text != NULL) {
        out_append(buf, &len, sizeof buf - 1, ": ");
        out_append(buf, &len, sizeof buf - 1, text);
    }
    buf[len++] = '\n';
    if (write(kmsg_fd, buf, len) < 0) {
        /* No kernel log to write to (a container, a read-only /dev): the pipe still has it all. */
    }
}

/* --- opening: each path must be the root of a mount, or FIFREEZE would hit the file system
 *     that merely contains it (a subdirectory of / would freeze /) --- */

static int is_mount_root(int fd) {
    struct statx sx;
    if (statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &sx) == 0
            && (sx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) != 0) {
        return (sx.stx_attributes & STATX_ATTR_MOUNT_ROOT) != 0;
    }
    /* Kernels before 5.8: a mount root sits on another device than its parent, or is "/". */
    struct stat self, parent;
    if (fstat(fd, &self) != 0 || fstatat(fd, "..", &parent, 0) != 0) {
        return 0;
    }
    return self.st_dev != parent.st_dev || self.st_ino == parent.st_ino;
}

/* Returns an fd, or -1 with errno set (ENOTBLK standing for "not a mount point"). */
static int open_mount(const char *path) {
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        return -1;
    }
    if (!is_mount_root(fd)) {
        close(fd);
        errno = ENOTBLK;
        return -1;
    }
    return fd;
}

static const char *open_error_text(int err) {
    return err == ENOTBLK ? "not a mount point" : strerror(err);
}

/* --- events: stdin lines, signals, the parent going away, the deadline --- */

static long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void stop(const char *reason, int exit_code) {
    snprintf(stop_reason, sizeof stop_reason, "%s", reason);
    stop_exit = exit_code;
}

static void take_signal(void) {
    struct signalfd_siginfo info;
    if (read(signal_fd, &info, sizeof info) == (ssize_t) sizeof info) {
        const char *name = sigabbrev_np((int) info.ssi_signo);
        char reason[48];
        if (name != NULL) {
            snprintf(reason, sizeof reason, "signal-%s", name);
        } else {
            /* The real-time signals have no abbreviation: signal-34 for SIGRTMIN. */
            snprintf(reason, sizeof reason, "signal-%u", info.ssi_signo);
        }
        stop(reason, EXIT_SIGNAL);
    }
}

/* Reads what stdin has; returns 1 and fills `command` when a whole line arrived. */
static int take_stdin(char *command, size_t cap) {
    for (;;) {
        char *nl = memchr(stdin_line, '\n', stdin_used);
        if (nl != NULL) {
            size_t n = (size_t) (nl - stdin_line);
            snprintf(command, cap, "%.*s", (int) n, stdin_line);
            memmove(stdin_line, nl + 1, stdin_used - n - 1);
            stdin_used -= n + 1;
            return 1;
        }
        if (stdin_used == sizeof stdin_line) {
            stop("protocol", EXIT_PROTOCOL);
            return 0;
        }
        ssize_t n = read(STDIN_FILENO, stdin_line + stdin_used, sizeof stdin_line - stdin_used);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && errno == EAGAIN) {
            return 0;
        }
        if (n <= 0) {
            stop("parent-gone", EXIT_PARENT_GONE);
            return 0;
        }
        stdin_used += (size_t) n;
    }
}

/*
 * Waits until `expected` arrives on stdin (returns 1) or something ends the session (returns 0,
 * stop_reason set). deadline_ms < 0 waits without a deadline; 0 only looks at what is pending.
 */
static int wait_for(const char *expected, long deadline_ms) {
    for (;;) {
        char command[sizeof stdin_line];
        if (take_stdin(command, sizeof command)) {
            if (strcmp(command, expected) == 0) {
                return 1;
            }
            stop(strcmp(command, "thaw") == 0 ? "request" : "protocol",
                 strcmp(command, "thaw") == 0 ? EXIT_THAWED : EXIT_PROTOCOL);
            return 0;
        }
        if (stop_reason[0] != '\0') {
            return 0;
        }
        if (getppid() != original_parent) {
            stop("parent-gone", EXIT_PARENT_GONE);
            return 0;
        }
        long wait_ms = PARENT_CHECK_MS;
        if (deadline_ms >= 0) {
            long left = deadline_ms - now_ms();
            if (left <= 0) {
                if (deadline_ms > 0) {
                    stop("timeout", EXIT_TIMEOUT);
                }
                return 0;
            }
            if (left < wait_ms) {
                wait_ms = left;
            }
        }
        struct pollfd fds[2] = {
            {.fd = STDIN_FILENO, .events = POLLIN},
            {.fd = signal_fd, .events = POLLIN},
        };
        int ready = poll(fds, 2, (int) wait_ms);
        if (ready < 0 && errno != EINTR) {
            stop("protocol", EXIT_PROTOCOL);
            return 0;
        }
        if (ready > 0 && (fds[1].revents & POLLIN) != 0) {
            take_signal();
            return 0;
        }
    }
}

/* True when a signal or end of input asks to stop; does not wait. */
static int stop_requested(void) {
    struct pollfd fds[2] = {
        {.fd = STDIN_FILENO, .events = POLLIN},
        {.fd = signal_fd, .events = POLLIN},
    };
    if (poll(fds, 2, 0) > 0) {
        if ((fds[1].revents & POLLIN) != 0) {
            take_signal();
        } else if ((fds[0].revents & (POLLIN | POLLHUP)) != 0) {
            char command[sizeof stdin_line];
            if (take_stdin(command, sizeof command)) {
                stop(strcmp(command, "thaw") == 0 ? "request" : "protocol",
                     strcmp(command, "thaw") == 0 ? EXIT_THAWED : EXIT_PROTOCOL);
            }
        }
    }
    return stop_reason[0] != '\0' || getppid() != original_parent;
}

/* --- thaw --- */

/* Thaws fds[0..count) in reverse order; returns the number that failed. */
static int thaw_all(char **mounts, const int *fds, int count) {
    int thawed = 0;
    int failed = 0;
    for (int i = count - 1; i >= 0; i--) {
        int err = ioctl(fds[i], FITHAW, 0) == 0 ? 0 : errno;
        frozen_count = i;
        if (err == 0) {
            kmsg("thawed", mounts[i], NULL);
            say("thawed", mounts[i], NULL);
            thawed++;
        } else if (err == EINVAL) {
            /* Not frozen: someone thawed it before us. */
            say("not-frozen", mounts[i], NULL);
            thawed++;
        } else {
            kmsg("thaw-failed", mounts[i], strerror(err));
            say("thaw-failed", mounts[i], strerror(err));
            failed++;
        }
    }
    say_count("done", thawed, failed, 1);
    return failed;
}

static int thaw_only(int count, char **mounts) {
    int failed = 0;
    int thawed = 0;
    say("thawing", NULL, "recovery");
    for (int i = count - 1; i >= 0; i--) {
        int fd = open_mount(mounts[i]);
        if (fd < 0) {
            /* Unmounted since: nothing of ours to thaw, and FITHAW on the directory left
             * behind would thaw the file system that contains it. */
            say("gone", mounts[i], open_error_text(errno));
            thawed++;
            continue;
        }
        if (ioctl(fd, FITHAW, 0) == 0) {
            kmsg("thawed", mounts[i], NULL);
            say("thawed", mounts[i], NULL);
            thawed++;
        } else if (errno == EINVAL) {
            say("not-frozen", mounts[i], NULL);
            thawed++;
        } else {
            int err = errno;
            kmsg("thaw-failed", mounts[i], strerror(err));
            say("thaw-failed", mounts[i], strerror(err));
            failed++;
        }
        close(fd);
    }
    say_count("done", thawed, failed, 1);
    return failed > 0 ? EXIT_THAW_FAILED : EXIT_THAWED;
}

/* --- the session --- */

static int session(long timeout_seconds, int count, char **mounts) {
    int *fds = calloc((size_t) count, sizeof *fds);
    if (fds == NULL) {
        say("error", NULL, "121 - out of memory");
        return EXIT_FREEZE_FAILED;
    }
    for (int i = 0; i < count; i++) {
        fds[i] = open_mount(mounts[i]);
        if (fds[i] < 0) {
            say("error 123", mounts[i], open_error_text(errno));
            return EXIT_OPEN_FAILED;
        }
    }
    say_count("ready", count, 0, 0);

    if (!wait_for("freeze", -1)) {
        /* Nothing is frozen yet: nothing to thaw. */
        say("thawing", NULL, stop_reason);
        say_count("done", 0, 0, 1);
        return stop_exit;
    }

    frozen_fds = fds;
    int frozen = 0;
    int freeze_error = 0;
    long first_freeze_ms = now_ms();
    for (int i = 0; i < count; i++) {
        if (stop_requested()) {
            break;
        }
        say("freezing", mounts[i], NULL);
        if (ioctl(fds[i], FIFREEZE, 0) != 0) {
            char text[128];
            snprintf(text, sizeof text, "%s", strerror(errno));
            kmsg("freeze-failed", mounts[i], text);
            say("error 121", mounts[i], text);
            freeze_error = 1;
            break;
        }
        frozen++;
        frozen_count = frozen;
        kmsg("froze", mounts[i], NULL);
    }
    if (!freeze_error && frozen == count) {
        say_count("frozen", count, 0, 0);
        if (wait_for("thaw", first_freeze_ms + timeout_seconds * 1000L)) {
            stop("request", EXIT_THAWED);
        }
    } else if (!freeze_error && stop_reason[0] == '\0') {
        stop("parent-gone", EXIT_PARENT_GONE);
    }
    say("thawing", NULL, freeze_error ? "freeze-failed" : stop_reason);
    int failed = thaw_all(mounts, fds, frozen);
    if (freeze_error) {
        return EXIT_FREEZE_FAILED;
    }
    return failed > 0 ? EXIT_THAW_FAILED : stop_exit;
}

/* --- writers: the kernel's answer to "is this file open for writing anywhere?" --- */

static void say_writers(const char *verdict, const struct stat *st, int err) {
    char text[128];
    char dev_ino[64];
    if (st != NULL) {
        snprintf(dev_ino, sizeof dev_ino, "%llu %llu", (unsigned long long) st->st_dev,
                 (unsigned long long) st->st_ino);
    } else {
        snprintf(dev_ino, sizeof dev_ino, "- -");
    }
    if (err == 0) {
        snprintf(text, sizeof text, "%s", dev_ino);
    } else if (err < 0) {
        snprintf(text, sizeof text, "%s ENOTREG", dev_ino);
    } else {
        const char *name = strerrorname_np(err);
        if (name != NULL) {
            snprintf(text, sizeof text, "%s %s", dev_ino, name);
        } else {
            snprintf(text, sizeof text, "%s %d", dev_ino, err);
        }
    }
    say(verdict, NULL, text);
}

static void probe_writers(const char *path) {
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        say_writers("unknown", NULL, errno);
        return;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        say_writers("unknown", NULL, errno);
    } else if (!S_ISREG(st.st_mode)) {
        say_writers("unknown", NULL, -1);
    } else if (fcntl(fd, F_SETLEASE, F_RDLCK) == 0) {
        /* Released before anything else: a writer that opens the file meanwhile waits only for
         * this, not for lease-break-time. */
        fcntl(fd, F_SETLEASE, F_UNLCK);
        say_writers("none", &st, 0);
    } else if (errno == EAGAIN) {
        say_writers("writer", &st, 0);
    } else {
        say_writers("unknown", &st, errno);
    }
    close(fd);
}

static int writers(int count, char **paths) {
    for (int i = 0; i < count; i++) {
        probe_writers(paths[i]);
    }
    return 0;
}

static int usage(void) {
    say("error", NULL, "2 - usage: vmsnapshot-freeze <timeoutSeconds> <mount>... | --thaw <mount>..."
        " | --writers <path>...");
    return EXIT_USAGE;
}

/*
 * A synchronous fault (or abort()) while frozen: thaw in reverse, then die of the signal as before.
 * Only ioctl here, which is async-signal-safe; SA_RESETHAND|SA_NODEFER make the re-raise fatal.
 */
static void thaw_and_die(int sig) {
    for (int i = frozen_count - 1; i >= 0; i--) {
        ioctl(frozen_fds[i], FITHAW, 0);
    }
    kill(getpid(), sig);
}

static const int fault_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGSYS};

static int install_fault_handlers(void) {
    /* Its own stack: a SIGSEGV from a stack overflow must still reach the handler. */
    static char alt_stack[64 * 1024];
    stack_t ss = {.ss_sp = alt_stack, .ss_size = sizeof alt_stack, .ss_flags = 0};
    if (sigaltstack(&ss, NULL) != 0) {
        return -1;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = thaw_and_die;
    sa.sa_flags = SA_RESETHAND | SA_NODEFER | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof fault_signals / sizeof fault_signals[0]; i++) {
        if (sigaction(fault_signals[i], &sa, NULL) != 0) {
            return -1;
        }
    }
    return 0;
}

/*
 * The kernel's signal set (64 bits) of every signal that ends or stops this process by default and
 * can be caught: all but SIGKILL and SIGSTOP, those ignored by default (CHLD, CONT, URG, WINCH), and
 * the synchronous faults, which a blocked mask would turn into a plain kill. SIGABRT is in it
 * (kill -ABRT reaches the signalfd) and has a handler too, for abort(), which unblocks it. Built by
 * hand because glibc's sigset functions refuse signals 32 and 33, which it keeps for itself; a
 * static program single-threaded as this one never uses them, and `kill -32` would end it.
 */
static unsigned long kernel_signal_set(void) {
    static const int kept_out[] = {SIGKILL, SIGSTOP, SIGCHLD, SIGCONT, SIGURG, SIGWINCH,
                                   SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS};
    unsigned long set = ~0UL;
    for (size_t i = 0; i < sizeof kept_out / sizeof kept_out[0]; i++) {
        set &= ~(1UL << (kept_out[i] - 1));
    }
    return set;
}

/* -1000: never the OOM killer's choice, which would be a SIGKILL with file systems frozen. */
static void protect_from_oom_killer(void) {
    int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
    if (fd >= 0) {
        if (write(fd, "-1000", 5) < 0) {
            /* Without CAP_SYS_RESOURCE, or no /proc: the freeze still works. */
        }
        close(fd);
    }
}

int main(int argc, char **argv) {
    /* Every catchable signal that would end or stop us becomes a thaw request, read through a
     * signalfd so that it is handled in the loop rather than in an async handler. Raw system calls:
     * the kernel's 8-byte set, with 32 and 33 (see kernel_signal_set). */
    unsigned long set = kernel_signal_set();
    if (syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, sizeof set) != 0
            || install_fault_handlers() != 0) {
        return EXIT_USAGE;
    }
    if (argc >= 3 && strcmp(argv[1], "--writers") == 0) {
        /* Freezes nothing: neither the OOM shield nor the kernel log is its business. */
        return writers(argc - 2, argv + 2);
    }
    original_parent = getppid();
    protect_from_oom_killer();
    kmsg_fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);

    if (argc >= 3 && strcmp(argv[1], "--thaw") == 0) {
        return thaw_only(argc - 2, argv + 2);
    }
    if (argc < 3) {
        return usage();
    }
    char *end;
    errno = 0;
    long timeout = strtol(argv[1], &end, 10);
    if (errno != 0 || *end != '\0' || timeout <= 0 || timeout > MAX_TIMEOUT_SECONDS) {
        return usage();
    }
    signal_fd = (int) syscall(SYS_signalfd4, -1, &set, sizeof set, SFD_CLOEXEC | SFD_NONBLOCK);
    int flags = fcntl(STDIN_FILENO, F_GETFL);
    if (signal_fd < 0 || flags < 0 || fcntl(STDIN_FILENO, F_SETFL, flags | O_NONBLOCK) != 0) {
        say("error", NULL, "2 - cannot set up signal or stdin handling");
        return EXIT_USAGE;
    }
    return session(timeout, argc - 2, argv + 2);
}
