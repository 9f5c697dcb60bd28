package io.vmsnapshot.e2e.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;

/**
 * Encrypts the protected settings text the way CRP does (contract §4): CMS EnvelopedData to the
 * tenant certificate, RSA PKCS#1 v1.5 key transport, DER, then base64. Two engines, so the handler
 * is tested against more than one producer: BouncyCastle in process, or the {@code openssl cms}
 * command line.
 */
public final class ProtectedSettingsEncryptor {
    public enum Engine { BOUNCY_CASTLE, OPENSSL }

    private final Engine engine;
    private final ProtectedSettingsCipher cipher;
    private final Path workDir;

    /** @param workDir where the openssl engine may write its temporary input files */
    public ProtectedSettingsEncryptor(Engine engine, ProtectedSettingsCipher cipher, Path workDir) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.cipher = Objects.requireNonNull(cipher, "cipher");
        this.workDir = Objects.requireNonNull(workDir, "workDir");
    }

    /** @return the base64 text of the DER EnvelopedData, as it appears in {@code protectedSettings} */
    public String encrypt(String plainText, TenantCertificate recipient) throws IOException {
        byte[] plain = plainText.getBytes(StandardCharsets.UTF_8);
        byte[] der = engine == Engine.OPENSSL ? withOpenssl(plain, recipient) : withBouncyCastle(plain, recipient);
        return Base64.getEncoder().encodeToString(der);
    }

    private byte[] withBouncyCastle(byte[] plain, TenantCertificate recipient) {
        try {
            CMSEnvelopedDataGenerator generator = new CMSEnvelopedDataGenerator();
            generator.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(recipient.certificate()));
            return generator.generate(new CMSProcessableByteArray(plain),
                    new JceCMSContentEncryptorBuilder(cipher.oid()).build()).getEncoded();
        } catch (CertificateEncodingException | CMSException | IOException e) {
            throw new IllegalStateException("cannot encrypt the protected settings", e);
        }
    }

    private byte[] withOpenssl(byte[] plain, TenantCertificate recipient) throws IOException {
        Path input = Files.createTempFile(workDir, "protected", ".json");
        Path certificate = Files.createTempFile(workDir, "recipient", ".pem");
        Path output = Files.createTempFile(workDir, "protected", ".der");
        try {
            Files.write(input, plain);
            Files.writeString(certificate, recipient.certificatePem(), StandardCharsets.US_ASCII);
            List<String> command = List.of("openssl", "cms", "-encrypt", "-binary", "-outform", "DER",
                    cipher.opensslOption(), "-in", input.toString(), "-out", output.toString(), certificate.toString());
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String messages = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("openssl cms -encrypt failed: " + messages);
            }
            return Files.readAllBytes(output);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running openssl", e);
        } finally {
            Files.deleteIfExists(input);
            Files.deleteIfExists(certificate);
            Files.deleteIfExists(output);
        }
    }
}
