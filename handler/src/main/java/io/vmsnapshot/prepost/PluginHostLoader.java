package io.vmsnapshot.prepost;

import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.process.ProcessLauncher;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the plugin host only from package files whose SHA-256 matches the digest list the build
 * recorded inside the handler jar ({@value #DIGESTS}, lines {@code <sha256>  <path under the
 * package root>}). Each file is read once, checked (see {@link VerifiedFile}), and those very bytes
 * are used: the jar's classes are defined from memory and the default host config is handed over
 * as bytes. Any failure yields a host that never runs a script and reports {@code
 * IncorrectPluginhostFile} (312) with the file and the reason, as an error when the customer set up
 * pre/post and as a warning when not (see {@link CorruptPluginHost}).
 */
public final class PluginHostLoader {
    public static final String DIGESTS = "/io/vmsnapshot/prepost/pluginhost.sha256";
    public static final String JAR = "lib/vmsnapshot-pluginhost.jar";
    public static final String DEFAULT_HOST_CONFIG = "conf/VMSnapshotPluginHost.conf";
    private static final Logger LOG = LoggerFactory.getLogger(PluginHostLoader.class);

    private final Path packageRoot;
    private final String digests;

    /** Uses the digest list built into the handler jar. */
    public PluginHostLoader(Path packageRoot) {
        this(packageRoot, builtInDigests());
    }

    /** @param digests the digest list's text; empty if the handler jar has none (an unpackaged build) */
    public PluginHostLoader(Path packageRoot, String digests) {
        this.packageRoot = Objects.requireNonNull(packageRoot, "packageRoot");
        this.digests = Objects.requireNonNull(digests, "digests");
    }

    public PluginHost load(PluginHostSettings settings, ProcessLauncher launcher) {
        long from = System.nanoTime();
        try {
            Map<String, String> expected = parse(digests);
            byte[] jar = verified(expected, JAR, settings.handlerUid());
            byte[] defaultConfig = verified(expected, DEFAULT_HOST_CONFIG, settings.handlerUid());
            PluginHostFactory factory = instantiate(jar);
            LOG.info("pluginhost-verified jar={} config={} durationMs={}", packageRoot.resolve(JAR),
                    packageRoot.resolve(DEFAULT_HOST_CONFIG), (System.nanoTime() - from) / 1_000_000);
            return factory.create(settings, defaultConfig, launcher);
        } catch (HandlerException e) {
            boolean configured = CustomerConfigFiles.present(settings);
            LOG.warn("pluginhost-corrupt error={} scriptsConfigured={} detail={}", e.errorCode().displayName(),
                    configured, e.detail());
            return new CorruptPluginHost(e.detail(), configured);
        }
    }

    private byte[] verified(Map<String, String> expected, String relative, int uid) throws HandlerException {
        String digest = expected.get(relative);
        if (digest == null) {
            throw corrupt("the handler's digest list " + DIGESTS + " has no entry for " + relative);
        }
        return VerifiedFile.read(packageRoot.resolve(relative), digest, uid);
    }

    private PluginHostFactory instantiate(byte[] jar) throws HandlerException {
        try {
            ClassLoader loader = new VerifiedJarClassLoader(jar, PluginHostLoader.class.getClassLoader());
            return Class.forName(PluginHostFactory.IMPLEMENTATION, true, loader).asSubclass(PluginHostFactory.class)
                    .getConstructor().newInstance();
        } catch (IOException | ReflectiveOperationException | LinkageError | ClassCastException e) {
            throw corrupt(packageRoot.resolve(JAR) + " passed its digest check but cannot be loaded: " + e);
        }
    }

    private static Map<String, String> parse(String digests) throws HandlerException {
        Map<String, String> expected = new LinkedHashMap<>();
        for (String line : digests.split("\n")) {
            String[] fields = line.strip().split("\\s+", 2);
            if (fields.length == 2 && fields[0].matches("[0-9a-fA-F]{64}")) {
                expected.put(fields[1].strip(), fields[0]);
            }
        }
        if (expected.isEmpty()) {
            throw corrupt("the handler jar carries no digest list " + DIGESTS + "; the package is incomplete");
        }
        return expected;
    }

    private static String builtInDigests() {
        try (InputStream in = PluginHostLoader.class.getResourceAsStream(DIGESTS)) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static HandlerException corrupt(String detail) {
        return new HandlerException(io.vmsnapshot.error.ErrorCode.PLUGINHOST_CORRUPT, detail);
    }
}
