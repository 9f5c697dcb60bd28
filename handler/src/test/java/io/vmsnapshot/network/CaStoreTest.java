package io.vmsnapshot.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.testing.TestCa;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaStoreTest {
    private static final TestCa FIRST = TestCa.create("First Test CA");
    private static final TestCa SECOND = TestCa.create("Second Test CA");

    @TempDir
    Path dir;

    private int uid() throws IOException {
        return (Integer) Files.getAttribute(dir, "unix:uid");
    }

    @Test
    void aPemBundleWithCommentsBetweenCertificatesIsReadWhole() throws IOException {
        Path bundle = Files.writeString(dir.resolve("tls-ca-bundle.pem"), "# First Test CA\n" + FIRST.rootPem()
                + "\n# Second Test CA\n" + SECOND.rootPem() + "\n");
        Files.setPosixFilePermissions(bundle, PosixFilePermissions.fromString("rw-r--r--"));

        CaStore.Contents contents = new CaStore(List.of(bundle), uid()).read();

        assertEquals(Optional.of(bundle), contents.path());
        assertEquals(List.of(FIRST.root(), SECOND.root()), contents.certificates());
        assertEquals(List.of(), contents.problems());
    }

    @Test
    void aJavaKeyStoreOfTrustedCertificatesIsReadToo() throws IOException, GeneralSecurityException {
        Path cacerts = dir.resolve("cacerts");
        KeyStore store = KeyStore.getInstance("JKS");
        store.load(null, null);
        store.setCertificateEntry("first", FIRST.root());
        try (OutputStream out = Files.newOutputStream(cacerts)) {
            store.store(out, "changeit".toCharArray());
        }
        Files.setPosixFilePermissions(cacerts, PosixFilePermissions.fromString("rw-r--r--"));

        CaStore.Contents contents = new CaStore(List.of(cacerts), uid()).read();

        assertEquals(List.of(FIRST.root()), contents.certificates());
    }

    @Test
    void theFirstCandidateHoldingCertificatesWinsAndTheOthersAreNotRead() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        Path first = FIRST.writeBundle(dir.resolve("first.pem"));
        Path second = SECOND.writeBundle(dir.resolve("second.pem"));

        CaStore.Contents contents = new CaStore(List.of(dir.resolve("absent.pem"), empty, first, second), uid()).read();

        assertEquals(Optional.of(first), contents.path());
        assertEquals(List.of(FIRST.root()), contents.certificates());
        assertEquals(List.of(empty + " holds no certificate"), contents.problems());
    }

    @Test
    void aBundleOthersMayWriteIsNotTrusted() throws IOException {
        Path writable = FIRST.writeBundle(dir.resolve("writable.pem"));
        Files.setPosixFilePermissions(writable, PosixFilePermissions.fromString("rw-rw-rw-"));

        CaStore.Contents contents = new CaStore(List.of(writable), uid()).read();

        assertTrue(contents.path().isEmpty());
        assertEquals(List.of(writable + " is not used: writable by group or others (mode 666)"), contents.problems());
    }

    @Test
    void theOverrideVariableNamesTheOneFileOrWithAnEmptyValueNone() throws IOException {
        Path bundle = FIRST.writeBundle(dir.resolve("override.pem"));

        assertEquals(Optional.of(bundle), CaStore.from(Map.of(CaStore.BUNDLE_VARIABLE, bundle.toString()), uid()).read().path());
        assertEquals(Optional.empty(), CaStore.from(Map.of(CaStore.BUNDLE_VARIABLE, ""), uid()).read().path());
    }

    @Test
    void aFileThatIsNeitherPemNorAKeyStoreIsNamedAsUnreadable() throws IOException {
        Path garbage = Files.writeString(dir.resolve("garbage"), "not a certificate store");
        Files.setPosixFilePermissions(garbage, PosixFilePermissions.fromString("rw-r--r--"));

        CaStore.Contents contents = new CaStore(List.of(garbage), uid()).read();

        assertTrue(contents.path().isEmpty());
        assertTrue(contents.problems().get(0).startsWith(garbage + " is unreadable"), contents.problems().toString());
    }
}
