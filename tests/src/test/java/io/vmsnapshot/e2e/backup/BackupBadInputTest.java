package io.vmsnapshot.e2e.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmsnapshot.e2e.agent.AgentSimulator;
import io.vmsnapshot.e2e.agent.AgentStatus;
import io.vmsnapshot.e2e.agent.SettingsBuilder;
import io.vmsnapshot.e2e.fixtures.LoopMount;
import io.vmsnapshot.e2e.fixtures.WriteProbe;
import io.vmsnapshot.freeze.FreezeEligibility;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Requests the service should never send, and a host it cannot reach, through the built package:
 * each gets an error that says what is wrong with which field, and a backup that got as far as the
 * scripts always thaws and runs the post-script. The WireServer is the simulator's default: a
 * closed loopback port.
 */
class BackupBadInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final BackupVm vm = new BackupVm("bad-input");
    private static LoopMount ext4;
    private static AgentSimulator agent;
    private static int seq;

    @BeforeAll
    static void install() throws IOException {
        ext4 = vm.mount(LoopMount.FsType.EXT4);
        agent = vm.install(Map.of(FreezeEligibility.FREEZE_MOUNTS_ENV, ext4.mountPoint().toString()));
    }

    @Test
    void dataDiskLunListThatIsNotAList_isRefused_namingTheField_beforeAnyScriptRuns() throws Exception {
        ObjectNode disks = JSON.createObjectNode().put("dataDiskLunList", "0,1").put("isOSDiskIncluded", true);
        int mine = ++seq;

        agent.enable(mine, SettingsBuilder.snapshot().publicObjectField("includedDisks", disks).build());

        AgentStatus status = BackupSandbox.awaitTerminal(agent, mine);
        assertEquals("error", status.status(), status.toString());
        assertEquals(11, status.code(), status.message());
        assertTrue(status.message().contains("dataDiskLunList"), status.message());
        assertEquals(List.of(), vm.sandbox().scriptRuns(), "a request that cannot be read quiesces nothing");
    }

    @Test
    void noBlobSasUris_inOnlyGuestMode_reports76_sayingSo_thawed_andThePostScriptRan() throws Exception {
        int mine = ++seq;

        agent.enable(mine, SettingsBuilder.snapshot().includedDisks(List.of(0), true).blobSasUris(List.of())
                .customSettings(JSON.createObjectNode().put("takeSnapshotFrom", "onlyGuest")).build());

        AgentStatus status = BackupSandbox.awaitTerminal(agent, mine);
        assertEquals(76, status.code(), status.message());
        assertTrue(status.message().contains("blobSASUri is empty"), status.message());
        assertTrue(status.message().contains("StatusCode.FailedRetryableSnapshotFailedNoNetwork,"), status.message());
        assertTrue(WriteProbe.isThawed(ext4.mountPoint()), "thawed");
        assertEquals(List.of("pre e2e", "post failed"), vm.sandbox().scriptRuns());
    }

    @Test
    void onlyHost_withTheWireServerUnreachable_saysTheHostCouldNotBeReached_thawed_andThePostScriptRan() throws Exception {
        int mine = ++seq;

        agent.enable(mine, SettingsBuilder.snapshot().includedDisks(List.of(0), true)
                .customSettings(JSON.createObjectNode().put("takeSnapshotFrom", "onlyHost")).build());

        AgentStatus status = BackupSandbox.awaitTerminal(agent, mine);
        assertEquals(76, status.code(), status.message());
        assertTrue(status.message().contains("the WireServer at http://127.0.0.1:9 did not answer: cannot connect"),
                "names the host it tried: " + status.message());
        assertTrue(WriteProbe.isThawed(ext4.mountPoint()), "thawed");
        assertEquals(List.of("pre e2e", "post failed"), vm.sandbox().scriptRuns());
    }
}
