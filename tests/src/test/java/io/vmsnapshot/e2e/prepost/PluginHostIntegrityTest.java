package io.vmsnapshot.e2e.prepost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.e2e.agent.AgentSimulator;
import io.vmsnapshot.e2e.agent.AgentSimulator.Operation;
import io.vmsnapshot.e2e.agent.CommandResult;
import io.vmsnapshot.e2e.fixtures.RootOnlyDir;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * IncorrectPluginhostFile (312) through the installed package: each way of damaging the unzipped
 * plugin host is seen by {@code check} and by {@code dry-run}, which then run no script and tell
 * the operator to uninstall; the same package undamaged passes. Working scripts are configured
 * throughout, so any script run would show in the ran log.
 */
class PluginHostIntegrityTest {
    static final String JAR = "lib/vmsnapshot-pluginhost.jar";
    static final String DEFAULT_HOST_CONFIG = "conf/VMSnapshotPluginHost.conf";

    private static RootOnlyDir sandbox;
    private static Path pristine;
    private static AgentSimulator agent;
    private static CustomerConfig customer;
    private static OperatorShell shell;

    /** One kind of damage to a file of the unzipped package. */
    enum Damage {
        ONE_BYTE_FLIPPED(JAR) {
            @Override
            void apply(Path file) throws IOException {
                byte[] bytes = Files.readAllBytes(file);
                bytes[bytes.length / 2] ^= 0x01;
                Files.write(file, bytes, StandardOpenOption.TRUNCATE_EXISTING);
            }
        },
        TRUNCATED(JAR) {
            @Override
            void apply(Path file) throws IOException {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    channel.truncate(channel.size() / 2);
                }
            }
        },
        SYMLINK_TO_AN_IDENTICAL_COPY(JAR) {
            @Override
            void apply(Path file) throws IOException {
                Path copy = file.resolveSibling("pluginhost-copy.jar");
                Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES);
                Files.delete(file);
                Files.createSymbolicLink(file, copy);
            }
        },
        GROUP_WRITABLE(JAR) {
            @Override
            void apply(Path file) throws IOException {
                Set<PosixFilePermission> modes = Files.getPosixFilePermissions(file);
                modes.add(PosixFilePermission.GROUP_WRITE);
                Files.setPosixFilePermissions(file, modes);
            }
        },
        OWNED_BY_NOBODY(JAR) {
            @Override
            void apply(Path file) throws IOException {
                CustomerConfig.chown(file, CustomerConfig.NOBODY);
            }
        },
        DEFAULT_HOST_CONFIG_EDITED(DEFAULT_HOST_CONFIG) {
            @Override
            void apply(Path file) throws IOException {
                Files.writeString(file, Files.readString(file).replace("timeoutInSeconds: 1800", "timeoutInSeconds: 1799"));
            }
        };

        final String relative;

        Damage(String relative) {
            this.relative = relative;
        }

        abstract void apply(Path file) throws IOException;
    }

    @BeforeAll
    static void installThePackage() throws IOException {
        sandbox = RootOnlyDir.create("integrity");
        agent = AgentSimulator.inSandbox(sandbox.path());
        agent.download(AgentSimulator.builtZip(), AgentSimulator.builtVersion());
        CommandResult install = agent.run(Operation.INSTALL);
        assertEquals(0, install.exitCode(), install.toString());
        pristine = Files.createDirectories(sandbox.resolve("pristine"));
        for (String relative : List.of(JAR, DEFAULT_HOST_CONFIG)) {
            Files.copy(agent.baseDir().resolve(relative), pristine.resolve(Path.of(relative).getFileName()),
                    StandardCopyOption.COPY_ATTRIBUTES);
        }
        customer = new CustomerConfig(agent.configOverrideDir());
        shell = new OperatorShell(agent.baseDir(), Map.of(
                "VMSNAPSHOT_CONFIG_DIR", customer.dir().toString(),
                "VMSNAPSHOT_FREEZE_MOUNTS", ""));
    }

    @AfterAll
    static void removeTheSandbox() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @BeforeEach
    void configureWorkingScripts() throws IOException {
        customer.clear();
        customer.standard(true);
    }

    @AfterEach
    void restoreThePackage() throws IOException {
        restore(agent.baseDir());
    }

    /** Puts the unzipped plugin host files back as the agent unzipped them. */
    static void restore(Path baseDir) throws IOException {
        for (String relative : List.of(JAR, DEFAULT_HOST_CONFIG)) {
            Path file = baseDir.resolve(relative);
            Files.deleteIfExists(file);
            Files.copy(pristine(relative), file, StandardCopyOption.COPY_ATTRIBUTES);
            CustomerConfig.chown(file, 0);
        }
        Files.deleteIfExists(baseDir.resolve("lib/pluginhost-copy.jar"));
    }

    private static Path pristine(String relative) {
        return pristine.resolve(Path.of(relative).getFileName());
    }

    @Test
    void check_ofTheUntouchedPackage_passes() throws Exception {
        OperatorShell.Result check = shell.run("bin/handle.sh", "check");

        assertEquals(0, check.exitCode(), check.toString());
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void checkAndDryRun_ofADamagedPluginHost_report312_adviseUninstall_andRunNoScript(Damage damage) throws Exception {
        OperatorShell.Result before = shell.run("bin/handle.sh", "check");
        assertEquals(0, before.exitCode(), "the package passes before the damage: " + before);
        Path file = agent.baseDir().resolve(damage.relative);
        damage.apply(file);

        for (String verb : List.of("check", "dry-run")) {
            OperatorShell.Result result = shell.run("bin/handle.sh", verb);

            assertEquals(2, result.exitCode(), result.toString());
            assertTrue(result.stdout().contains("ERROR IncorrectPluginhostFile (312): " + file), result.toString());
            assertTrue(result.stdout().contains(SeedTexts.english("IncorrectPluginhostFile")), result.toString());
            assertTrue(result.stdout().contains("Uninstall the VMSnapshotLinux extension"), result.toString());
        }
        assertEquals(List.of(), customer.ran(), "no script runs with a damaged plugin host");
        assertTrue(Files.exists(file, LinkOption.NOFOLLOW_LINKS));
    }

    /** No script would have run: a warning, not a yellow health advising to uninstall the extension. */
    @Test
    void check_ofADamagedPluginHost_onAVmWithoutPrePost_warnsAndSaysNotConfigured() throws Exception {
        customer.clear();
        Path file = agent.baseDir().resolve(JAR);
        Damage.ONE_BYTE_FLIPPED.apply(file);

        OperatorShell.Result check = shell.run("bin/handle.sh", "check");

        assertEquals(1, check.exitCode(), check.toString());
        assertTrue(check.stdout().contains("WARN  IncorrectPluginhostFile (312): " + file), check.toString());
        assertTrue(check.stdout().contains("no pre/post script is configured"), check.toString());
        assertFalse(check.stdout().contains("ERROR"), check.toString());
    }

    @Test
    void check_ofADamagedPluginHost_inZhCn_showsTheSeedsChineseText() throws Exception {
        Damage.ONE_BYTE_FLIPPED.apply(agent.baseDir().resolve(JAR));

        OperatorShell.Result check = shell.with("VMSNAPSHOT_LOCALE", "zh-CN").run("bin/handle.sh", "check");

        assertEquals(2, check.exitCode(), check.toString());
        assertTrue(check.stdout().contains(SeedTexts.chinese("IncorrectPluginhostFile")), check.toString());
    }
}
