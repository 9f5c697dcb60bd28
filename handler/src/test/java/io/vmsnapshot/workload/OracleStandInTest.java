package io.vmsnapshot.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.prepost.Finding;
import io.vmsnapshot.process.GroupProcessLauncher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Oracle protocol against a stand-in {@code sqlplus} (Oracle cannot run here): a script that
 * records, per {@code ORACLE_SID}, the statements it receives in their order, answers the status
 * queries, and keeps "datafiles in backup mode" as a file per SID, refusing END BACKUP without it
 * as Oracle does (ORA-01142). Real processes, through the production launcher.
 */
class OracleStandInTest {
    private static final String STAND_IN = """
            #!/bin/sh
            state=%s
            sql=$(cat)
            printf '%%s\\n' "$sql" | while IFS= read -r line; do
                case "$line" in
                    ALTER*) printf '%%s\\n' "$line" >>"$state/$ORACLE_SID.log" ;;
                    *'FROM V$BACKUP'*) echo CHECK >>"$state/$ORACLE_SID.log" ;;
                esac
            done
            case "$sql" in *'FROM V$INSTANCE'*)
                echo "STATUS=$(cat "$state/$ORACLE_SID.status" 2>/dev/null || echo OPEN)"
                echo "LOG_MODE=$(cat "$state/$ORACLE_SID.logmode" 2>/dev/null || echo ARCHIVELOG)"
                if [ -e "$state/$ORACLE_SID.inbackup" ]; then echo ACTIVE_BACKUP=4; else echo ACTIVE_BACKUP=0; fi ;;
            esac
            case "$sql" in *'BEGIN BACKUP'*) touch "$state/$ORACLE_SID.inbackup" ;; esac
            case "$sql" in *'END BACKUP'*)
                [ -e "$state/$ORACLE_SID.inbackup" ] || { echo 'ORA-01142: cannot end online backup'; exit 1; }
                rm "$state/$ORACLE_SID.inbackup" ;;
            esac
            exit 0
            """;
    private static final List<String> PRE = List.of("CHECK", "ALTER SYSTEM ARCHIVE LOG CURRENT;",
            "ALTER DATABASE BEGIN BACKUP;");
    private static final List<String> POST = List.of("CHECK", "ALTER DATABASE END BACKUP;");

    @TempDir
    Path dir;
    private Path state;
    private Path oratab;

