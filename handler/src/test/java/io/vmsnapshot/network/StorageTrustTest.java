package io.vmsnapshot.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.testing.TestCa;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StorageTrustTest {
    private static final TestCa OS_CA = TestCa.create("OS Store CA");
    private static final TestCa BUNDLED_CA = TestCa.create("Bundled CA");

    @Test
    void nothingIsReadUntilTheFirstTlsCallAndThenOnlyOnce() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        StorageTrust trust = new StorageTrust(() -> {
            reads.incrementAndGet();
            return new CaStore.Contents(Optional.of(Path.of("/etc/ssl/certs/ca-certificates.crt")), List.of(OS_CA.root()), List.of());
        }, () -> List.of(BUNDLED_CA.root()));
        assertEquals(0, reads.get());

        trust.checkServerTrusted(new X509Certificate[] {OS_CA.root()}, "ECDHE_ECDSA");
        trust.checkServerTrusted(new X509Certificate[] {BUNDLED_CA.root()}, "ECDHE_ECDSA");

        assertEquals(1, reads.get());
        assertEquals("CA store /etc/ssl/certs/ca-certificates.crt (1 certificates) and 1 roots bundled with the runtime",
                trust.describe());
    }

    @Test
    void aRootOfNeitherIsRefusedWithWhatWasTrusted() {
        StorageTrust trust = new StorageTrust(() -> new CaStore.Contents(Optional.empty(), List.of(), List.of()),
                () -> List.of(BUNDLED_CA.root()));
        X509Certificate stranger = TestCa.create("Stranger CA").root();

        CertificateException e = assertThrows(CertificateException.class,
                () -> trust.checkServerTrusted(new X509Certificate[] {stranger}, "ECDHE_ECDSA"));

        assertTrue(e.getMessage().startsWith("the TLS certificate of the server (subject CN=Stranger CA, issuer CN=Stranger CA)"
                + " is not trusted: it chains to no trusted root. Trusted are the CA store none and 1 roots bundled"), e.getMessage());
    }
}
