package io.vmsnapshot.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.status.StatusType;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The outcome matrix of docs/backup-flow.md §4.6, with upstream's bugs fixed where the spec says so. */
class ResultPolicyTest {
    private static final Optional<ErrorCode> NONE = Optional.empty();

    /** A backup where everything went right, to vary one fact at a time. */
    private static Facts clean() {
        return new Facts();
    }

    private static final class Facts {
        Optional<ErrorCode> precheck = NONE;
        boolean configured = true;
        Optional<ErrorCode> pre = NONE;
        Optional<ErrorCode> post = NONE;
        boolean cont = true;
        boolean singleDisk = false;
        FreezeState freeze = FreezeState.FROZEN;
        Optional<ErrorCode> freezeError = NONE;
        boolean taken = true;
        Optional<ErrorCode> snapshotError = NONE;
        boolean allFailed = false;

        BackupVerdict decide() {
            return ResultPolicy.decide(new BackupFacts(precheck, configured, pre, post, cont, singleDisk, freeze,
                    freezeError, taken, snapshotError, allFailed));
        }
    }

    @Test
    void decide_whenScriptsAndFreezeSucceed_isApplicationConsistentWithCodeZero() {
        BackupVerdict verdict = clean().decide();
        assertEquals(StatusType.SUCCESS, verdict.status());
        assertEquals(ErrorCode.SUCCESS_APP_CONSISTENT, verdict.code());
        assertEquals(Consistency.APPLICATION, verdict.consistency());
        assertEquals(ErrorCode.SUCCESS_APP_CONSISTENT, verdict.healthCode());
    }

    @Test
    void decide_whenNoPrePostIsConfigured_isFileSystemConsistentWithoutAnError() {
        Facts facts = clean();
        facts.configured = false;
        BackupVerdict verdict = facts.decide();
        assertEquals(ErrorCode.SUCCESS, verdict.code());
        assertEquals(Consistency.FILE_SYSTEM, verdict.consistency());
        assertEquals(ErrorCode.SUCCESS, verdict.healthCode());
    }

    @Test
    void decide_whenPluginConfigIsIncorrect_fallsBackToFileSystemConsistentAndReportsTheError() {
        Facts facts = clean();
        facts.precheck = Optional.of(ErrorCode.PLUGIN_CONFIG_INVALID);
        BackupVerdict verdict = facts.decide();
        assertEquals(StatusType.SUCCESS, verdict.status());
        assertEquals(ErrorCode.SUCCESS, verdict.code());
        assertEquals(Consistency.FILE_SYSTEM, verdict.consistency());
        assertEquals(ErrorCode.PLUGIN_CONFIG_INVALID, verdict.healthCode());
    }

    @Test
    void decide_whenPreScriptIsMissingAndContinueIsFalse_fallsBackBecauseAScriptThatDidNotRunDidNotFail() {
        Facts facts = clean();
        facts.precheck = Optional.of(ErrorCode.PRE_SCRIPT_NOT_FOUND);
        facts.cont = false;
        BackupVerdict verdict = facts.decide();
        assertEquals(StatusType.SUCCESS, verdict.status());
        assertEquals(ErrorCode.SUCCESS, verdict.code());
        assertEquals(ErrorCode.PRE_SCRIPT_NOT_FOUND, verdict.healthCode());
    }

    @Test
    void stopsBeforeSnapshot_whenThePreScriptFailedAndContinueFalse_isTrueExceptOnASingleDisk() {
        Optional<ErrorCode> failed = Optional.of(ErrorCode.PRE_SCRIPT_FAILED);
        assertTrue(ResultPolicy.stopsBeforeSnapshot(failed, false, false));
        assertFalse(ResultPolicy.stopsBeforeSnapshot(failed, false, true));
        assertFalse(ResultPolicy.stopsBeforeSnapshot(failed, true, false));
        assertFalse(ResultPolicy.stopsBeforeSnapshot(NONE, false, false));
    }

    @Test
    void stopsBeforeSnapshot_whenPreFailsWithContinueTrue_isFalseBecauseTheSeedFallsBackWhateverTheFreeze() {
        assertFalse(ResultPolicy.stopsBeforeSnapshot(Optional.of(ErrorCode.PRE_SCRIPT_FAILED), true, false));
        assertFalse(ResultPolicy.stopsBeforeSnapshot(Optional.of(ErrorCode.PRE_SCRIPT_TIMEOUT), true, false));
    }

