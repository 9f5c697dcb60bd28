package io.vmsnapshot.e2e.agent;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObjectGenerator;

/**
 * The VM's tenant certificate as the agent leaves it in the lib dir (contract §4): a self-signed RSA
 * certificate, written as {@code <THUMBPRINT>.crt} and {@code <THUMBPRINT>.prv}, each starting with
 * the text preamble that {@code openssl pkcs12 -nodes} prints ("Bag Attributes", "localKeyID", ...).
 * The thumbprint is the upper-case hex SHA-1 of the DER certificate.
 */
public record TenantCertificate(X509Certificate certificate, PrivateKey privateKey) {

    public static TenantCertificate generate(String commonName) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair keys = generator.generateKeyPair();
            X500Name subject = new X500Name("CN=" + commonName);
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(365))), subject, keys.getPublic());
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
            return new TenantCertificate(certificate, keys.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot create a test certificate", e);
        }
    }

    public String thumbprint() {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded());
            return HexFormat.of().withUpperCase().formatHex(sha1);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path certificateFile(Path libDir) {
        return libDir.resolve(thumbprint() + ".crt");
    }

    public Path privateKeyFile(Path libDir) {
        return libDir.resolve(thumbprint() + ".prv");
    }

    /** Writes {@code <THUMBPRINT>.crt} and {@code .prv} into the lib dir, preamble included. */
    public void writeTo(Path libDir) throws IOException {
        String bagAttributes = "Bag Attributes\n    localKeyID: "
                + HexFormat.ofDelimiter(" ").withUpperCase().formatHex(thumbprintBytes()) + " \n";
        String subject = "CN = " + commonName();
        Files.writeString(certificateFile(libDir), bagAttributes + "subject=" + subject + "\nissuer=" + subject
                + "\n" + pem(certificate), StandardCharsets.US_ASCII);
        Files.writeString(privateKeyFile(libDir), bagAttributes + "Key Attributes: <No Attributes>\n"
                + pem(new JcaPKCS8Generator(privateKey, null)), StandardCharsets.US_ASCII);
    }

    /** The certificate alone, as PEM, for {@code openssl cms -encrypt}. */
    public String certificatePem() {
        return pem(certificate);
    }

    private String commonName() {
        return certificate.getSubjectX500Principal().getName().replaceFirst("^CN=", "");
    }

    private byte[] thumbprintBytes() {
        return HexFormat.of().parseHex(thumbprint());
    }

    private static String pem(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            if (object instanceof PemObjectGenerator generator) {
                writer.writeObject(generator);
            } else {
                writer.writeObject(object);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return text.toString();
    }
}
