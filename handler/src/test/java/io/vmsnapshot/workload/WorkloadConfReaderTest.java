package io.vmsnapshot.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.error.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** workload.conf as upstream's template and Microsoft's documentation shape it, and what makes it unusable. */
class WorkloadConfReaderTest {
    @TempDir
    Path dir;
    private Path passwd;
    private int uid;

    @BeforeEach
    void users() throws IOException {
        passwd = dir.resolve("passwd");
        Files.writeString(passwd, "root:x:0:0:root:/root:/bin/bash\noracle:x:54321:54321::/home/oracle:/bin/bash\n"
                + "postgres:x:106:110::/var/lib/postgresql:/bin/bash\n");
        Files.createDirectories(dir.resolve("etc"));
        uid = (Integer) Files.getAttribute(dir, "unix:uid");
    }

    private WorkloadSetup read(String text, String mode) throws IOException {
        Path file = dir.resolve("etc").resolve("workload.conf");
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return new WorkloadConfReader(dir.resolve("etc"), uid, passwd).read();
    }

    private static ErrorCode problem(WorkloadSetup setup) {
        return setup.problem().orElseThrow(() -> new AssertionError("no problem: " + setup)).error();
    }

    @Test
    void noFile_leavesTheScriptsAlone() {
        assertEquals(WorkloadSetup.State.ABSENT, new WorkloadConfReader(dir.resolve("etc"), uid, passwd).read().state());
    }

    @Test
    void upstreamsTemplateAsInstallLeavesIt_withAnEmptyWorkloadName_isNotAWorkload() throws IOException {
        WorkloadSetup setup = read("[workload]\n#workload_name valid values- mysql, oracle, mariadb, postgres\n"
                + "workload_name = \ncommand_path = \ncredString = \nipc_folder = \ntimeout = \nlinux_user = \n", "rw-------");

        assertEquals(WorkloadSetup.State.ABSENT, setup.state());
    }

    @Test
    void oracleAsOraclesTutorialSetsItUp_isConfigured_withTheDefaultTimeout() throws IOException {
        WorkloadSetup setup = read("[workload]\nworkload_name = oracle\nconfiguration_path = /etc/oratab\n"
                + "linux_user = oracle\ntimeout = \n", "rw-r--r--");

        WorkloadConf conf = setup.conf().orElseThrow(() -> new AssertionError(setup.toString()));
        assertEquals(Database.ORACLE, conf.database());
        assertEquals(Path.of("/etc/oratab"), conf.configurationPath());
        assertEquals(new LinuxUser("oracle", 54321, Path.of("/home/oracle")), conf.linuxUser());
        assertEquals(Duration.ofSeconds(90), conf.timeout());
    }

    @Test
    void keysAreCaseInsensitive_credStringIsSplitAtBlanks_andUpstreamOnlyKeysAreNamedAsIgnored() throws IOException {
        WorkloadSetup setup = read("[workload]\nWorkload_Name: mysql\ncredString = --defaults-file=/root/my.cnf "
                + " --user=backup\ntimeout = 45\nrole = master\n", "rw-------");

        WorkloadConf conf = setup.conf().orElseThrow(() -> new AssertionError(setup.toString()));
        assertEquals(List.of("--defaults-file=/root/my.cnf", "--user=backup"), conf.credentials());
        assertEquals("root", conf.linuxUser().name());
        assertEquals(Duration.ofSeconds(45), conf.timeout());
        assertTrue(setup.warnings().get(0).contains("key 'role' is upstream's and is ignored"), setup.warnings().toString());
    }

    @Test
    void anUnknownWorkloadName_isReportedNotIgnored() throws IOException {
        WorkloadSetup setup = read("[workload]\nworkload_name = db2\n", "rw-------");

        assertEquals(ErrorCode.WORKLOAD_NAME_INVALID, problem(setup));
        assertTrue(setup.problem().get().detail().contains("workload_name=db2"), setup.toString());
    }

    @Test
    void aLinuxUserThatDoesNotExist_isMissingAuthorization() throws IOException {
        WorkloadSetup setup = read("[workload]\nworkload_name = postgres\nlinux_user = pgadmin\n", "rw-------");

        assertEquals(ErrorCode.WORKLOAD_AUTHORIZATION_MISSING, problem(setup));
        assertTrue(setup.problem().get().detail().contains("linux_user=pgadmin is no user of this VM"), setup.toString());
    }

    @Test
    void aFileOthersMayWrite_isRefused_naming_theMode() throws IOException {
        WorkloadSetup setup = read("[workload]\nworkload_name = mysql\n", "rw-rw-rw-");

        assertEquals(ErrorCode.WORKLOAD_CONF_INVALID, problem(setup));
        assertTrue(setup.problem().get().detail().contains("has mode rw-rw-rw-"), setup.toString());
    }

    @Test
    void aFileOfAnotherOwner_isRefused() throws IOException {
        Path file = dir.resolve("etc").resolve("workload.conf");
        Files.writeString(file, "[workload]\nworkload_name = mysql\n");
        WorkloadSetup setup = new WorkloadConfReader(dir.resolve("etc"), uid + 1, passwd).read();

        assertEquals(ErrorCode.WORKLOAD_CONF_INVALID, problem(setup));
        assertTrue(setup.problem().get().detail().contains("must be owned by uid " + (uid + 1)), setup.toString());
    }

    @Test
    void aSymlinkedFile_isRefused() throws IOException {
        Path target = dir.resolve("real.conf");
        Files.writeString(target, "[workload]\nworkload_name = mysql\n");
        Files.createSymbolicLink(dir.resolve("etc").resolve("workload.conf"), target);

        WorkloadSetup setup = new WorkloadConfReader(dir.resolve("etc"), uid, passwd).read();

        assertEquals(Optional.of(ErrorCode.WORKLOAD_CONF_INVALID), setup.problem().map(p -> p.error()));
    }

    @Test
    void aTimeoutThatIsNoWholeNumberOfSeconds_namesTheField() throws IOException {
        WorkloadSetup setup = read("[workload]\nworkload_name = mysql\ntimeout = soon\n", "rw-------");

        assertEquals(ErrorCode.WORKLOAD_CONF_INVALID, problem(setup));
        assertTrue(setup.problem().get().detail().contains("timeout=soon"), setup.toString());
    }
}
