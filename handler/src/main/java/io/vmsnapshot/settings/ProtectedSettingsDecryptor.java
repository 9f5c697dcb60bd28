package io.vmsnapshot.settings;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.KeyTransRecipientId;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Decrypts {@code protectedSettings} (docs/agent-contract.md §4): base64 of a DER CMS EnvelopedData,
 * RSA key transport, DES-EDE3-CBC or AES-256-CBC content, addressed to the certificate the
 * thumbprint names. The agent leaves {@code <THUMBPRINT>.crt} and {@code <THUMBPRINT>.prv} in its
 * lib dir, each behind openssl's "Bag Attributes" preamble, which {@link PEMParser} skips.
 *
 * <p>BouncyCastle parses the CMS and PEM structures; the cryptography itself (RSA, DES-EDE3, AES)
 * is the JDK's own SunJCE. Instantiating BouncyCastle's provider costs about half a second on a
 * cold, C1-only JVM — inside every enable — for algorithms the JDK already has.
 *
 * <p>The plaintext is only returned, never logged or put in a message.
 */
public final class ProtectedSettingsDecryptor {
    private static final Pattern THUMBPRINT = Pattern.compile("[0-9A-Fa-f]{40}");

    private final Path certificateDir;

    public ProtectedSettingsDecryptor(Path certificateDir) {
        this.certificateDir = Objects.requireNonNull(certificateDir, "certificateDir");
    }

    /** @return the decrypted text, normally the JSON of the protected settings */
    public String decrypt(String base64, String thumbprint) throws HandlerException {
        Objects.requireNonNull(base64, "base64");
        Objects.requireNonNull(thumbprint, "thumbprint");
        if (!THUMBPRINT.matcher(thumbprint.strip()).matches()) {
            throw failed("protectedSettingsCertThumbprint is not 40 hex digits: '" + thumbprint + "'");
        }
        String name = thumbprint.strip().toUpperCase(Locale.ROOT);
        CMSEnvelopedData envelope = envelope(base64);
        Path certificateFile = certificateDir.resolve(name + ".crt");
        Path keyFile = certificateDir.resolve(name + ".prv");
        X509CertificateHolder certificate = readCertificate(certificateFile);
        PrivateKey key = readKey(keyFile);
        RecipientInformation recipient = envelope.getRecipientInfos().get(recipientId(certificate));
        if (recipient == null) {
            throw failed("protectedSettings is encrypted to another certificate than " + certificateFile
                    + " (" + envelope.getRecipientInfos().size() + " recipients, none matches its issuer and serial"
                    + " number or key identifier)");
        }
        byte[] plain;
        try {
            plain = recipient.getContent(new JceKeyTransEnvelopedRecipient(key));
        } catch (CMSException e) {
            throw new HandlerException(ErrorCode.PROTECTED_SETTINGS_DECRYPT_FAILED,
                    "protectedSettings cannot be decrypted with key " + keyFile + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // A key that does not belong to the certificate unwraps garbage; now and then the garbage
            // has valid padding and the cipher then refuses its length (BouncyCastle's DataLengthException).
            throw new HandlerException(ErrorCode.PROTECTED_SETTINGS_DECRYPT_FAILED,
                    "protectedSettings cannot be decrypted with key " + keyFile + " (" + e.getClass().getSimpleName()
                            + "): is it the key of " + certificateFile + "?", e);
        }
        return utf8(plain);
    }

    private static CMSEnvelopedData envelope(String base64) throws HandlerException {
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw failed("protectedSettings is not base64");
        }
        if (der.length == 0) {
            throw failed("protectedSettings is empty");
        }
        try {
            return new CMSEnvelopedData(der);
        } catch (CMSException | RuntimeException e) {
            // Parser messages may quote input bytes: only say what it is not.
            throw failed("protectedSettings is not a DER CMS EnvelopedData structure");
        }
    }

    private static KeyTransRecipientId recipientId(X509CertificateHolder certificate) {
        SubjectKeyIdentifier keyId = certificate.getExtensions() == null
                ? null : SubjectKeyIdentifier.fromExtensions(certificate.getExtensions());
        // Issuer and serial number, and the key identifier if the certificate has one: CRP and
        // openssl address recipients either way.
        return new KeyTransRecipientId(certificate.getIssuer(), certificate.getSerialNumber(),
                keyId == null ? null : keyId.getKeyIdentifier());
    }

    private static X509CertificateHolder readCertificate(Path file) throws HandlerException {
        requireFile(file, "certificate");
        try (PEMParser pem = new PEMParser(reader(file))) {
            for (Object item = pem.readObject(); item != null; item = pem.readObject()) {
                if (item instanceof X509CertificateHolder certificate) {
                    return certificate;
                }
            }
        } catch (IOException | RuntimeException e) {
            throw notFound("certificate file " + file + " cannot be read: " + e.getMessage(), e);
        }
        throw notFound("certificate file " + file + " holds no PEM certificate", null);
    }

    private static PrivateKey readKey(Path file) throws HandlerException {
        requireFile(file, "private key");
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (PEMParser pem = new PEMParser(reader(file))) {
            for (Object item = pem.readObject(); item != null; item = pem.readObject()) {
                if (item instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (item instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
                if (item instanceof PKCS8EncryptedPrivateKeyInfo || item instanceof PEMEncryptedKeyPair) {
                    throw notFound("private key file " + file + " holds a passphrase-protected key", null);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Key parser messages may carry key material: the exception type only, and no cause.
            throw notFound("private key file " + file + " cannot be read (" + e.getClass().getSimpleName() + ")", null);
        }
        throw notFound("private key file " + file + " holds no PEM private key", null);
    }

    private static void requireFile(Path file, String what) throws HandlerException {
        if (!Files.isRegularFile(file)) {
            throw notFound(what + " file " + file + " does not exist; the agent writes it with the goal state", null);
        }
    }

    /** ISO-8859-1 never fails on the preamble's subject line, and PEM itself is ASCII. */
    private static Reader reader(Path file) throws IOException {
        return Files.newBufferedReader(file, StandardCharsets.ISO_8859_1);
    }

    private static String utf8(byte[] plain) throws HandlerException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(plain))
                    .toString();
        } catch (CharacterCodingException e) {
            throw failed("decrypted protectedSettings are not UTF-8 text");
        }
    }

    private static HandlerException failed(String detail) {
        return new HandlerException(ErrorCode.PROTECTED_SETTINGS_DECRYPT_FAILED, detail);
    }

    private static HandlerException notFound(String detail, Throwable cause) {
        return new HandlerException(ErrorCode.CERTIFICATE_NOT_FOUND, detail, cause);
    }
}
