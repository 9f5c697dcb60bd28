package io.vmsnapshot.freeze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class ExecDenialTest {
    @Test
    void aDeniedExecNamesFapolicydSelinuxAndNoexec() {
        for (String message : new String[] {"Cannot run program \"/x\": error=13, Permission denied",
                "Cannot run program \"/x\": error=1, Operation not permitted"}) {
            String clause = ExecDenial.explain(new IOException(message));

            assertTrue(clause.contains("fapolicyd") && clause.contains("SELinux") && clause.contains("noexec"), clause);
            assertTrue(clause.contains("bin/handle.sh check"), clause);
        }
    }

    @Test
    void anotherStartFailureAddsNothing() {
        assertEquals("", ExecDenial.explain(new IOException("error=8, Exec format error")));
        assertEquals("", ExecDenial.explain(new IOException((String) null)));
    }
}
