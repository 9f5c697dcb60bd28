import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.Deflater;

/**
 * Build step of the package: links one Java runtime per architecture the package serves, audits
 * every native file of the staged package against the C library the fleet has, and prints what the
 * zip is made of. Run by the manifest module with the JDK that runs Maven (source-file mode).
 *
 * <pre>
 * java BundledRuntimes.java link  &lt;packageDir&gt; &lt;modules&gt; &lt;x86_64 JDK&gt; &lt;aarch64 JDK&gt; &lt;cross jlink JDK&gt;
 * java BundledRuntimes.java audit &lt;packageDir&gt; &lt;x86_64 glibc floor&gt; &lt;aarch64 glibc floor&gt;
 * java BundledRuntimes.java pack  &lt;packageDir&gt;
 * java BundledRuntimes.java size  &lt;packageDir&gt; &lt;max zip MiB&gt;
 * </pre>
 *
 * Why each runtime comes from where it does: the fleet reaches back to RHEL/CentOS 7 (glibc 2.17).
 * Temurin's JDK 25 is built against glibc 2.17 on x86-64 and links from its run-time image (it has
 * no jmods/). No registry this project may use serves an aarch64 JDK built that low; Debian 11's
 * OpenJDK 17 is the lowest (its libjvm needs glibc 2.29 for exp/log/pow), and its jmods are linked
 * here by an x86-64 jlink of the same feature release, which jlink accepts across architectures.
 *
 * The aarch64 runtime travels as {@code runtime/aarch64.tar.xz} (linked uncompressed, then xz: 9 MiB
 * instead of 16 in the zip), which the launcher unpacks once on an Arm64 VM (xz and tar are on every
 * Arm64 distribution Azure offers); the x86-64 runtime, which most of the fleet runs, stays ready to
 * start. The zip would not fit its budget otherwise.
 *
 * The build never falls back to another JDK: a missing or wrong one fails with what to do, and the
 * audit fails whatever slipped through (a runtime needing a newer glibc than its stated floor, an
 * ELF file of one architecture under the other's directory).
 */
public final class BundledRuntimes {
    private static final int EM_X86_64 = 62;
    private static final int EM_AARCH64 = 183;
    private static final int SHT_GNU_VERNEED = 0x6ffffffe;

    public static void main(String[] args) throws Exception {
        if (args.length == 6 && args[0].equals("link")) {
            link(Path.of(args[1]), args[2], Path.of(args[3]), Path.of(args[4]), Path.of(args[5]));
        } else if (args.length == 4 && args[0].equals("audit")) {
            audit(Path.of(args[1]), Map.of("x86_64", args[2], "aarch64", args[3]));
        } else if (args.length == 2 && args[0].equals("pack")) {
            pack(Path.of(args[1]).resolve("runtime"), "aarch64");
        } else if (args.length == 3 && args[0].equals("size")) {
            size(Path.of(args[1]), Integer.parseInt(args[2]));
        } else {
            fail("usage: BundledRuntimes link <packageDir> <modules> <x86_64 JDK> <aarch64 JDK> <cross jlink JDK>"
                    + " | audit <packageDir> <x86_64 glibc floor> <aarch64 glibc floor> | pack <packageDir>"
                    + " | size <packageDir> <max zip MiB>");
        }
    }

    // ---- link ----

