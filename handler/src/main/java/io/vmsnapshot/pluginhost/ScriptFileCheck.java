package io.vmsnapshot.pluginhost;

import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.prepost.ScriptPhase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a configured script may run as the handler's user, wherever it lives (the seed:
 * "anywhere on the VM"), and reads the bytes that will run. The script must be a regular file owned
 * by the handler's uid that grants nothing to group or other ({@code 700} or stricter); a symbolic
 * link to it is followed only where root controls everything ({@link PathChain}); its interpreter
 * must be root's ({@link InterpreterCheck}).
 *
 * <p>The bytes are read once, through a descriptor opened without following a link, and checked so
 * that no gap is left between the check and the use:
 * <ol>
 * <li>lstat of the script's path: type, owner, mode;
 * <li>open it with O_NOFOLLOW and read it;
 *     While the descriptor is open, this process's own descriptors ({@link OpenWriters}) must show
 *     it on the lstat's inode: proof that the bytes read are that file's, as the JDK has no fstat
 *     of a channel (nothing else in this process opens a script meanwhile);
 * <li>nobody else may hold one open for writing (a descriptor opened by a user before root's
 *     {@code chown}/{@code chmod 700} survives them): the kernel proves it for most scripts at once
 *     ({@link WriterProof}, a read lease), and {@code /proc} is scanned once for all of a plugin's
 *     scripts it could not prove, which names the writer;
 * <li>lstat again: the same inode, owner, mode, size, mtime and ctime, so nothing wrote it since the
 *     first lstat, before the read.
 * </ol>
 * When every directory above the script is root-controlled, nobody else can replace it, and it runs
 * in place; otherwise it runs from a copy of these bytes ({@link ScriptCopies}); docs/prepost.md §1.
 */
final class ScriptFileCheck {
    static final int MAX_BYTES = 16 << 20;
    private static final int GROUP_OR_OTHER = 0077;
    private static final int OWNER_EXECUTE = 0100;
    private static final Set<String> KERNEL_FILE_SYSTEMS = Set.of("proc", "sysfs", "debugfs", "tracefs",
            "securityfs", "configfs", "cgroup", "cgroup2", "bpf", "efivarfs", "pstore");

    private final int handlerUid;
    private final PathChain chain;
    private final OpenWriters openWriters;
    private final WriterProof proof;
    private final InterpreterCheck interpreters;

    ScriptFileCheck(int handlerUid, OpenWriters openWriters, WriterProof proof) {
        this.handlerUid = handlerUid;
        this.chain = new PathChain(handlerUid);
        this.openWriters = openWriters;
        this.proof = proof;
        this.interpreters = new InterpreterCheck(chain, handlerUid);
    }

