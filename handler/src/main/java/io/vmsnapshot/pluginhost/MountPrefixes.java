package io.vmsnapshot.pluginhost;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which file system a path names, from the text alone: the device of its longest mount-point
 * prefix in {@code mountinfo}. It lets the {@code /proc} scan skip, without a stat, descriptors on
 * other file systems: a stat of a file on a hung NFS mount would block the backup.
 */
final class MountPrefixes {
    private record Mount(String point, String device) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Mount that && Objects.equals(point, that.point)
                    && Objects.equals(device, that.device);
        }

        @Override
        public int hashCode() {
            return Objects.hash(point, device);
        }

        @Override
        public String toString() {
            return "Mount[point=" + point + ", device=" + device + "]";
        }
    }

    private final List<Mount> mounts;

    private MountPrefixes(List<Mount> mounts) {
        this.mounts = List.copyOf(mounts);
    }

    /** An unreadable or absent mountinfo gives a table that rules nothing out. */
    static MountPrefixes read(Path mountinfo) {
        List<Mount> mounts = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(mountinfo, StandardCharsets.UTF_8)) {
                String[] fields = line.split(" ");
                if (fields.length > 4) {
                    mounts.add(new Mount(unescape(fields[4]), fields[2]));
                }
            }
        } catch (IOException | RuntimeException e) {
            mounts.clear();
        }
        return new MountPrefixes(mounts);
    }

    /** Whether a file at {@code path} could be on the same file system as one at {@code other}. */
    boolean maySameFileSystem(String path, String other) {
        Optional<String> device = device(path);
        return device.isEmpty() || device.equals(device(other));
    }

    private Optional<String> device(String path) {
        String plain = path.endsWith(" (deleted)") ? path.substring(0, path.length() - " (deleted)".length()) : path;
        Mount best = null;
        for (Mount mount : mounts) {
            if (contains(mount.point(), plain) && (best == null || mount.point().length() >= best.point().length())) {
                best = mount; // the later of equal mount points is the one on top
            }
        }
        return best == null ? Optional.empty() : Optional.of(best.device());
    }

    private static boolean contains(String point, String path) {
        return point.equals("/") || path.equals(point) || path.startsWith(point + "/");
    }

    /** mountinfo writes space, tab, newline and backslash in a mount point as {@code \ooo}. */
    private static String unescape(String field) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] raw = field.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '\\' && isOctal(raw, i + 1)) {
                bytes.write(Integer.parseInt(new String(raw, i + 1, 3, StandardCharsets.US_ASCII), 8));
                i += 3;
            } else {
                bytes.write(raw[i]);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean isOctal(byte[] raw, int from) {
        for (int i = from; i < from + 3; i++) {
            if (i >= raw.length || raw[i] < '0' || raw[i] > '7') {
                return false;
            }
        }
        return true;
    }
}
