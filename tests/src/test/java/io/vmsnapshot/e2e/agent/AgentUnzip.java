package io.vmsnapshot.e2e.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Unpacks an extension zip the way the agent does (contract §1): Python's {@code zipfile.extractall},
 * which restores no permission bits, no symlinks (a symlink entry becomes a regular file holding the
 * target path) and no mtimes (every file is "now"), followed by {@code initialize}, which ORs
 * {@code S_IXUSR} into every file. With umask 022 every file therefore ends up 0744.
 */
public final class AgentUnzip {
    private AgentUnzip() {
    }

    public static void extract(Path zip, Path target) throws IOException {
        Files.createDirectories(target);
        Path root = target.toAbsolutePath().normalize();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                Path destination = root.resolve(entry.getName()).normalize();
                if (!destination.startsWith(root)) {
                    throw new IOException("zip entry escapes the target directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(destination);
                } else {
                    Files.createDirectories(destination.getParent());
                    copy(in, destination);
                }
            }
        }
        addOwnerExecuteToEveryFile(root);
    }

    private static void copy(InputStream entryData, Path destination) throws IOException {
        Files.copy(entryData, destination, StandardCopyOption.REPLACE_EXISTING);
        // What a umask of 022 gives a file created by Python's open(..., "wb").
        Files.setPosixFilePermissions(destination, Set.of(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ));
    }

    /** The agent's {@code initialize}: {@code chmod(path, mode | S_IXUSR)} on every regular file under the base dir. */
    public static void addOwnerExecuteToEveryFile(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
                permissions.add(PosixFilePermission.OWNER_EXECUTE);
                Files.setPosixFilePermissions(file, permissions);
            }
        }
    }
}