    private static void link(Path packageDir, String modules, Path x86Jdk, Path aarch64Jdk, Path crossJdk)
            throws Exception {
        requireJdk(x86Jdk, "x86_64", 25, "bin/jlink",
                "install Temurin's JDK 25 for x86-64 (its native code needs only glibc 2.17) and pass"
                        + " -Druntime.jdk.x86_64=<its home> or set VMSNAPSHOT_JDK_X86_64");
        int aarch64Feature = requireJdk(aarch64Jdk, "aarch64", 17, "jmods/java.base.jmod",
                "run scripts/prereqs.sh, which unpacks Debian 11's openjdk-17-jdk-headless:arm64 under"
                        + " /var/cache/vmsnapshot-build, or pass -Druntime.jdk.aarch64=<an aarch64 JDK with jmods/>");
        Path jlink = crossJlink(crossJdk, aarch64Feature);

        Path runtimes = packageDir.resolve("runtime");
        deleteTree(runtimes);
        Files.createDirectories(runtimes);
        Path x86 = runtimes.resolve("x86_64");
        Path aarch64 = runtimes.resolve("aarch64");
        List<String> common = List.of("--add-modules", modules, "--no-header-files", "--no-man-pages");
        // Both links at once: each is mostly one core's work for several seconds. Neither compresses
        // lib/modules: the zip's deflate (x86_64) and xz (aarch64) do better over the whole file than
        // jlink does resource by resource (x86_64: 8.2 MiB in the zip instead of 11.5), and the JVM
        // then reads classes without inflating them.
        Process x86Link = start(concat(List.of(x86Jdk.resolve("bin/jlink").toString()), common,
                List.of("--strip-debug", "--compress=zip-0", "--generate-cds-archive", "--output", x86.toString())));
        // Debian's jlink strips native debug symbols with the host's objcopy under --strip-debug,
        // which cannot read aarch64 files: only the Java debug attributes here, natives below.
        Process aarch64Link = start(concat(List.of(jlink.toString(), "--module-path",
                aarch64Jdk.resolve("jmods").toString()), common,
                List.of("--strip-java-debug-attributes", "--compress=0", "--output", aarch64.toString())));
        await(x86Link, "jlink of the x86_64 runtime from " + x86Jdk);
        await(aarch64Link, "jlink of the aarch64 runtime from " + aarch64Jdk + "/jmods");
        // The base archive for heaps over 32 GB: never used with the launcher's -Xmx64m.
        Files.deleteIfExists(x86.resolve("lib/server/classes_nocoops.jsa"));
        strip(x86, "x86_64-linux-gnu-strip");
        strip(aarch64, "aarch64-linux-gnu-strip");
        dereferenceSymlinks(x86);
        dereferenceSymlinks(aarch64);
        System.out.println("[runtimes] x86_64 from " + x86Jdk + " (" + javaVersion(x86Jdk) + "), aarch64 from "
                + aarch64Jdk + " (" + javaVersion(aarch64Jdk) + ") linked by " + jlink);
    }

    /** @return the JDK's feature release */
    private static int requireJdk(Path home, String arch, int minFeature, String mustHave, String whatToDo)
            throws IOException {
        if (!Files.isRegularFile(home.resolve(mustHave)) || !Files.isRegularFile(home.resolve("release"))) {
            fail("no " + arch + " JDK at " + home + " (it has no " + mustHave + "): " + whatToDo);
        }
        int feature = feature(javaVersion(home));
        if (feature < minFeature) {
            fail("the " + arch + " JDK at " + home + " is " + javaVersion(home) + ", the package needs "
                    + minFeature + " or newer: " + whatToDo);
        }
        return feature;
    }

    /** jlink links only jmods of its own feature release; any architecture. */
    private static Path crossJlink(Path preferred, int feature) throws IOException {
        List<Path> candidates = new ArrayList<>(List.of(preferred));
        try (Stream<Path> jvms = Files.list(Path.of("/usr/lib/jvm"))) {
            jvms.sorted().forEach(candidates::add);
        } catch (IOException e) {
            // no /usr/lib/jvm: only the preferred one
        }
        for (Path home : candidates) {
            if (Files.isExecutable(home.resolve("bin/jlink")) && Files.isRegularFile(home.resolve("release"))
                    && feature(javaVersion(home)) == feature) {
                return home.resolve("bin/jlink");
            }
        }
        fail("the aarch64 runtime needs a jlink of Java " + feature + " to link its jmods; none at " + preferred
                + " or under /usr/lib/jvm: install openjdk-" + feature + "-jdk-headless or pass -Druntime.jlink.jdk=<home>");
        return null;
    }

    private static String javaVersion(Path home) throws IOException {
        for (String line : Files.readAllLines(home.resolve("release"))) {
            if (line.startsWith("JAVA_VERSION=")) {
                return line.substring("JAVA_VERSION=".length()).replace("\"", "");
            }
        }
        throw new IOException(home.resolve("release") + " has no JAVA_VERSION");
    }

    private static int feature(String version) {
        return Integer.parseInt(version.split("[.+-]")[0]);
    }

    /**
     * jlink links the legal notices of each module to java.base's: the agent's unzip would turn a
     * symlink into a file holding the target's name, so each becomes a copy of what it points at.
     */
    private static void dereferenceSymlinks(Path runtime) throws IOException {
        try (Stream<Path> paths = Files.walk(runtime)) {
            for (Path link : paths.filter(Files::isSymbolicLink).toList()) {
                Path target = link.toRealPath();
                Files.delete(link);
                Files.copy(target, link);
            }
        }
    }

