package io.vmsnapshot.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmsnapshot.e2e.agent.ProtectedSettingsCipher;
import io.vmsnapshot.e2e.agent.ProtectedSettingsEncryptor;
import io.vmsnapshot.e2e.agent.TenantCertificate;
import java.io.Reader;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import javax.crypto.KeyAgreement;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Runs on the bundled runtime (BundledRuntimeTest) with the package's lib jars: exercises what the
 * handler needs from the JDK modules the package ships - Jackson, BouncyCastle CMS decryption of
 * both ciphers, a PEM key with the agent's preamble, TLS with ECDHE suites and a trust store, the
 * HTTP client. Prints one line per check; exits non-zero on the first failure.
 */
public final class RuntimeSmoke {
    private RuntimeSmoke() {
    }

    record Probe(String name, int value) {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        ObjectMapper json = new ObjectMapper();
        Probe probe = json.readValue(json.writeValueAsString(new Probe("jackson", 1)), Probe.class);
        check(probe.equals(new Probe("jackson", 1)), "jackson record round trip");

        TenantCertificate certificate = TenantCertificate.generate("smoke");
        certificate.writeTo(work);
        for (ProtectedSettingsCipher cipher : ProtectedSettingsCipher.values()) {
            String secret = "{\"objectStr\":\"" + cipher + "\"}";
            String encrypted = new ProtectedSettingsEncryptor(ProtectedSettingsEncryptor.Engine.BOUNCY_CASTLE, cipher, work)
                    .encrypt(secret, certificate);
            check(decrypt(encrypted, certificate.privateKeyFile(work)).equals(secret), "cms decrypt " + cipher);
        }

        SSLContext tls = SSLContext.getDefault();
        check(Arrays.asList(tls.createSSLEngine().getEnabledCipherSuites()).contains("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"),
                "tls ecdhe suites (jdk.crypto.ec)");
        KeyAgreement.getInstance("ECDH");
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init((KeyStore) null);
        int roots = ((X509TrustManager) trust.getTrustManagers()[0]).getAcceptedIssuers().length;
        check(roots > 50, "trust store has " + roots + " roots");
        check(HttpClient.newHttpClient() != null, "java.net.http client");
    }

    private static String decrypt(String base64, Path keyFile) throws Exception {
        PrivateKeyInfo keyInfo;
        try (Reader reader = Files.newBufferedReader(keyFile, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            keyInfo = (PrivateKeyInfo) parser.readObject();
        }
        CMSEnvelopedData envelope = new CMSEnvelopedData(Base64.getDecoder().decode(base64));
        Collection<RecipientInformation> recipients = envelope.getRecipientInfos().getRecipients();
        byte[] plain = recipients.iterator().next()
                .getContent(new JceKeyTransEnvelopedRecipient(new JcaPEMKeyConverter().getPrivateKey(keyInfo)));
        return new String(plain, StandardCharsets.UTF_8);
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            System.out.println("FAILED " + what);
            System.exit(1);
        }
        System.out.println("ok " + what);
    }
}
