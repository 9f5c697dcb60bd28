package io.vmsnapshot.estate;

import io.vmsnapshot.error.Messages;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The first lines of {@code check}: the facts an operator (or support) asks for first, and whether a
 * policy engine would stop the package's executables from running.
 */
public final class EstateReport {
    /** How many untrusted files check names; the others are counted. */
    private static final int LISTED_UNTRUSTED = 5;

    private final Facts facts;
    private final PolicyEngines engines;
    private final FapolicydTrust trust;
    private final Messages messages;

    /**
     * What the process knows of itself.
     *
     * @param machine     {@code uname -m} as the launcher saw it
     * @param packageRoot the extension's directory
     * @param javaHome    the running JVM's {@code java.home}
     * @param javaVersion the running JVM's {@code java.version}
     * @param record      the launcher's {@code state/runtime}
     */
    public record Facts(String machine, Path packageRoot, Path javaHome, String javaVersion,
                        Optional<RuntimeRecord> record) {
        public Facts {
            Objects.requireNonNull(machine, "machine");
            Objects.requireNonNull(packageRoot, "packageRoot");
            Objects.requireNonNull(javaHome, "javaHome");
            Objects.requireNonNull(javaVersion, "javaVersion");
            Objects.requireNonNull(record, "record");
        }

        Path bundledRuntime() {
            return packageRoot.resolve("runtime").resolve(machine);
        }

        /* The same directory, whatever symlinks either path went through. */
        boolean onBundledRuntime() {
            try {
                return Files.isSameFile(javaHome, bundledRuntime());
            } catch (IOException e) {
                return javaHome.normalize().equals(bundledRuntime().normalize());
            }
        }
    }

    public EstateReport(Facts facts, PolicyEngines engines, FapolicydTrust trust, Messages messages) {
        this.facts = Objects.requireNonNull(facts, "facts");
        this.engines = Objects.requireNonNull(engines, "engines");
        this.trust = Objects.requireNonNull(trust, "trust");
        this.messages = Objects.requireNonNull(messages, "messages");
    }

    /** @return true when a policy engine would deny the package's executables: a backup would fail */
    public boolean render(PrintStream out) {
        String libc = facts.record().map(RuntimeRecord::libc).orElse("unknown");
        out.println(format("check.machine", facts.machine(), libc));
        out.println(format("check.java", facts.javaHome(), facts.javaVersion()) + " " + javaWhy());
        out.println(messages.format("check.selinux." + engines.selinux().name().toLowerCase(java.util.Locale.ROOT)));
        if (!engines.fapolicydRuns()) {
            out.println(messages.format("check.fapolicyd.absent"));
            return false;
        }
        List<Path> untrusted = trust.untrusted(executables());
        if (untrusted.isEmpty()) {
            out.println(messages.format("check.fapolicyd.trusted"));
            return false;
        }
        out.println("WARN  " + format("check.fapolicyd.untrusted", untrusted.size(), untrusted.stream()
                .limit(LISTED_UNTRUSTED).map(Path::toString).collect(Collectors.joining(", "))
                + (untrusted.size() > LISTED_UNTRUSTED ? ", ..." : "")));
        out.println("      " + format("check.fapolicyd.fix", trustCommand()));
        return true;
    }

    private String javaWhy() {
        if (facts.record().isEmpty()) {
            return messages.format("check.java.unrecorded");
        }
        if (facts.onBundledRuntime()) {
            return messages.format("check.java.bundled");
        }
        RuntimeRecord record = facts.record().get();
        return record.bundledRuns() ? messages.format("check.java.byhand") : format("check.java.other", record.reason());
    }

    /** One {@code --file add} per directory: fapolicyd-cli adds a directory's files recursively. */
    String trustCommand() {
        List<Path> roots = new ArrayList<>();
        roots.add(facts.packageRoot().resolve("bin"));
        roots.add(facts.packageRoot().resolve("lib"));
        if (facts.onBundledRuntime()) {
            roots.add(facts.bundledRuntime());
        }
        return roots.stream().map(root -> "fapolicyd-cli --file add " + root + "/").collect(Collectors.joining(" && "))
                + " && fapolicyd-cli --update";
    }

    /*
     * The launcher, the freeze helper, the jars (fapolicyd's default rules deny opening an untrusted
     * file of its %languages, which include Java archives) and, when the handler runs on it, the
     * bundled runtime's executables and shared objects (they deny mapping an untrusted one too).
     */
    List<Path> executables() {
        List<Path> files = new ArrayList<>();
        Path bin = facts.packageRoot().resolve("bin");
        files.add(bin.resolve("handle.sh"));
        files.add(bin.resolve(facts.machine()).resolve("vmsnapshot-freeze"));
        try (Stream<Path> jars = Files.list(facts.packageRoot().resolve("lib"))) {
            jars.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().forEach(files::add);
        } catch (IOException e) {
            // No lib directory: nothing to trust there.
        }
        if (facts.onBundledRuntime()) {
            Path runtime = facts.bundledRuntime();
            try (Stream<Path> tree = Files.walk(runtime)) {
                tree.filter(Files::isRegularFile)
                        .filter(p -> p.getParent().getFileName().toString().equals("bin")
                                || p.getFileName().toString().endsWith(".so")
                                || p.getFileName().toString().equals("jspawnhelper"))
                        .sorted()
                        .forEach(files::add);
            } catch (IOException e) {
                files.add(runtime.resolve("bin/java"));
            }
        }
        return files.stream().filter(Files::exists).toList();
    }

    private String format(String key, Object... arguments) {
        return messages.format(key, arguments);
    }
}
