package io.vmsnapshot.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class RedactorTest {
    private final Redactor redactor = new Redactor();

    @Test
    void redact_removesTheWholeQueryOfASasUrl() {
        String text = "put https://acct.blob.core.windows.net/vhds/os.vhd?sv=2021-08-06&sr=b&sig=AbC%2Bd%3D&se=2025 done";
        assertEquals("put https://acct.blob.core.windows.net/vhds/os.vhd?REDACTED done", redactor.redact(text));
    }

    @Test
    void redact_stopsAtQuotesSoJsonAroundTheUrlSurvives() {
        String text = "{\"statusBlobUri\":\"https://a.blob.core.windows.net/c/s?sv=1&sig=xyz\",\"taskId\":\"t\"}";
        assertEquals("{\"statusBlobUri\":\"https://a.blob.core.windows.net/c/s?REDACTED\",\"taskId\":\"t\"}",
                redactor.redact(text));
    }

    @Test
    void redact_masksABareSignatureCaseInsensitively() {
        assertEquals("query sv=1&SIG=REDACTED&se=2", redactor.redact("query sv=1&SIG=secretvalue&se=2"));
    }

    @Test
    void redact_leavesUrlsWithoutASignatureAlone() {
        String text = "GET http://127.0.0.1:8080/machine?comp=goalstate";
        assertEquals(text, redactor.redact(text));
    }

    @Test
    void redact_masksRegisteredSecretsAnywhere() {
        redactor.addSecret("task-token-123456");
        assertEquals("token=REDACTED, again REDACTED", redactor.redact("token=task-token-123456, again task-token-123456"));
    }

    @Test
    void addSecret_ignoresValuesTooShortToBeSecrets() {
        redactor.addSecret("1");
        redactor.addSecret(null);
        redactor.addSecret("");
        assertEquals("exit code 1", redactor.redact("exit code 1"));
    }

    @Test
    void redact_whenOneSecretContainsAnother_masksTheLongerOneWhole() {
        for (int i = 0; i < 20; i++) {
            Redactor fresh = new Redactor();
            String inner = "inner" + i + "secret";
            String outer = inner + "-and-its-tail-" + i;
            fresh.addSecret(inner);
            fresh.addSecret(outer);
            String redacted = fresh.redact("value " + outer);
            assertFalse(redacted.contains("tail"), redacted);
        }
    }
}
