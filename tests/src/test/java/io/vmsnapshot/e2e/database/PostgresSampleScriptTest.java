package io.vmsnapshot.e2e.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.e2e.fixtures.Cleanup;
import io.vmsnapshot.e2e.fixtures.LoopMount;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * scripts/samples/postgresql/vmsnapshot-postgresql.sh against a real PostgreSQL, run the way the
 * plugin host runs it: a checkpoint before the snapshot, a report after it, and the exit codes
 * the header documents.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresSampleScriptTest {
    private final Cleanup servers = new Cleanup();
    private RunArea area;
    private PostgresCluster cluster;
    private ScriptInvocation script;

    @BeforeAll
    void startPostgres() throws Exception {
        Path bin = DatabasePackages.postgresBin();
        area = servers.add(RunArea.create("pg-script"));
        LoopMount disk = servers.add(LoopMount.create(LoopMount.FsType.EXT4, 256, area.path("data")));
        cluster = servers.add(PostgresCluster.initialize(bin, disk.mountPoint().resolve("pgdata"),
                area.directory("run", PostgresCluster.OS_USER, false)));
        Path sample = SampleScripts.install("postgresql/vmsnapshot-postgresql.sh", area.directory("scripts", "root", false));
        script = new ScriptInvocation(sample, params(cluster.socketDir()), "task-1");
    }

    @AfterAll
    void stopPostgres() throws Exception {
        servers.close();
    }

    private List<String> params(Path socketDir, String... more) {
        List<String> params = new ArrayList<>(List.of("--host=" + socketDir, "--port=" + PostgresCluster.PORT,
                "--psql=" + cluster.bin().resolve("psql"), "--state-dir=" + area.path("state")));
        params.addAll(List.of(more));
        return params;
    }

    @Test
    void pre_checkpoints_andPost_reportsTheWalWrittenSince() {
        String checkpointsBefore = cluster.sql("SELECT checkpoints_req FROM pg_stat_bgwriter");

        ScriptInvocation.Result pre = script.pre();
        cluster.sql("CREATE TABLE IF NOT EXISTS written_during_backup AS SELECT generate_series(1, 1000) AS n");
        ScriptInvocation.Result post = script.post("success");

        assertEquals(0, pre.exitCode(), pre.toString());
        assertTrue(pre.output().contains("CHECKPOINT done in"), pre.output());
        assertEquals(Long.parseLong(checkpointsBefore) + 1, Long.parseLong(cluster.sql("SELECT checkpoints_req FROM pg_stat_bgwriter")),
                "one requested checkpoint");
        assertEquals(0, post.exitCode(), post.toString());
        assertTrue(post.output().matches("(?s).*server is up; [1-9]\\d* bytes of WAL written during the backup \\(snapshot: success\\).*"),
                post.output());
    }

    @Test
    void pre_whenTheServerIsUnreachable_exits3_withPsqlsError() {
        ScriptInvocation.Result pre = script.withParams(params(area.path("no-socket-here"))).pre();

        assertEquals(3, pre.exitCode(), pre.toString());
        assertTrue(pre.output().contains("cannot query the server as OS user postgres") && pre.output().contains("No such file"),
                pre.output());
    }

    @Test
    void unknownOption_exits2_andAMissingPhaseToo() {
        ScriptInvocation.Result option = script.withParams(params(cluster.socketDir(), "--checkpoint=5")).pre();
        ScriptInvocation.Result phase = script.run("", Map.of());

        assertEquals(2, option.exitCode(), option.toString());
        assertTrue(option.output().contains("unknown option '--checkpoint=5'"), option.output());
        assertEquals(2, phase.exitCode(), phase.toString());
        assertTrue(phase.output().contains("unknown phase"), phase.output());
    }
}