    @Test
    void decide_whenPreFailsWithFreezeDisabledAndContinueTrueOnMultiDisk_isACrashConsistentSnapshotWithCodeOne() {
        Facts facts = clean();
        facts.freeze = FreezeState.DISABLED_BY_CONFIG;
        facts.pre = Optional.of(ErrorCode.PRE_SCRIPT_FAILED);
        BackupVerdict verdict = facts.decide();
        assertEquals(StatusType.SUCCESS, verdict.status());
        assertEquals(ErrorCode.SUCCESS, verdict.code());
        assertEquals(Consistency.CRASH, verdict.consistency());
        assertEquals(ErrorCode.PRE_SCRIPT_FAILED, verdict.healthCode());
    }

    @Test
    void decide_whenPreScriptFailsWithContinueTrue_isFileSystemConsistentSuccessWithHealth300() {
        Facts facts = clean();
        facts.pre = Optional.of(ErrorCode.PRE_SCRIPT_FAILED);
        BackupVerdict verdict = facts.decide();
        assertEquals(ErrorCode.SUCCESS, verdict.code());
        assertEquals(Consistency.FILE_SYSTEM, verdict.consistency());
        assertEquals(ErrorCode.PRE_SCRIPT_FAILED, verdict.healthCode());
    }

    @Test
    void decide_whenPreScriptFailsWithContinueFalseOnMultiDisk_failsWith300() {
        Facts facts = clean();
        facts.pre = Optional.of(ErrorCode.PRE_SCRIPT_FAILED);
        facts.cont = false;
        facts.taken = false;
        facts.freeze = FreezeState.NOT_REACHED;
        assertEquals(ErrorCode.PRE_SCRIPT_FAILED, facts.decide().code());
        assertEquals(StatusType.ERROR, facts.decide().status());
    }

    @Test
    void decide_whenPreScriptFailsWithContinueFalseOnSingleDisk_fallsBackToASuccessfulSnapshot() {
        Facts facts = clean();
        facts.pre = Optional.of(ErrorCode.PRE_SCRIPT_TIMEOUT);
        facts.cont = false;
        facts.singleDisk = true;
        BackupVerdict verdict = facts.decide();
        assertEquals(StatusType.SUCCESS, verdict.status());
        assertEquals(ErrorCode.SUCCESS, verdict.code());
        assertEquals(ErrorCode.PRE_SCRIPT_TIMEOUT, verdict.healthCode());
    }

    @Test
    void decide_whenPostScriptFailsWithContinueFalse_failsWith301AlthoughTheSnapshotWasTaken() {
        Facts facts = clean();
        facts.post = Optional.of(ErrorCode.POST_SCRIPT_FAILED);
        facts.cont = false;
        BackupVerdict verdict = facts.decide();
        assertEquals(StatusType.ERROR, verdict.status());
        assertEquals(ErrorCode.POST_SCRIPT_FAILED, verdict.code());
    }

    @Test
    void decide_whenPostScriptFailsWithContinueTrue_isSuccessCodeOneWithTheTruthfulConsistency() {
        Facts facts = clean();
        facts.post = Optional.of(ErrorCode.POST_SCRIPT_FAILED);
        BackupVerdict verdict = facts.decide();
        assertEquals(ErrorCode.SUCCESS, verdict.code());
        assertEquals(Consistency.APPLICATION, verdict.consistency());
        assertEquals(ErrorCode.POST_SCRIPT_FAILED, verdict.healthCode());
    }

    @Test
    void decide_whenPreAndPostBothFailWithContinueFalse_reportsThePreScriptError() {
        Facts facts = clean();
        facts.pre = Optional.of(ErrorCode.PRE_SCRIPT_FAILED);
        facts.post = Optional.of(ErrorCode.POST_SCRIPT_FAILED);
        facts.cont = false;
        facts.taken = false;
        assertEquals(ErrorCode.PRE_SCRIPT_FAILED, facts.decide().code());
    }

    @Test
    void decide_whenFreezeIsDisabledByConfigAndScriptsSucceed_isApplicationConsistent() {
        Facts facts = clean();
        facts.freeze = FreezeState.DISABLED_BY_CONFIG;
        assertEquals(ErrorCode.SUCCESS_APP_CONSISTENT, facts.decide().code());
    }

    @Test
    void decide_whenFreezeIsDisabledAndPermissionCheckFailed_isCrashConsistentSuccess() {
        Facts facts = clean();
        facts.freeze = FreezeState.DISABLED_BY_CONFIG;
        facts.precheck = Optional.of(ErrorCode.PRE_SCRIPT_PERMISSION);
        BackupVerdict verdict = facts.decide();
        assertEquals(ErrorCode.SUCCESS, verdict.code());
        assertEquals(Consistency.CRASH, verdict.consistency());
        assertEquals(ErrorCode.PRE_SCRIPT_PERMISSION, verdict.healthCode());
    }

