package io.vmsnapshot.settings;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway tenant certificate: what CRP encrypts protected settings to and what the agent
 * drops into its lib dir as {@code <THUMBPRINT>.crt/.prv}.
 */
final class TestCertificate {
    private static final Provider BC = new BouncyCastleProvider();

    final X509Certificate certificate;
    final PrivateKey privateKey;
    /** Upper-case hex SHA-1 of the DER certificate, as the agent names the files. */
    final String thumbprint;

    private TestCertificate(X509Certificate certificate, PrivateKey privateKey) throws Exception {
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.thumbprint = HexFormat.of().withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded()));
    }

    static TestCertificate generate(String commonName) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair keys = generator.generateKeyPair();
            X500Name name = new X500Name("CN=" + commonName);
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic());
            X509Certificate certificate = new JcaX509CertificateConverter().setProvider(BC).getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withRSA").setProvider(BC).build(keys.getPrivate())));
            return new TestCertificate(certificate, keys.getPrivate());
        } catch (Exception e) {
            throw new IllegalStateException("cannot generate a test certificate", e);
        }
    }

    /** Writes both files with the openssl preamble the agent's files start with (docs/agent-contract.md §4). */
    void writeAgentFiles(Path dir) throws Exception {
        String subject = "subject=" + certificate.getSubjectX500Principal().getName();
        Files.writeString(dir.resolve(thumbprint + ".crt"), "Bag Attributes\n    localKeyID: 01 00 00 00 \n"
                + subject + "\nissuer=" + certificate.getIssuerX500Principal().getName() + "\n"
                + pem("CERTIFICATE", certificate.getEncoded()), StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve(thumbprint + ".prv"), "Bag Attributes\n    localKeyID: 01 00 00 00 \n"
                + "Key Attributes: <No Attributes>\n" + pem("PRIVATE KEY", privateKey.getEncoded()),
                StandardCharsets.US_ASCII);
    }

    /** CRP's side: base64 of DER CMS EnvelopedData with RSA key transport. */
    String encrypt(String plaintext, ASN1ObjectIdentifier contentCipher) throws Exception {
        CMSEnvelopedDataGenerator generator = new CMSEnvelopedDataGenerator();
        generator.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(certificate).setProvider(BC));
        byte[] der = generator.generate(new CMSProcessableByteArray(plaintext.getBytes(StandardCharsets.UTF_8)),
                new JceCMSContentEncryptorBuilder(contentCipher).setProvider(BC).build()).getEncoded();
        return Base64.getEncoder().encodeToString(der);
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** Runs openssl in {@code dir}; fails with its output if it fails. */
    static String openssl(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Path output = dir.resolve("openssl.out");
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("openssl timed out: " + command);
        }
        String text = Files.readString(output, StandardCharsets.ISO_8859_1);
        if (process.exitValue() != 0) {
            throw new IOException("openssl failed: " + command + "\n" + text);
        }
        return text;
    }

    static boolean opensslAvailable() {
        try {
            return new ProcessBuilder("openssl", "version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
