/*
 * vmsnapshot-freeze: holds a file-system freeze for the handler and guarantees the thaw.
 *
 *   vmsnapshot-freeze <timeoutSeconds> <mount>...   a freeze session (protocol below)
 *   vmsnapshot-freeze --thaw <mount>...              thaw only: recovery after a killed helper
 *
 * Why a separate process: a frozen file system blocks every writer, so the process that holds the
 * freeze must never write to any file system, and the thaw must happen even when the handler dies.
 * This program writes only to stdout (a pipe) and thaws when told, when its timeout expires, when it
 * gets a signal, or when its parent is gone. Only SIGKILL (or SIGSTOP) of this process can leave
 * file systems frozen; the handler's freeze record under /run covers that case.
 *
 * The handshake is lines on pipes, not signals (a JVM cannot catch SIGUSR1 portably):
 *   helper  "ready <n>"        every mount opened and checked to be a mount root; nothing frozen yet
 *   parent  "freeze"
 *   helper  "frozen <n>"       all n frozen, in the order given
 *   parent  "thaw"             (or end of file: the parent died)
 *   helper  "thawing <why>"    why = request | parent-gone | timeout | signal-<NAME> | protocol
 *           per mount, in reverse order: "thawed <m>" | "not-frozen <m>" | "thaw-failed <m> <text>"
 *           "done <thawed> <failed>"
 * Failures: "error 123 <m> <text>" (cannot open, or not a mount point) or "error 121 <m> <text>"
 * (FIFREEZE failed); what was already frozen is thawed with the lines above, then it exits.
 * Mount paths in output are escaped as in /proc/self/mountinfo (\ooo for space, tab, newline, '\').
 *
 * Exit codes: 0 thawed on request; 2 usage; 10 auto-thaw on timeout; 11 parent gone;
 * 12 signal; 14 protocol error; 13 some thaw failed (wins over 0 and 10-14);
 * 121 freeze failed; 123 cannot open a mount. Thaw-only mode: 0 all fine, 13 some thaw failed.
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
        snprintf(reason, sizeof reason, "signal-%s", name != NULL ? name : "UNKNOWN");
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
        if (ioctl(fds[i], FITHAW, 0) == 0) {
            say("thawed", mounts[i], NULL);
            thawed++;
        } else if (errno == EINVAL) {
            /* Not frozen: someone thawed it before us. */
            say("not-frozen", mounts[i], NULL);
            thawed++;
        } else {
            say("thaw-failed", mounts[i], strerror(errno));
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
            say("thawed", mounts[i], NULL);
            thawed++;
        } else if (errno == EINVAL) {
            say("not-frozen", mounts[i], NULL);
            thawed++;
        } else {
            say("thaw-failed", mounts[i], strerror(errno));
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

    int frozen = 0;
    int freeze_error = 0;
    for (int i = 0; i < count; i++) {
        if (stop_requested()) {
            break;
        }
        if (ioctl(fds[i], FIFREEZE, 0) != 0) {
            char text[128];
            snprintf(text, sizeof text, "%s", strerror(errno));
            say("error 121", mounts[i], text);
            freeze_error = 1;
            break;
        }
        frozen++;
    }
    if (!freeze_error && frozen == count) {
        say_count("frozen", count, 0, 0);
        if (wait_for("thaw", now_ms() + timeout_seconds * 1000L)) {
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

static int usage(void) {
    say("error", NULL, "2 - usage: vmsnapshot-freeze <timeoutSeconds> <mount>... | --thaw <mount>...");
    return EXIT_USAGE;
}

int main(int argc, char **argv) {
    /* Every catchable signal that would end or stop us becomes a thaw request, read through a
     * signalfd so that it is handled in the loop rather than in an async handler. */
    static const int trapped[] = {SIGHUP, SIGINT, SIGQUIT, SIGABRT, SIGPIPE, SIGALRM, SIGTERM,
                                  SIGUSR1, SIGUSR2, SIGTSTP, SIGTTIN, SIGTTOU, SIGXCPU, SIGXFSZ,
                                  SIGVTALRM, SIGPROF};
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < sizeof trapped / sizeof trapped[0]; i++) {
        sigaddset(&set, trapped[i]);
    }
    if (sigprocmask(SIG_BLOCK, &set, NULL) != 0) {
        return EXIT_USAGE;
    }
    original_parent = getppid();

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
    signal_fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
    int flags = fcntl(STDIN_FILENO, F_GETFL);
    if (signal_fd < 0 || flags < 0 || fcntl(STDIN_FILENO, F_SETFL, flags | O_NONBLOCK) != 0) {
        say("error", NULL, "2 - cannot set up signal or stdin handling");
        return EXIT_USAGE;
    }
    return session(timeout, argc - 2, argv + 2);
}
