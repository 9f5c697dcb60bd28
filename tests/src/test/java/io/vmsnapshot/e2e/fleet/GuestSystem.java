package io.vmsnapshot.e2e.fleet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Another system to run the package in: a throw-away overlay over a {@link Userland}, used as the
 * root of every command run through it, with its own /proc, a minimal /dev, a small tmpfs at
 * {@link #FREEZE_TARGET} and the test's sandbox bind-mounted at its own path (so every path the
 * agent simulator writes, and the handler reads, is the same inside and out).
 *
 * <p>All of those mounts live in a private mount namespace held by one process ({@code unshare}):
 * the machine never sees them, so no recursive delete can walk into the guest's /dev, and they all
 * vanish when the holder and the processes started inside have ended. The holder ends when its
 * stdin closes, which {@link #close()} does, and so does the death of the test JVM.
 */
final class GuestSystem implements AutoCloseable {
    /** A tmpfs of the guest's own: FIFREEZE on it fails on any kernel (tmpfs cannot freeze), so nothing real is ever frozen. */
    static final String FREEZE_TARGET = "/mnt/vmsnapshot-freeze-target";
    private static final String REAL_SETSID = "usr/lib/vmsnapshot-tests/setsid.util-linux";
    private static final String OLD_SETSID_RESOURCE = "setsid-2.23";
    /** The machine's own tools, by absolute path: a command's environment (its PATH) is the guest's business. */
    private static final Path NSENTER = hostTool("nsenter");
    private static final Path CHROOT = hostTool("chroot");
    private static final Duration START_WAIT = Duration.ofSeconds(30);
    private static final Duration STOP_WAIT = Duration.ofSeconds(20);
    private static final String HOLDER_SCRIPT = String.join("\n",
            "set -eu",
            "lower=$1 upper=$2 work=$3 root=$4 shared=$5 freeze_target=$6",
            "mount -t overlay vmsnapshot-guest -o \"lowerdir=$lower,upperdir=$upper,workdir=$work\" \"$root\"",
            "mount -t proc proc \"$root/proc\"",
            "mount -t tmpfs -o mode=0755,size=1m vmsnapshot-guest-dev \"$root/dev\"",
            "mknod -m 666 \"$root/dev/null\" c 1 3",
            "mknod -m 666 \"$root/dev/zero\" c 1 5",
            "mknod -m 666 \"$root/dev/full\" c 1 7",
            "mknod -m 666 \"$root/dev/random\" c 1 8",
            "mknod -m 666 \"$root/dev/urandom\" c 1 9",
            "mknod -m 666 \"$root/dev/tty\" c 5 0",
            "ln -s /proc/self/fd \"$root/dev/fd\"",
            "ln -s /proc/self/fd/0 \"$root/dev/stdin\"",
            "ln -s /proc/self/fd/1 \"$root/dev/stdout\"",
            "ln -s /proc/self/fd/2 \"$root/dev/stderr\"",
            "mkdir -m 1777 \"$root/dev/shm\"",
            "mkdir -p \"$root$freeze_target\"",
            "mount -t tmpfs -o size=1m vmsnapshot-freeze-target \"$root$freeze_target\"",
            "mkdir -p \"$root$shared\"",
            "mount --bind \"$shared\" \"$root$shared\"",
            "echo ready",
            "read -r _ || true");

    /** One command run in the guest. */
    record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n[stdout]\n" + stdout + "\n[stderr]\n" + stderr;
        }
    }

    private final Userland userland;
    private final Path area;
    private final Path root;
    private final Process holder;
    private final OutputStream holderStdin;
    private final String namespace;

    private GuestSystem(Userland userland, Path area, Path root, Process holder, String namespace) {
        this.userland = userland;
        this.area = area;
        this.root = root;
        this.holder = holder;
        this.holderStdin = holder.getOutputStream();
        this.namespace = namespace;
    }

    /**
     * Starts a guest over {@code userland}, with its upper and work dirs in a new directory under
     * {@code workBase}, and {@code shared} (an absolute directory) visible inside at the same path.
     *
     * @param oldSetsid whether the guest's setsid is util-linux 2.23's (RHEL 7: no --fork)
     */
    static GuestSystem start(Userland userland, Path workBase, Path shared, boolean oldSetsid) throws IOException {
        Objects.requireNonNull(userland, "userland");
        if (!shared.isAbsolute()) {
            throw new IllegalArgumentException("the shared directory must be absolute: " + shared);
        }
        Files.createDirectories(workBase);
        Path area = Files.createTempDirectory(workBase, "guest-");
        Path upper = Files.createDirectory(area.resolve("upper"));
        Path work = Files.createDirectory(area.resolve("work"));
        Path root = Files.createDirectory(area.resolve("root"));
        Process holder = null;
        try {
            if (oldSetsid) {
                installOldSetsid(userland.root(), upper);
            }
            Path holderLog = area.resolve("holder.log");
            holder = new ProcessBuilder(List.of("unshare", "--mount", "--propagation", "private",
                    "/bin/sh", "-c", HOLDER_SCRIPT, "guest-holder", userland.root().toString(), upper.toString(),
                    work.toString(), root.toString(), shared.toString(), FREEZE_TARGET))
                    .redirectError(holderLog.toFile())
                    .start();
            awaitReady(holder, holderLog);
            String namespace = Files.readSymbolicLink(Path.of("/proc", Long.toString(holder.pid()), "ns", "mnt")).toString();
            return new GuestSystem(userland, area, root, holder, namespace);
        } catch (IOException | RuntimeException e) {
            if (holder != null) {
                holder.destroyForcibly();
            }
            deleteArea(area);
            throw e;
        }
    }

    Userland userland() {
        return userland;
    }

    /**
     * The argv that runs {@code argv} inside the guest with working directory {@code workDir}. Only
     * execs: nsenter enters the mount namespace (no fork without a pid namespace), chroot changes the
     * root, the guest's sh changes directory and execs the command, all in the one process.
     */
    List<String> wrap(Path workDir, List<String> argv) {
        List<String> wrapped = new ArrayList<>(List.of(NSENTER.toString(), "--mount=/proc/" + holder.pid() + "/ns/mnt",
                "--", CHROOT.toString(), root.toString(), "/bin/sh", "-c", "cd \"$1\" || exit 127; shift; exec \"$@\"", "guest",
                workDir.toString()));
        wrapped.addAll(argv);
        return wrapped;
    }

    /** Runs {@code argv} in the guest with exactly {@code environment}; output to files, never pipes. */
    Result run(Path workDir, Map<String, String> environment, List<String> argv, Duration timeout) throws IOException {
        Path stdout = Files.createTempFile(area, "run", ".out");
        Path stderr = Files.createTempFile(area, "run", ".err");
        ProcessBuilder builder = new ProcessBuilder(wrap(workDir, argv))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process = builder.start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException("timed out after " + timeout + " in " + userland.name() + ": " + argv);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + argv, e);
        }
        return new Result(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }

    /** Ends every process inside the guest (a worker that outlived its test included), then the guest and its files. */
    @Override
    public void close() throws IOException {
        try {
            killEveryProcessInside();
            holderStdin.close();
            if (!holder.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                holder.destroyForcibly();
                holder.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the guest " + userland.name(), e);
        } finally {
            deleteArea(area);
        }
    }

    private static Path hostTool(String name) {
        return Stream.of("/usr/bin", "/usr/sbin", "/bin", "/sbin").map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable).findFirst().orElse(Path.of(name));
    }

    /** The old setsid replaces the userland's in the upper dir; the real one moves aside for it to exec. */
    private static void installOldSetsid(Path lower, Path upper) throws IOException {
        Path real = lower.resolve("usr/bin/setsid");
        if (!Files.isExecutable(real)) {
            throw new IOException(lower + " has no usr/bin/setsid to stand in for");
        }
        Path aside = upper.resolve(REAL_SETSID);
        createSystemDirectories(upper, aside.getParent());
        Files.copy(real, aside, StandardCopyOption.COPY_ATTRIBUTES);
        Path fake = upper.resolve("usr/bin/setsid");
        createSystemDirectories(upper, fake.getParent());
        try (InputStream script = GuestSystem.class.getResourceAsStream(OLD_SETSID_RESOURCE)) {
            Files.copy(Objects.requireNonNull(script, OLD_SETSID_RESOURCE), fake);
        }
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Upper dirs that merge with the lower ones keep the lower's usual owner and mode (root, 755). */
    private static void createSystemDirectories(Path upper, Path directory) throws IOException {
        for (Path current = directory; !current.equals(upper); current = current.getParent()) {
            Files.createDirectories(current);
            Files.setPosixFilePermissions(current, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private static void awaitReady(Process holder, Path holderLog) throws IOException {
        // A thread reads the line, so that a holder stuck before "ready" cannot block the test for ever.
        BufferedReader lines = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        String[] first = new String[1];
        Thread reader = new Thread(() -> {
            try {
                first[0] = lines.readLine();
            } catch (IOException ignored) {
                // holder gone: reported below with its log
            }
        }, "guest-holder-ready");
        reader.start();
        try {
            reader.join(START_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the guest started", e);
        }
        if (!"ready".equals(first[0])) {
            holder.destroyForcibly();
            throw new IOException("the guest's mounts failed (" + (holder.isAlive() ? "no answer" : "exit "
                    + holder.exitValue()) + "): " + Files.readString(holderLog, StandardCharsets.UTF_8));
        }
    }

    private void killEveryProcessInside() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        List<Long> inside = processesInside();
        while (!inside.isEmpty() && System.nanoTime() < deadline) {
            for (long pid : inside) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            Thread.sleep(100);
            inside = processesInside();
        }
        if (!inside.isEmpty()) {
            throw new IOException("processes in the guest " + userland.name() + " outlived SIGKILL: " + inside);
        }
    }

    /** Every process in the guest's mount namespace but the holder. */
    private List<Long> processesInside() throws IOException {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : (Iterable<Path>) processes::iterator) {
                String name = process.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit) || Long.parseLong(name) == holder.pid()) {
                    continue;
                }
                try {
                    if (namespace.equals(Files.readSymbolicLink(process.resolve("ns/mnt")).toString())) {
                        pids.add(Long.parseLong(name));
                    }
                } catch (IOException gone) {
                    // exited while we looked, or a kernel thread
                }
            }
        }
        return pids;
    }

    /** The machine sees no mount under the area (they are all in the namespace); --one-file-system all the same. */
    private static void deleteArea(Path area) throws IOException {
        try {
            Process rm = new ProcessBuilder("rm", "-rf", "--one-file-system", "--", area.toString())
                    .redirectErrorStream(true).start();
            String output = new String(rm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!rm.waitFor(60, TimeUnit.SECONDS) || rm.exitValue() != 0) {
                throw new IOException("cannot remove " + area + ": " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while removing " + area, e);
        }
    }
}
