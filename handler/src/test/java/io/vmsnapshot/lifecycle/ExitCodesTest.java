package io.vmsnapshot.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vmsnapshot.prepost.CheckVerdict;
import org.junit.jupiter.api.Test;

/** The one table of exit codes, including what the operator commands' verdicts exit with. */
class ExitCodesTest {
    @Test
    void of_applicationConsistentExits0() {
        assertEquals(0, ExitCodes.of(CheckVerdict.APP_CONSISTENT));
    }

    @Test
    void of_notConfiguredExits1() {
        assertEquals(1, ExitCodes.of(CheckVerdict.NOT_CONFIGURED));
    }

    @Test
    void of_problemsExit2AsOperatorsScriptsExpect() {
        assertEquals(2, ExitCodes.of(CheckVerdict.PROBLEMS));
    }

    @Test
    void worse_keepsTheWorstVerdict() {
        assertEquals(CheckVerdict.PROBLEMS, CheckVerdict.APP_CONSISTENT.worse(CheckVerdict.PROBLEMS));
        assertEquals(CheckVerdict.NOT_CONFIGURED, CheckVerdict.NOT_CONFIGURED.worse(CheckVerdict.APP_CONSISTENT));
    }
}
