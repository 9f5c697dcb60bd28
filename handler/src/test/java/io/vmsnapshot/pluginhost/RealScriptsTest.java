package io.vmsnapshot.pluginhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.prepost.PhaseResult;
import io.vmsnapshot.prepost.PluginHost;
import io.vmsnapshot.prepost.ScriptContext;
import io.vmsnapshot.prepost.ScriptPhase;
import io.vmsnapshot.process.GroupProcessLauncher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Pre then post with real scripts: what a customer's scripts see and what comes back. */
class RealScriptsTest {
    private final Fixture fx = new Fixture();

    @AfterEach
    void cleanUp() {
        fx.close();
    }

    @Test
    void run_preThenPost_bothSucceedAndSeeTheirContext() {
        Path pre = fx.script("pre.sh", "echo \"$VMSNAPSHOT_PHASE $VMSNAPSHOT_TASK_ID $VMSNAPSHOT_ATTEMPT $(pwd)\"");
        Path post = fx.box.file("scripts/post", "echo \"$VMSNAPSHOT_PHASE $VMSNAPSHOT_SNAPSHOT_OUTCOME\" \"$@\"\n",
                "rwx------");
        fx.pluginConfig(pre.toString(), post.toString(), "\"postScriptParams\": [\"$(touch pwned)\", \"\", \"x\"]");
        PluginHost host = fx.host(GroupProcessLauncher.system());

        PhaseResult preResult = host.run(ScriptPhase.PRE, new ScriptContext("t-9", Map.of()));
        PhaseResult postResult = host.run(ScriptPhase.POST,
                new ScriptContext("t-9", Map.of(ScriptContext.SNAPSHOT_OUTCOME_ENV, "success")));

        assertTrue(preResult.applicationConsistent(), preResult.toString());
        assertEquals(List.of("pre t-9 1 " + pre.getParent()), preResult.scripts().get(0).lastLines());
        assertEquals(List.of("post success $(touch pwned) x"), postResult.scripts().get(0).lastLines());
        assertFalse(Files.exists(post.resolveSibling("pwned")));
    }
}
