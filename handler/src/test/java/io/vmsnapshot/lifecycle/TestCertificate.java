package io.vmsnapshot.lifecycle;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A throwaway tenant certificate, as the agent leaves it in its lib dir ({@code <THUMB>.crt/.prv}
 * with openssl's preamble), and CMS encryption to it, as CRP does for protected settings.
 */
final class TestCertificate {
    static final String THUMBPRINT = "0123456789ABCDEF0123456789ABCDEF01234567";
    /** Generated once per JVM: RSA key generation is the slow part; the value is immutable. */
    private static final TestCertificate INSTANCE = create();

    private final KeyPair keys;
    private final X509Certificate certificate;

    private TestCertificate(KeyPair keys, X509Certificate certificate) {
        this.keys = keys;
        this.certificate = certificate;
    }

    static TestCertificate get() {
        return INSTANCE;
    }

    private static TestCertificate create() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair keys = generator.generateKeyPair();
            X500Name name = new X500Name("CN=Windows Azure CRP Certificate Generator");
            Date now = new Date();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(7), now,
                    new Date(now.getTime() + 86_400_000L), name, keys.getPublic());
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
            return new TestCertificate(keys, certificate);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code <THUMBPRINT>.crt} and {@code .prv} into the agent's lib dir. */
    void install(Path agentDir) {
        try {
            StringWriter crt = new StringWriter();
            try (JcaPEMWriter pem = new JcaPEMWriter(crt)) {
                pem.writeObject(certificate);
            }
            StringWriter prv = new StringWriter();
            try (JcaPEMWriter pem = new JcaPEMWriter(prv)) {
                pem.writeObject(new PemObject("PRIVATE KEY", keys.getPrivate().getEncoded()));
            }
            Files.createDirectories(agentDir);
            Files.writeString(agentDir.resolve(THUMBPRINT + ".crt"), "Bag Attributes\n    localKeyID: 01 \n"
                    + "subject=/CN=Windows Azure CRP Certificate Generator\n" + crt, StandardCharsets.US_ASCII);
            Files.writeString(agentDir.resolve(THUMBPRINT + ".prv"), "Bag Attributes\n    localKeyID: 01 \n"
                    + "Key Attributes: <No Attributes>\n" + prv, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Base64 of the DER CMS EnvelopedData of {@code text}, AES-256-CBC, RSA key transport. */
    String encrypt(String text) {
        try {
            CMSEnvelopedDataGenerator generator = new CMSEnvelopedDataGenerator();
            generator.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(certificate));
            byte[] der = generator.generate(new CMSProcessableByteArray(text.getBytes(StandardCharsets.UTF_8)),
                    new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC).build()).getEncoded();
            return Base64.getEncoder().encodeToString(der);
        } catch (GeneralSecurityException | CMSException | IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
