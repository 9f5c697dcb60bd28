package io.vmsnapshot.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.cms.CMSAlgorithm;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProtectedSettingsDecryptorTest {
    private static final TestCertificate TENANT = TestCertificate.generate("tenant");
    private static final TestCertificate OTHER = TestCertificate.generate("other");
    private static final String PLAINTEXT = "{\"logsBlobUri\":\"https://a.blob/logs?sig=TOPSECRET\",\"x\":\"冻结\"}";

    @TempDir
    Path libDir;

    @Test
    void decrypt_desEde3Cbc_returnsThePlaintext() throws Exception {
        TENANT.writeAgentFiles(libDir);

        String plain = decryptor().decrypt(TENANT.encrypt(PLAINTEXT, CMSAlgorithm.DES_EDE3_CBC), TENANT.thumbprint);

        assertEquals(PLAINTEXT, plain);
    }

    @Test
    void decrypt_aes256Cbc_returnsThePlaintext() throws Exception {
        TENANT.writeAgentFiles(libDir);

        String plain = decryptor().decrypt(TENANT.encrypt(PLAINTEXT, CMSAlgorithm.AES256_CBC), TENANT.thumbprint);

        assertEquals(PLAINTEXT, plain);
    }

    @Test
    void decrypt_lowerCaseThumbprint_findsTheAgentsUpperCaseFiles() throws Exception {
        TENANT.writeAgentFiles(libDir);

        String plain = decryptor().decrypt(TENANT.encrypt(PLAINTEXT, CMSAlgorithm.AES256_CBC),
                TENANT.thumbprint.toLowerCase(Locale.ROOT));

        assertEquals(PLAINTEXT, plain);
    }

    @Test
    void decrypt_base64WithLineBreaks_isAccepted() throws Exception {
        TENANT.writeAgentFiles(libDir);
        String wrapped = TENANT.encrypt(PLAINTEXT, CMSAlgorithm.DES_EDE3_CBC).replaceAll("(.{76})", "$1\n");

        assertEquals(PLAINTEXT, decryptor().decrypt(wrapped, TENANT.thumbprint));
    }

    /**
     * Not only compatible with ourselves: the files come from openssl exactly as the agent makes
     * them (pkcs12 -nodes output split at each END line) and openssl encrypts, as CRP's stand-in.
     */
    @ParameterizedTest
    @ValueSource(strings = {"-des3", "-aes256"})
    void decrypt_opensslEncryptedWithAgentMadeFiles_returnsThePlaintext(String cipher) throws Exception {
        Assumptions.assumeTrue(TestCertificate.opensslAvailable(), "openssl is not installed; cannot cross-check");
        Path work = Files.createDirectory(libDir.resolve("work"));
        TestCertificate.openssl(work, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem",
                "-out", "cert.pem", "-days", "1", "-subj", "/CN=agent-tenant");
        TestCertificate.openssl(work, "pkcs12", "-export", "-in", "cert.pem", "-inkey", "key.pem",
                "-out", "tenant.pfx", "-passout", "pass:");
        String pems = TestCertificate.openssl(work, "pkcs12", "-nodes", "-password", "pass:", "-in", "tenant.pfx");
        String thumbprint = opensslThumbprint(TestCertificate.openssl(work, "x509", "-fingerprint", "-sha1",
                "-noout", "-in", "cert.pem"));
        writeAgentSplit(pems, thumbprint);
        Files.writeString(work.resolve("plain.json"), PLAINTEXT, StandardCharsets.UTF_8);
        TestCertificate.openssl(work, "cms", "-encrypt", "-in", "plain.json", "-outform", "DER",
                "-out", "protected.der", cipher, "cert.pem");
        String base64 = Base64.getEncoder().encodeToString(Files.readAllBytes(work.resolve("protected.der")));

        assertTrue(Files.readString(libDir.resolve(thumbprint + ".prv")).startsWith("Bag Attributes"));
        assertEquals(PLAINTEXT, decryptor().decrypt(base64, thumbprint));
    }

    @Test
    void decrypt_notBase64_failsWithoutEchoingTheInput() throws Exception {
        TENANT.writeAgentFiles(libDir);

        HandlerException e = assertThrows(HandlerException.class,
                () -> decryptor().decrypt("%%% sig=TOPSECRET %%%", TENANT.thumbprint));

        assertEquals(ErrorCode.PROTECTED_SETTINGS_DECRYPT_FAILED, e.errorCode());
        assertTrue(e.detail().contains("not base64"), e.detail());
        assertFalse(e.detail().contains("TOPSECRET"));
    }

    @Test
    void decrypt_base64OfGarbage_saysItIsNoEnvelopedData() throws Exception {
        TENANT.writeAgentFiles(libDir);
        String garbage = Base64.getEncoder().encodeToString("not a CMS structure at all".getBytes(StandardCharsets.UTF_8));

        HandlerException e = assertThrows(HandlerException.class, () -> decryptor().decrypt(garbage, TENANT.thumbprint));

        assertEquals(ErrorCode.PROTECTED_SETTINGS_DECRYPT_FAILED, e.errorCode());
        assertTrue(e.detail().contains("EnvelopedData"), e.detail());
    }

    @Test
    void decrypt_encryptedToAnotherCertificate_saysSo() throws Exception {
        TENANT.writeAgentFiles(libDir);

        HandlerException e = assertThrows(HandlerException.class,
                () -> decryptor().decrypt(OTHER.encrypt(PLAINTEXT, CMSAlgorithm.AES256_CBC), TENANT.thumbprint));

        assertEquals(ErrorCode.PROTECTED_SETTINGS_DECRYPT_FAILED, e.errorCode());
        assertTrue(e.detail().contains("another certificate"), e.detail());
    }

    @Test
    void decrypt_keyFileOfAnotherKey_failsToDecryptWithoutLeakingAnything() throws Exception {
        TENANT.writeAgentFiles(libDir);
        Files.writeString(libDir.resolve(TENANT.thumbprint + ".prv"),
                TestCertificate.pem("PRIVATE KEY", OTHER.privateKey.getEncoded()));

        HandlerException e = assertThrows(HandlerException.class,
                () -> decryptor().decrypt(TENANT.encrypt(PLAINTEXT, CMSAlgorithm.DES_EDE3_CBC), TENANT.thumbprint));

        assertEquals(ErrorCode.PROTECTED_SETTINGS_DECRYPT_FAILED, e.errorCode());
        assertFalse(e.detail().contains("TOPSECRET"));
    }

    @Test
    void decrypt_keyFileMissing_isCertificateNotFoundNamingThePath() throws Exception {
        TENANT.writeAgentFiles(libDir);
        Path key = libDir.resolve(TENANT.thumbprint + ".prv");
        Files.delete(key);

        HandlerException e = assertThrows(HandlerException.class,
                () -> decryptor().decrypt(TENANT.encrypt(PLAINTEXT, CMSAlgorithm.AES256_CBC), TENANT.thumbprint));

        assertEquals(ErrorCode.CERTIFICATE_NOT_FOUND, e.errorCode());
        assertTrue(e.detail().contains(key.toString()), e.detail());
    }

    @Test
    void decrypt_certificateFileMissing_isCertificateNotFoundNamingThePath() throws Exception {
        Path certificate = libDir.resolve(TENANT.thumbprint + ".crt");

        HandlerException e = assertThrows(HandlerException.class,
                () -> decryptor().decrypt(TENANT.encrypt(PLAINTEXT, CMSAlgorithm.AES256_CBC), TENANT.thumbprint));

        assertEquals(ErrorCode.CERTIFICATE_NOT_FOUND, e.errorCode());
        assertTrue(e.detail().contains(certificate.toString()), e.detail());
    }

    @Test
    void decrypt_certificateFileWithoutCertificate_isCertificateNotFound() throws Exception {
        TENANT.writeAgentFiles(libDir);
        Path certificate = libDir.resolve(TENANT.thumbprint + ".crt");
        Files.writeString(certificate, "Bag Attributes\n    localKeyID: 01 00 00 00\nno PEM here\n");

        HandlerException e = assertThrows(HandlerException.class,
                () -> decryptor().decrypt(TENANT.encrypt(PLAINTEXT, CMSAlgorithm.AES256_CBC), TENANT.thumbprint));

        assertEquals(ErrorCode.CERTIFICATE_NOT_FOUND, e.errorCode());
        assertTrue(e.detail().contains(certificate.toString()) && e.detail().contains("no PEM certificate"), e.detail());
    }

    @Test
    void decrypt_certificateFileWithCorruptPem_isCertificateNotFound() throws Exception {
        TENANT.writeAgentFiles(libDir);
        Path certificate = libDir.resolve(TENANT.thumbprint + ".crt");
        Files.writeString(certificate, "-----BEGIN CERTIFICATE-----\nAAAA!!!!\n-----END CERTIFICATE-----\n");

        HandlerException e = assertThrows(HandlerException.class,
                () -> decryptor().decrypt(TENANT.encrypt(PLAINTEXT, CMSAlgorithm.AES256_CBC), TENANT.thumbprint));

        assertEquals(ErrorCode.CERTIFICATE_NOT_FOUND, e.errorCode());
        assertTrue(e.detail().contains(certificate.toString()), e.detail());
    }

    @Test
    void decrypt_thumbprintThatIsNoHex_isRejectedBeforeAnyFileIsOpened() throws Exception {
        HandlerException e = assertThrows(HandlerException.class,
                () -> decryptor().decrypt(TENANT.encrypt(PLAINTEXT, CMSAlgorithm.AES256_CBC), "../../etc/passwd"));

        assertEquals(ErrorCode.PROTECTED_SETTINGS_DECRYPT_FAILED, e.errorCode());
        assertTrue(e.detail().contains("40 hex digits"), e.detail());
    }

    private ProtectedSettingsDecryptor decryptor() {
        return new ProtectedSettingsDecryptor(libDir);
    }

    private static String opensslThumbprint(String fingerprintLine) {
        Matcher hex = Pattern.compile("=([0-9A-Fa-f:]+)").matcher(fingerprintLine);
        assertTrue(hex.find(), fingerprintLine);
        return hex.group(1).replace(":", "").toUpperCase(Locale.ROOT);
    }

    /** What the agent does with {@code pkcs12 -nodes} output: split after each END line. */
    private void writeAgentSplit(String pems, String thumbprint) throws Exception {
        StringBuilder chunk = new StringBuilder();
        for (String line : pems.split("\n", -1)) {
            chunk.append(line).append('\n');
            if (line.startsWith("-----END ")) {
                String suffix = line.contains("CERTIFICATE") ? ".crt" : ".prv";
                Files.writeString(libDir.resolve(thumbprint + suffix), chunk.toString(), StandardCharsets.ISO_8859_1);
                chunk.setLength(0);
            }
        }
    }
}
