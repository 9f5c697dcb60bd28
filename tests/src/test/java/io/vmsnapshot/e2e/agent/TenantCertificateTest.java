package io.vmsnapshot.e2e.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TenantCertificateTest {
    @TempDir
    Path libDir;

    @Test
    void writeTo_laysOutThumbprintNamedFilesWithOpensslsPreamble_thatAPemParserReads() throws Exception {
        TenantCertificate certificate = TenantCertificate.generate("layout");
        certificate.writeTo(libDir);

        String thumbprint = certificate.thumbprint();
        assertTrue(thumbprint.matches("[0-9A-F]{40}"), thumbprint);
        assertEquals(HexFormat.of().withUpperCase().formatHex(
                MessageDigest.getInstance("SHA-1").digest(certificate.certificate().getEncoded())), thumbprint);
        String crt = Files.readString(libDir.resolve(thumbprint + ".crt"));
        String prv = Files.readString(libDir.resolve(thumbprint + ".prv"));
        assertTrue(crt.startsWith("Bag Attributes\n    localKeyID: ") && crt.contains("\nsubject=CN = layout\n"), crt);
        assertTrue(prv.startsWith("Bag Attributes\n") && prv.contains("Key Attributes: <No Attributes>\n-----BEGIN PRIVATE KEY-----"), prv);

        try (Reader reader = Files.newBufferedReader(libDir.resolve(thumbprint + ".crt"), StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            assertTrue(parser.readObject() instanceof X509CertificateHolder);
        }
        try (Reader reader = Files.newBufferedReader(libDir.resolve(thumbprint + ".prv"), StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            assertTrue(parser.readObject() instanceof PrivateKeyInfo);
        }
    }
}
