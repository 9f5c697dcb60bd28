package io.vmsnapshot.prepost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.process.FakeProcessLauncher;
import io.vmsnapshot.testing.Sandbox;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The integrity check against a real plugin host jar built from the compiled classes. */
class PluginHostLoaderTest {
    private static final String CONF = "[pre_post]\nnumberOfPlugins: 1\npluginName0: ScriptRunner\n"
            + "pluginConfigPath0: /etc/azure/VMSnapshotPluginConfig.json\n";

    private final Sandbox box = Sandbox.create();
    private final FakeProcessLauncher launcher = new FakeProcessLauncher();
    private Path jar;
    private Path conf;
    private String digests;

    @BeforeEach
    void buildPackage() throws Exception {
        jar = box.root().resolve(PluginHostLoader.JAR);
        conf = box.file(PluginHostLoader.DEFAULT_HOST_CONFIG, CONF, "rw-r--r--");
        box.file("etc/" + CustomerConfigFiles.PLUGIN_CONFIG,
                "{\"preScriptLocation\": \"\", \"postScriptLocation\": \"\"}", "rw-------");
        Files.createDirectories(jar.getParent());
        Files.write(jar, pluginHostJar());
        digests = VerifiedFile.sha256(Files.readAllBytes(jar)) + "  " + PluginHostLoader.JAR + "\n"
                + VerifiedFile.sha256(Files.readAllBytes(conf)) + "  " + PluginHostLoader.DEFAULT_HOST_CONFIG + "\n";
    }

    @AfterEach
    void cleanUp() {
        box.close();
    }

    private PluginHost load() {
        return new PluginHostLoader(box.root(), digests).load(
                PluginHostSettings.of(box.dir("etc"), Sandbox.currentUid()), launcher);
    }

    private void assertCorrupt(String expectedDetail) {
        PluginHost host = load();
        Finding finding = host.precheck().firstError().orElseThrow();
        assertEquals(ErrorCode.PLUGINHOST_CORRUPT, finding.error());
        assertTrue(finding.detail().contains(expectedDetail), finding.detail());
        assertEquals(List.of(), host.run(ScriptPhase.PRE, new ScriptContext("t", Map.of())).scripts());
        assertEquals(List.of(), launcher.started());
    }

    @Test
    void load_untouchedPackage_definesThePluginHostFromTheVerifiedBytes() {
        PluginHost host = load();

        assertEquals(List.of(), host.precheck().findings());
        assertInstanceOf(VerifiedJarClassLoader.class, host.getClass().getClassLoader());
        assertTrue(host.getClass().getName().startsWith(VerifiedJarClassLoader.VERIFIED_PACKAGE));
    }

    /** No script would have run: the damage is worth a warning, not a yellow health on every backup. */
    @Test
    void load_damagedJarOnAVmWithoutPrePostConfig_isAWarningAndNotConfigured() throws Exception {
        Files.delete(box.root().resolve("etc/" + CustomerConfigFiles.PLUGIN_CONFIG));
        byte[] bytes = Files.readAllBytes(jar);
        bytes[bytes.length / 2] ^= 1;
        Files.write(jar, bytes);

        Precheck precheck = load().precheck();

        assertEquals(List.of(), precheck.findings());
        assertFalse(precheck.scriptsConfigured());
        assertTrue(precheck.warnings().get(0).startsWith("IncorrectPluginhostFile (312): " + jar),
                precheck.warnings().toString());
        assertEquals(List.of(), load().run(ScriptPhase.PRE, new ScriptContext("t", Map.of())).errors());
    }

    @ParameterizedTest
    @ValueSource(strings = {CustomerConfigFiles.HOST_CONFIG, CustomerConfigFiles.UPSTREAM_PLUGIN_CONFIG})
    void load_damagedJarWithAnyCustomerConfigFile_gives312(String name) throws Exception {
        Files.delete(box.root().resolve("etc/" + CustomerConfigFiles.PLUGIN_CONFIG));
        box.file("etc/" + name, "x", "rw-------");
        Files.write(jar, new byte[] {1});

        assertCorrupt("has SHA-256");
    }

    @Test
    void load_jarWithOneFlippedByte_gives312() throws Exception {
        byte[] bytes = Files.readAllBytes(jar);
        bytes[bytes.length / 2] ^= 1;
        Files.write(jar, bytes);

        assertCorrupt("has SHA-256");
    }

    @Test
    void load_truncatedJar_gives312() throws Exception {
        byte[] bytes = Files.readAllBytes(jar);
        Files.write(jar, java.util.Arrays.copyOf(bytes, bytes.length - 100));

        assertCorrupt("has SHA-256");
    }

    @Test
    void load_jarReplacedBySymlinkToAnIdenticalCopy_gives312() throws Exception {
        Path copy = Files.copy(jar, box.root().resolve("copy.jar"));
        Files.delete(jar);
        Files.createSymbolicLink(jar, copy);

        assertCorrupt("symbolic link");
    }

    @Test
    void load_groupWritableConfig_gives312() {
        Sandbox.chmod(conf, "rw-rw-r--");

        assertCorrupt("writable by group or other");
    }

    @Test
    void load_jarOfAnotherOwner_gives312() {
        Sandbox.chown(jar, 65534);

        assertCorrupt("owned by uid 65534");
    }

    @Test
    void load_missingDigestList_gives312() {
        digests = "";

        assertCorrupt("no digest list");
    }

    @Test
    void load_missingJar_gives312() throws Exception {
        Files.delete(jar);

        assertCorrupt("is missing");
    }

    /** The classes the build puts into lib/vmsnapshot-pluginhost.jar, taken from the compiled output. */
    static byte[] pluginHostJar() throws IOException {
        Path classes = Path.of("target/classes");
        Path root = classes.resolve("io/vmsnapshot/pluginhost");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes); Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString()));
                out.write(Files.readAllBytes(file));
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void pluginHostJar_containsTheFactory() throws Exception {
        String listing = new String(pluginHostJar(), StandardCharsets.ISO_8859_1);

        assertTrue(listing.contains("io/vmsnapshot/pluginhost/ScriptPluginHostFactory.class"));
    }
}