    /** Symbol tables are not needed to run; they are a third of each libjvm.so. */
    private static void strip(Path runtime, String tool) throws Exception {
        List<String> command = new ArrayList<>(List.of(tool, "--strip-unneeded"));
        try (Stream<Path> files = Files.walk(runtime)) {
            files.filter(Files::isRegularFile).filter(BundledRuntimes::isElf).map(Path::toString).forEach(command::add);
        }
        await(start(command), tool + " on " + runtime + " (binutils for that architecture)");
    }

    /** runtime/&lt;arch&gt;/ becomes runtime/&lt;arch&gt;.tar.xz, owned by root, modes kept. */
    private static void pack(Path runtimes, String arch) throws Exception {
        Path archive = runtimes.resolve(arch + ".tar.xz");
        Path partial = runtimes.resolve(arch + ".tar.xz.partial");
        Files.deleteIfExists(archive);
        Process tar = new ProcessBuilder("/bin/sh", "-c", "tar --owner=0 --group=0 --numeric-owner --sort=name"
                + " --mtime=@0 -C \"$1\" -cf - . | xz -9 -T2 > \"$2\"", "pack", runtimes.resolve(arch).toString(),
                partial.toString()).inheritIO().start();
        await(tar, "tar | xz of " + runtimes.resolve(arch) + " (tar and xz-utils)");
        Files.move(partial, archive);
        deleteTree(runtimes.resolve(arch));
    }

    // ---- audit ----

    private static void audit(Path packageDir, Map<String, String> floors) throws IOException {
        Map<String, String> highest = new TreeMap<>();
        Map<String, Integer> counts = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        try (Stream<Path> files = Files.walk(packageDir)) {
            for (Path file : files.filter(Files::isRegularFile).filter(BundledRuntimes::isElf).sorted().toList()) {
                String name = packageDir.relativize(file).toString();
                Elf elf = Elf.read(file);
                Optional<String> dirArch = archOfPath(name);
                if (dirArch.isEmpty()) {
                    problems.add(name + ": a native file outside runtime/<arch>/ and bin/<arch>/");
                    continue;
                }
                String arch = dirArch.get();
                if (!arch.equals(elf.arch())) {
                    problems.add(name + ": an " + elf.arch() + " file under " + arch + "/");
                    continue;
                }
                counts.merge(arch, 1, Integer::sum);
                String floor = floors.get(arch);
                elf.glibcVersions().stream().max(BundledRuntimes::compareVersions).ifPresent(needed -> {
                    highest.merge(arch, needed, (a, b) -> compareVersions(a, b) >= 0 ? a : b);
                    if (compareVersions(needed, floor) > 0) {
                        problems.add(name + " needs GLIBC_" + needed + ", above the " + arch + " floor " + floor);
                    }
                });
            }
        }
        for (String arch : floors.keySet()) {
            if (!counts.containsKey(arch)) {
                problems.add("no native file for " + arch + ": the package must serve it");
            }
        }
        counts.forEach((arch, count) -> System.out.println("[audit] " + arch + ": " + count
                + " ELF files, highest glibc needed " + highest.getOrDefault(arch, "none (static)")
                + ", floor " + floors.get(arch)));
        if (!problems.isEmpty()) {
            fail("package audit failed:\n  " + String.join("\n  ", problems));
        }
    }

    private static void size(Path packageDir, int maxZipMiB) throws IOException {
        long compressed = printBreakdown(packageDir);
        if (compressed > maxZipMiB * 1024L * 1024L) {
            fail("the package compresses to " + mib(compressed) + " MiB, over its budget of " + maxZipMiB + " MiB");
        }
    }

    private static Optional<String> archOfPath(String name) {
        String[] parts = name.split("/");
        if (parts.length > 2 && (parts[0].equals("runtime") || parts[0].equals("bin"))
                && (parts[1].equals("x86_64") || parts[1].equals("aarch64"))) {
            return Optional.of(parts[1]);
        }
        return Optional.empty();
    }