    @BeforeEach
    void twoInstances() throws IOException {
        state = Files.createDirectories(dir.resolve("state"));
        for (String home : List.of("db1", "db2")) {
            Path bin = Files.createDirectories(dir.resolve(home).resolve("bin"));
            Path sqlplus = bin.resolve("sqlplus");
            Files.writeString(sqlplus, STAND_IN.formatted(state));
            Files.setPosixFilePermissions(sqlplus, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        oratab = dir.resolve("oratab");
        Files.writeString(oratab, "# comment\nORCL:" + dir.resolve("db1") + ":Y\n*:" + dir.resolve("db2") + ":N\n"
                + "SALES:" + dir.resolve("db2") + ":N\n");
    }

    private OracleQuiescer quiescer(Duration timeout) {
        WorkloadConf conf = new WorkloadConf(Database.ORACLE, Optional.empty(), oratab,
                new LinuxUser("root", 0, Path.of("/root")), List.of(), timeout);
        return new OracleQuiescer(conf, new ClientRunner(GroupProcessLauncher.system(), conf.linuxUser()));
    }

    private List<String> statements(String sid) throws IOException {
        Path log = state.resolve(sid + ".log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    private static List<ErrorCode> errors(List<Step> steps) {
        return steps.stream().flatMap(s -> s.error().stream()).map(Finding::error).toList();
    }

    @Test
    void everySidOfTheOratab_entersBackupModeBeforeTheFreeze_andLeavesItAfter_inThatOrder() throws IOException {
        OracleQuiescer oracle = quiescer(Duration.ofSeconds(60));

        List<Step> pre = oracle.quiesce();
        List<String> duringSnapshot = statements("ORCL");
        List<Step> post = oracle.release();

        assertEquals(List.of(), errors(pre), pre.toString());
        assertEquals(List.of(), errors(post), post.toString());
        assertEquals(PRE, duringSnapshot);
        for (String sid : List.of("ORCL", "SALES")) {
            assertEquals(concat(PRE, POST), statements(sid), sid);
            assertTrue(!Files.exists(state.resolve(sid + ".inbackup")), sid + " left backup mode");
        }
        assertTrue(post.stream().anyMatch(s -> s.lines().stream().anyMatch(l -> l.startsWith("backup mode held "))),
                post.toString());
    }

    @Test
    void whenTheReleaseNeverComes_theTimerEndsBackupModeByItself_andALateReleaseSaysSo() throws Exception {
        OracleQuiescer oracle = quiescer(Duration.ofSeconds(1));

        assertEquals(List.of(), errors(oracle.quiesce()));
        awaitEndBackup("ORCL");
        awaitEndBackup("SALES");
        List<Step> post = oracle.release();

        assertEquals(List.of(ErrorCode.WORKLOAD_QUIESCE_TIMEOUT, ErrorCode.WORKLOAD_QUIESCE_TIMEOUT), errors(post),
                post.toString());
        assertEquals(List.of("CHECK", "ALTER SYSTEM ARCHIVE LOG CURRENT;", "ALTER DATABASE BEGIN BACKUP;",
                "ALTER DATABASE END BACKUP;", "CHECK"), statements("ORCL"), "END BACKUP once, by the timer");
    }

    @Test
    void datafilesLeftInBackupModeByADeadBackup_areTakenOutOfItBeforeTheNextBeginBackup() throws Exception {
        Files.createFile(state.resolve("ORCL.inbackup"));
        OracleQuiescer oracle = quiescer(Duration.ofSeconds(60));

        List<Step> pre = oracle.quiesce();
        oracle.release();

        assertEquals(List.of(), errors(pre), pre.toString());
        assertEquals(List.of("CHECK", "ALTER DATABASE END BACKUP;", "ALTER SYSTEM ARCHIVE LOG CURRENT;",
                "ALTER DATABASE BEGIN BACKUP;", "CHECK", "ALTER DATABASE END BACKUP;"), statements("ORCL"));
    }

    @Test
    void theReleaseOfAFreshWorker_asTheJournalsRecoveryRunsIt_endsBackupModeItFinds() throws Exception {
        Files.createFile(state.resolve("SALES.inbackup"));

        List<Step> post = quiescer(Duration.ofSeconds(60)).release();

        assertEquals(List.of(), errors(post), post.toString());
        assertEquals(List.of("CHECK"), statements("ORCL"));
        assertEquals(POST, statements("SALES"));
    }

    @Test
    void aDatabaseInNoArchiveLogMode_isNotPutInBackupMode_andSaysWhy() throws Exception {
        Files.writeString(state.resolve("ORCL.logmode"), "NOARCHIVELOG\n");
        OracleQuiescer oracle = quiescer(Duration.ofSeconds(60));

        List<Step> pre = oracle.quiesce();
        oracle.release();

        assertEquals(List.of(ErrorCode.WORKLOAD_NO_ARCHIVE_LOG), errors(pre), pre.toString());
        assertEquals(List.of("CHECK", "CHECK"), statements("ORCL"));
        assertEquals(concat(PRE, POST), statements("SALES"), "the other SID is still quiesced");
    }

    @Test
    void aMissingSqlplus_isAConnectionError_naming_theSid() throws Exception {
        Files.delete(dir.resolve("db1").resolve("bin").resolve("sqlplus"));
        OracleQuiescer oracle = quiescer(Duration.ofSeconds(60));

        List<Step> pre = oracle.quiesce();
        oracle.release();

        assertEquals(ErrorCode.WORKLOAD_CONNECTION_FAILED, errors(pre).get(0), pre.toString());
        assertTrue(pre.get(0).error().get().detail().contains("SID ORCL"), pre.toString());
    }

    @Test
    void asRoot_aSqlplusAnotherUserCouldChange_isNeverRun() throws Exception {
        Path bin = dir.resolve("db1").resolve("bin");
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxrwxrwx"));
        OracleQuiescer oracle = quiescer(Duration.ofSeconds(60));

        List<Step> pre = oracle.quiesce();
        List<Step> post = oracle.release();

        assertEquals(ErrorCode.WORKLOAD_CONF_INVALID, errors(pre).get(0), pre.toString());
        assertTrue(pre.get(0).error().get().detail().contains("writable by group or other"), pre.toString());
        assertEquals(List.of(), statements("ORCL"), "root ran nothing from there");
        assertEquals(concat(PRE, POST), statements("SALES"));
        assertEquals(List.of(), errors(post), post.toString());
    }

    private void awaitEndBackup(String sid) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        while (!statements(sid).contains("ALTER DATABASE END BACKUP;")) {
            assertTrue(Instant.now().isBefore(deadline), sid + ": the timer never issued END BACKUP");
            Thread.sleep(50);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