    @Test
    void decide_whenFreezeFailsAndNoSnapshotWasTaken_failsWithTheFreezeCode() {
        Facts facts = clean();
        facts.freeze = FreezeState.FAILED;
        facts.freezeError = Optional.of(ErrorCode.FS_FREEZE_FAILED);
        facts.taken = false;
        BackupVerdict verdict = facts.decide();
        assertEquals(StatusType.ERROR, verdict.status());
        assertEquals(ErrorCode.FS_FREEZE_FAILED, verdict.code());
    }

    @Test
    void decide_whenFreezeFailsButACrashConsistentSnapshotWasAllowed_isCrashConsistentSuccess() {
        Facts facts = clean();
        facts.freeze = FreezeState.FAILED;
        facts.freezeError = Optional.of(ErrorCode.FS_FREEZE_TIMEOUT);
        BackupVerdict verdict = facts.decide();
        assertEquals(ErrorCode.SUCCESS, verdict.code());
        assertEquals(Consistency.CRASH, verdict.consistency());
    }

    @Test
    void decide_whenAllSnapshotsFail_isAnErrorNotUpstreamsSuccess() {
        Facts facts = clean();
        facts.taken = false;
        facts.allFailed = true;
        facts.snapshotError = Optional.of(ErrorCode.SNAPSHOT_LIMIT_REACHED);
        BackupVerdict verdict = facts.decide();
        assertEquals(StatusType.ERROR, verdict.status());
        assertEquals(ErrorCode.SNAPSHOT_LIMIT_REACHED, verdict.code());
        assertEquals(Consistency.NONE, verdict.consistency());
    }

    @Test
    void decide_whenSomeSnapshotsFail_isError76WithHealth761() {
        Facts facts = clean();
        facts.snapshotError = Optional.of(ErrorCode.SNAPSHOT_FAILED_NO_NETWORK);
        BackupVerdict verdict = facts.decide();
        assertEquals(StatusType.ERROR, verdict.status());
        assertEquals(ErrorCode.SNAPSHOT_FAILED_NO_NETWORK, verdict.code());
        assertEquals(ErrorCode.SNAPSHOT_FAILED_RESTRICTED_NETWORK, verdict.healthCode());
    }

    @Test
    void decide_whenNothingWasEligibleToFreeze_countsAsFrozenAsUpstreamDoes() {
        Facts facts = clean();
        facts.freeze = FreezeState.NOTHING_TO_FREEZE;
        assertEquals(Consistency.APPLICATION, facts.decide().consistency());
    }
    @Test
    void decide_whenThePluginhostIsCorruptAndContinueIsFalse_stillFallsBackBecauseNoScriptIsConfiguredToFail() {
        Facts facts = clean();
        facts.precheck = Optional.of(ErrorCode.PLUGINHOST_CORRUPT);
        facts.cont = false;
        BackupVerdict verdict = facts.decide();
        assertEquals(StatusType.SUCCESS, verdict.status());
        assertEquals(ErrorCode.SUCCESS, verdict.code());
        assertEquals(Consistency.FILE_SYSTEM, verdict.consistency());
        assertEquals(ErrorCode.PLUGINHOST_CORRUPT, verdict.healthCode());
    }

    @Test
    void decide_whenAScriptPermissionFailsWithContinueFalseOnMultiDisk_fallsBackAsTheSeedSays() {
        Facts facts = clean();
        facts.precheck = Optional.of(ErrorCode.PRE_SCRIPT_PERMISSION);
        facts.cont = false;
        BackupVerdict verdict = facts.decide();
        assertEquals(StatusType.SUCCESS, verdict.status());
        assertEquals(Consistency.FILE_SYSTEM, verdict.consistency());
        assertEquals(ErrorCode.PRE_SCRIPT_PERMISSION, verdict.healthCode());
    }

    @Test
    void decide_whenPostFailsWithFreezeDisabledAndContinueTrue_keepsTheSnapshotWithCodeOneAndHealth301() {
        Facts facts = clean();
        facts.freeze = FreezeState.DISABLED_BY_CONFIG;
        facts.post = Optional.of(ErrorCode.POST_SCRIPT_FAILED);
        BackupVerdict verdict = facts.decide();
        assertEquals(StatusType.SUCCESS, verdict.status());
        assertEquals(ErrorCode.SUCCESS, verdict.code());
        assertEquals(ErrorCode.POST_SCRIPT_FAILED, verdict.healthCode());
    }

    @Test
    void decide_whenPostFailsWithContinueFalseOnSingleDisk_keepsTheSnapshotAsSuccess() {
        Facts facts = clean();
        facts.post = Optional.of(ErrorCode.POST_SCRIPT_TIMEOUT);
        facts.cont = false;
        facts.singleDisk = true;
        BackupVerdict verdict = facts.decide();
        assertEquals(StatusType.SUCCESS, verdict.status());
        assertEquals(ErrorCode.POST_SCRIPT_TIMEOUT, verdict.healthCode());
    }

