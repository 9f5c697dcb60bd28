package io.vmsnapshot.pluginhost;

import io.vmsnapshot.process.RandomHex;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies of verified script bytes, for scripts that live where someone other than root could
 * replace them: what runs is the copy, so it is exactly what was checked. Each copy is created
 * anew (O_EXCL, mode 700) under {@code <dir>/<pid>.<instance>/<n>/} with the script's own file
 * name, in the first of the given directories that is root-only all the way up (the run dir on
 * {@code /run}, else the handler's state dir), and removed after its run. A process that died
 * before removing its copies leaves a directory named by its pid; the next plugin host removes
 * those of dead pids (docs/prepost.md §1).
 */
final class ScriptCopies {
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final int GROUP_OR_OTHER = 0077;

    private final List<Path> candidates;
    private final Path proc;
    private final long pid;
    private final int handlerUid;
    private final AtomicLong sequence = new AtomicLong();
    private Path ownDir;

    /**
     * @param candidates where copies may go, in order of preference; each is created if missing
     * @param proc       {@code /proc}, to tell which pids' leftovers may go
     */
    ScriptCopies(List<Path> candidates, Path proc, long pid, int handlerUid) {
        this.candidates = List.copyOf(candidates);
        this.proc = Objects.requireNonNull(proc, "proc");
        this.pid = pid;
        this.handlerUid = handlerUid;
    }

    /** @return the copy, executable by its owner only; run it, then {@link #remove} it */
    Path write(byte[] content, Path original) throws IOException {
        Path dir = Files.createDirectory(processDir().resolve(Long.toString(sequence.incrementAndGet())),
                OWNER_ONLY);
        Path copy = dir.resolve(original.getFileName().toString());
        try (SeekableByteChannel out = Files.newByteChannel(copy, Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), OWNER_ONLY)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
        }
        return copy;
    }

    void remove(Path copy) {
        try {
            Files.deleteIfExists(copy);
            Files.deleteIfExists(copy.getParent());
        } catch (IOException e) {
            // the next plugin host removes it with the rest of this pid's directory
        }
    }

    private synchronized Path processDir() throws IOException {
        if (ownDir != null) {
            return ownDir;
        }
        StringBuilder refused = new StringBuilder();
        for (Path candidate : candidates) {
            try {
                Path base = rootOnly(candidate);
                removeLeftovers(base);
                ownDir = Files.createDirectory(base.resolve(pid + "." + RandomHex.of(Integer.BYTES)),
                        OWNER_ONLY);
                return ownDir;
            } catch (IOException e) {
                refused.append("; ").append(candidate).append(": ").append(e.getMessage());
            }
        }
        throw new IOException("no root-only directory for the copy of a script" + refused);
    }

    private Path rootOnly(Path dir) throws IOException {
        Files.createDirectories(dir.getParent());
        try {
            Files.createDirectory(dir, OWNER_ONLY);
        } catch (FileAlreadyExistsException e) {
            // made by an earlier run: checked below like a new one
        }
        PathChain.Resolved resolved = new PathChain(handlerUid).resolve(dir);
        Stat stat = Stat.of(dir);
        if (!stat.isDirectory() || stat.uid() != handlerUid) {
            throw new IOException("not a directory owned by uid " + handlerUid);
        }
        if (stat.grants(GROUP_OR_OTHER)) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
        if (!resolved.links().isEmpty() || resolved.notRootControlled().isPresent()) {
            throw new IOException(resolved.notRootControlled().orElse("reached through a symbolic link"));
        }
        return dir;
    }

    private void removeLeftovers(Path base) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(base)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                int dot = name.indexOf('.');
                String owner = dot < 0 ? name : name.substring(0, dot);
                // A live pid's directory may be another plugin host's of that process, or a reused
                // pid's: only a dead pid's is surely left over.
                if (!OpenWriters.isPid(owner) || !Files.exists(proc.resolve(owner), LinkOption.NOFOLLOW_LINKS)) {
                    deleteTree(entry);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