    /** A script whose bytes were read and proven to be the file its lstat described; not yet checked for writers. */
    record Read(Path script, ScriptPhase phase, OpenWriters.Target target, byte[] content,
            Optional<String> notRootControlled) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Read that && Objects.equals(script, that.script) && phase == that.phase
                    && Objects.equals(target, that.target) && Arrays.equals(content, that.content)
                    && Objects.equals(notRootControlled, that.notRootControlled);
        }

        @Override
        public int hashCode() {
            return Objects.hash(script, phase, target, Arrays.hashCode(content), notRootControlled);
        }

        @Override
        public String toString() {
            return "Read[script=" + script + ", phase=" + phase + ", target=" + target + ", content="
                    + (content == null ? "null" : content.length + " bytes") + ", notRootControlled="
                    + notRootControlled + "]";
        }
    }

    /** Steps 1 and 2, and the proof that the descriptor read is the file checked. */
    Read read(Path script, ScriptPhase phase) throws HandlerException {
        PathChain.Resolved resolved = resolve(script, phase);
        Path target = resolved.target();
        Stat before = resolved.stat();
        checkFile(script, target, before, phase);
        String fileSystem = fileSystemType(target);
        if (KERNEL_FILE_SYSTEMS.contains(fileSystem)) {
            // /proc/<pid>/environ of a root process is root's 0400 regular file, yet its bytes come
            // from whoever started that process: nothing there is a script root wrote.
            throw refuse(phase, script + " is on the " + fileSystem + " file system, whose content the kernel"
                    + " generates; put the script on a disk");
        }
        if (!resolved.rootControlled() && fileSystem.startsWith("fuse")) {
            // A user's FUSE daemon reports whatever owner and mode it likes.
            throw refuse(phase, script + " is on a " + fileSystem + " file system, and "
                    + resolved.notRootControlled().get() + ": the daemon behind it reports whatever owner and"
                    + " mode it likes; put the script on a disk");
        }
        byte[] content;
        OpenWriters.Target file;
        try (SeekableByteChannel channel = Files.newByteChannel(target,
                Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
                InputStream in = Channels.newInputStream(channel)) {
            content = in.readNBytes(MAX_BYTES + 1);
            file = OpenWriters.Target.of(target, before);
            if (!openWriters.heldBySelf(file)) {
                throw new IOException("replaced while being opened");
            }
        } catch (IOException e) {
            throw refuse(phase, script + " cannot be read safely (" + e.getMessage() + "); check who writes to "
                    + target.getParent());
        }
        if (content.length > MAX_BYTES) {
            throw refuse(phase, script + " is larger than " + MAX_BYTES + " bytes; this is not a script");
        }
        return new Read(script, phase, file, content, resolved.notRootControlled());
    }

    /**
     * Step 3 for several scripts at once: one question to the kernel, then one pass over /proc for
     * those it did not prove unwritten (usually none).
     */
    Map<OpenWriters.Target, List<OpenWriters.Writer>> scan(List<Read> reads) throws HandlerException {
        List<OpenWriters.Target> targets = new ArrayList<>();
        for (Read read : reads) {
            if (!targets.contains(read.target())) {
                targets.add(read.target());
            }
        }
        Set<OpenWriters.Target> unwritten = proof.unwritten(targets);
        List<OpenWriters.Target> unproven = new ArrayList<>();
        for (OpenWriters.Target target : targets) {
            if (!unwritten.contains(target)) {
                unproven.add(target);
            }
        }
        try {
            Map<OpenWriters.Target, List<OpenWriters.Writer>> writers = new HashMap<>(openWriters.writers(unproven));
            for (OpenWriters.Target target : targets) {
                if (unwritten.contains(target)) {
                    writers.put(target, List.of());
                }
            }
            return writers;
        } catch (IOException e) {
            Read first = reads.get(0);
            throw refuse(first.phase(), first.script() + " cannot be checked for writers: /proc cannot be read ("
                    + e.getMessage() + ")");
        }
    }

    /** Step 4, then the interpreter. */
    CheckedScript verify(Read read, List<OpenWriters.Writer> writers) throws HandlerException {
        Path script = read.script();
        ScriptPhase phase = read.phase();
        Path target = read.target().path();
        Stat before = read.target().stat();
        if (!writers.isEmpty()) {
            throw refuse(phase, script + " is held open for writing by " + writers
                    + ": whoever opened it could still change it, whatever its owner and mode now; stop that"
                    + " process, or write the script anew as root (cp, then chmod 700)");
        }
        Stat after;
        try {
            after = Stat.of(target);
        } catch (IOException e) {
            throw refuse(phase, script + " changed while being read: " + e.getMessage());
        }
        if (!after.equals(before) || read.content().length != after.size()) {
            throw refuse(phase, script + " changed while being read (replaced or written); check who writes to "
                    + target.getParent());
        }
        List<String> prefix = interpreters.argvPrefix(script, read.content(), before.grants(OWNER_EXECUTE), phase);
        return new CheckedScript(script, read.content(), prefix, read.notRootControlled());
    }

    private PathChain.Resolved resolve(Path script, ScriptPhase phase) throws HandlerException {
        try {
            return chain.resolve(script);
        } catch (PathChain.UnsafeLinkException e) {
            throw refuse(phase, e.getMessage() + " (on the path of " + script + ")");
        } catch (NoSuchFileException e) {
            throw new HandlerException(phase.notFound(), script + " does not exist"
                    + (e.getFile() == null || e.getFile().equals(script.toString()) ? "" : " (no " + e.getFile() + ")"), e);
        } catch (FileSystemException e) {
            throw new HandlerException(phase.notFound(), script + " cannot be reached: " + e.getMessage(), e);
        } catch (IOException e) {
            throw refuse(phase, script + " cannot be examined: " + e.getMessage());
        }
    }

    private void checkFile(Path script, Path target, Stat stat, ScriptPhase phase) throws HandlerException {
        String named = target.equals(script) ? script.toString() : script + " (" + target + ")";
        if (!stat.isRegularFile()) {
            throw refuse(phase, named + " is not a regular file");
        }
        if (stat.uid() != handlerUid) {
            throw refuse(phase, named + " is owned by uid " + stat.uid() + ", must be owned by uid " + handlerUid
                    + " (chown " + handlerUid + " " + target + ")");
        }
        if (stat.grants(GROUP_OR_OTHER)) {
            throw refuse(phase, named + " has mode " + stat.permissions()
                    + "; it must grant nothing to group or other (chmod 700 " + target + ")");
        }
    }

    private static String fileSystemType(Path script) {
        try {
            return Files.getFileStore(script).type();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static HandlerException refuse(ScriptPhase phase, String detail) {
        return new HandlerException(phase.permission(), detail);
    }
}