    @Test
    void decide_whenPreTimesOutWithContinueTrue_isSuccessWithHealth308() {
        Facts facts = clean();
        facts.pre = Optional.of(ErrorCode.PRE_SCRIPT_TIMEOUT);
        BackupVerdict verdict = facts.decide();
        assertEquals(ErrorCode.SUCCESS, verdict.code());
        assertEquals(Consistency.FILE_SYSTEM, verdict.consistency());
        assertEquals(ErrorCode.PRE_SCRIPT_TIMEOUT, verdict.healthCode());
    }

    @Test
    void decide_whenPreAndPostFailWithContinueTrue_healthNamesThePreError() {
        Facts facts = clean();
        facts.pre = Optional.of(ErrorCode.PRE_SCRIPT_FAILED);
        facts.post = Optional.of(ErrorCode.POST_SCRIPT_FAILED);
        assertEquals(ErrorCode.PRE_SCRIPT_FAILED, facts.decide().healthCode());
    }

    @Test
    void decide_whenTheFreezeFailsButACrashSnapshotWasTaken_healthNamesTheFreezeError() {
        Facts facts = clean();
        facts.freeze = FreezeState.FAILED;
        facts.freezeError = Optional.of(ErrorCode.FS_FREEZE_TIMEOUT);
        assertEquals(ErrorCode.FS_FREEZE_TIMEOUT, facts.decide().healthCode());
    }

    @Test
    void decide_whenAScriptErrorAndAFreezeErrorBothHappen_theScriptErrorComesFirst() {
        Facts facts = clean();
        facts.pre = Optional.of(ErrorCode.PRE_SCRIPT_FAILED);
        facts.cont = false;
        facts.freeze = FreezeState.FAILED;
        facts.freezeError = Optional.of(ErrorCode.FS_FREEZE_FAILED);
        facts.taken = false;
        BackupVerdict verdict = facts.decide();
        assertEquals(ErrorCode.PRE_SCRIPT_FAILED, verdict.code());
        assertEquals(ErrorCode.PRE_SCRIPT_FAILED, verdict.healthCode());
    }

    @Test
    void decide_whenNothingWasSnapshottedWithoutAnError_isError76() {
        Facts facts = clean();
        facts.taken = false;
        facts.allFailed = true;
        BackupVerdict verdict = facts.decide();
        assertEquals(StatusType.ERROR, verdict.status());
        assertEquals(ErrorCode.SNAPSHOT_FAILED_NO_NETWORK, verdict.code());
    }

    @Test
    void stopsBeforeSnapshot_whenPreFailsWithContinueFalseOnASingleDisk_isFalse() {
        assertFalse(ResultPolicy.stopsBeforeSnapshot(Optional.of(ErrorCode.PRE_SCRIPT_FAILED), false, true));
        assertFalse(ResultPolicy.stopsBeforeSnapshot(Optional.of(ErrorCode.PRE_SCRIPT_FAILED), true, true));
    }


    @Test
    void decide_whenTooLateBeforeTheFreeze_failsWith402AfterSuccessfulScripts() {
        Facts facts = clean();
        facts.freeze = FreezeState.TOO_LATE;
        facts.freezeError = Optional.of(ErrorCode.COMMAND_TOO_LATE);
        facts.taken = false;
        facts.allFailed = true;
        BackupVerdict verdict = facts.decide();
        assertEquals(StatusType.ERROR, verdict.status());
        assertEquals(ErrorCode.COMMAND_TOO_LATE, verdict.code());
        assertEquals(Consistency.NONE, verdict.consistency());
        assertEquals(ErrorCode.COMMAND_TOO_LATE, verdict.healthCode());
    }

    @Test
    void decide_whenTooLateBeforeTheFreezeAfterAPostScriptFailedWithContinueFalse_stillReports402() {
        Facts facts = clean();
        facts.freeze = FreezeState.TOO_LATE;
        facts.freezeError = Optional.of(ErrorCode.COMMAND_TOO_LATE);
        facts.post = Optional.of(ErrorCode.POST_SCRIPT_FAILED);
        facts.cont = false;
        facts.taken = false;
        facts.allFailed = true;
        BackupVerdict verdict = facts.decide();
        assertEquals(ErrorCode.COMMAND_TOO_LATE, verdict.code(), "no snapshot was even tried: the script is not why");
        assertEquals(ErrorCode.POST_SCRIPT_FAILED, verdict.healthCode());
    }
}
