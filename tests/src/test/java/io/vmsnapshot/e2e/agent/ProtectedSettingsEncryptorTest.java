package io.vmsnapshot.e2e.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Whatever engine and cipher encrypted it, the agent's files decrypt it with openssl, as upstream VMBackup does. */
class ProtectedSettingsEncryptorTest {
    private static final String SECRET = "{\"objectStr\":\"c2VjcmV0\",\"blobSASUri\":[\"https://127.0.0.1/x?sig=y\"]}";
    @TempDir
    static Path dir;
    private static TenantCertificate certificate;

    @BeforeAll
    static void writeCertificate() throws Exception {
        certificate = TenantCertificate.generate("encryptor-test");
        certificate.writeTo(dir);
    }

    @ParameterizedTest
    @EnumSource(ProtectedSettingsEncryptor.Engine.class)
    void encrypt_decryptsWithOpensslFromTheAgentsFiles_forEveryCipher(ProtectedSettingsEncryptor.Engine engine) throws Exception {
        for (ProtectedSettingsCipher cipher : ProtectedSettingsCipher.values()) {
            String encrypted = new ProtectedSettingsEncryptor(engine, cipher, dir).encrypt(SECRET, certificate);

            String expectedOid = cipher == ProtectedSettingsCipher.DES_EDE3_CBC ? "1.2.840.113549.3.7" : "2.16.840.1.101.3.4.1.42";
            assertEquals(expectedOid, new CMSEnvelopedData(Base64.getDecoder().decode(encrypted)).getEncryptionAlgOID());
            assertEquals(SECRET, opensslDecrypt(encrypted), engine + " " + cipher);
        }
    }

    private static String opensslDecrypt(String base64) throws Exception {
        Path der = Files.write(dir.resolve("settings.der"), Base64.getDecoder().decode(base64));
        Process openssl = new ProcessBuilder(List.of("openssl", "cms", "-decrypt", "-inform", "DER", "-in", der.toString(),
                "-recip", certificate.certificateFile(dir).toString(), "-inkey", certificate.privateKeyFile(dir).toString()))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String plain = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(openssl.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, openssl.exitValue());
        return plain;
    }
}