    /** Sizes as the zip will hold them (deflated per file), by top-level part of the package. */
    private static long printBreakdown(Path packageDir) throws IOException {
        Map<String, long[]> parts = new TreeMap<>();
        try (Stream<Path> files = Files.walk(packageDir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path relative = packageDir.relativize(file);
                String part = relative.getNameCount() >= 2 && (relative.startsWith("runtime") || relative.startsWith("bin")
                        || relative.startsWith("cds")) ? relative.subpath(0, 2).toString() : relative.getName(0).toString();
                byte[] bytes = Files.readAllBytes(file);
                long[] sizes = parts.computeIfAbsent(part, key -> new long[2]);
                sizes[0] += bytes.length;
                sizes[1] += Math.min(bytes.length, deflatedSize(bytes));
            }
        }
        long raw = 0;
        long compressed = 0;
        for (Map.Entry<String, long[]> part : parts.entrySet()) {
            System.out.printf("[size] %-18s %7s MiB unpacked %7s MiB in the zip%n", part.getKey(),
                    mib(part.getValue()[0]), mib(part.getValue()[1]));
            raw += part.getValue()[0];
            compressed += part.getValue()[1];
        }
        System.out.printf("[size] %-18s %7s MiB unpacked %7s MiB in the zip%n", "total", mib(raw), mib(compressed));
        return compressed;
    }

    private static long deflatedSize(byte[] bytes) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(bytes);
        deflater.finish();
        byte[] buffer = new byte[64 * 1024];
        long size = 0;
        while (!deflater.finished()) {
            size += deflater.deflate(buffer);
        }
        deflater.end();
        return size;
    }

    private static String mib(long bytes) {
        return String.format("%.1f", bytes / (1024.0 * 1024.0));
    }

    static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int left = i < x.length ? Integer.parseInt(x[i]) : 0;
            int right = i < y.length ? Integer.parseInt(y[i]) : 0;
            if (left != right) {
                return Integer.compare(left, right);
            }
        }
        return 0;
    }

    private static boolean isElf(Path file) {
        try (var in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The parts of an ELF file the audit needs: its machine and the GLIBC_ versions it requires. */
    record Elf(String arch, List<String> glibcVersions) {
        static Elf read(Path file) throws IOException {
            ByteBuffer elf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            if (elf.get(4) != 2 || elf.get(5) != 1) {
                return new Elf("32-bit or big-endian", List.of());
            }
            int machine = Short.toUnsignedInt(elf.getShort(0x12));
            String arch = machine == EM_X86_64 ? "x86_64" : machine == EM_AARCH64 ? "aarch64" : "machine-" + machine;
            long sectionTable = elf.getLong(0x28);
            int entrySize = Short.toUnsignedInt(elf.getShort(0x3A));
            int sections = Short.toUnsignedInt(elf.getShort(0x3C));
            List<String> versions = new ArrayList<>();
            for (int i = 0; i < sections; i++) {
                int header = (int) (sectionTable + (long) i * entrySize);
                if (elf.getInt(header + 4) != SHT_GNU_VERNEED) {
                    continue;
                }
                int offset = (int) elf.getLong(header + 0x18);
                int strings = (int) elf.getLong((int) (sectionTable + (long) elf.getInt(header + 0x28) * entrySize) + 0x18);
                int needs = elf.getInt(header + 0x2C);
                int need = offset;
                for (int n = 0; n < needs; n++) {
                    int auxCount = Short.toUnsignedInt(elf.getShort(need + 2));
                    int aux = need + elf.getInt(need + 8);
                    for (int a = 0; a < auxCount; a++) {
                        String name = cString(elf, strings + elf.getInt(aux + 8));
                        if (name.startsWith("GLIBC_") && Character.isDigit(name.charAt("GLIBC_".length()))) {
                            versions.add(name.substring("GLIBC_".length()));
                        }
                        aux += elf.getInt(aux + 12);
                    }
                    need += elf.getInt(need + 12);
                }
            }
            return new Elf(arch, versions);
        }

        private static String cString(ByteBuffer buffer, int at) {
            int end = at;
            while (buffer.get(end) != 0) {
                end++;
            }
            byte[] bytes = new byte[end - at];
            buffer.get(at, bytes);
            return new String(bytes, StandardCharsets.US_ASCII);
        }
    }

    // ---- plumbing ----

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> part : parts) {
            all.addAll(part);
        }
        return all;
    }

    private static Process start(List<String> command) throws IOException {
        return new ProcessBuilder(command).inheritIO().start();
    }

    private static void await(Process process, String what) throws InterruptedException {
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail(what + " did not finish in 10 minutes");
        }
        if (process.exitValue() != 0) {
            fail(what + " failed (exit " + process.exitValue() + ")");
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.delete(path);
            }
        }
    }

    private static void fail(String message) {
        System.err.println("[BundledRuntimes] " + message);
        System.exit(1);
    }
}
