package io.vmsnapshot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;

/**
 * The worker training's backup request (the lifecycle commands take the built-in one, which enable
 * does not decrypt): the public settings of the built-in {@code 0.settings}, and protected settings
 * made here, as the agent makes them (CMS, DES-EDE3, to the training certificate), naming the blobs
 * of this run's {@link TrainingStorage}, whose port is only known now.
 */
final class TrainingRequest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainingRequest() {
    }

    /** @throws IOException also when BouncyCastle cannot make the envelope (its CMSException stays in here) */
    static String of(byte[] settings, byte[] certificatePem, String thumbprint, TrainingStorage storage)
            throws IOException, GeneralSecurityException {
        ObjectNode blobs = JSON.createObjectNode();
        blobs.putArray("blobSASUri").add(storage.sasUri("os.vhd")).add(storage.sasUri("data0.vhd"));
        ObjectNode protectedSettings = JSON.createObjectNode();
        protectedSettings.put("objectStr", Base64.getEncoder().encodeToString(JSON.writeValueAsBytes(blobs)));
        protectedSettings.put("statusBlobUri", storage.sasUri("status"));
        protectedSettings.put("logsBlobUri", storage.sasUri("logs"));

        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certificatePem));
        CMSEnvelopedDataGenerator generator = new CMSEnvelopedDataGenerator();
        generator.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(certificate));
        byte[] encrypted;
        try {
            encrypted = generator.generate(new CMSProcessableByteArray(JSON.writeValueAsBytes(protectedSettings)),
                    new JceCMSContentEncryptorBuilder(CMSAlgorithm.DES_EDE3_CBC).build()).getEncoded();
        } catch (CMSException e) {
            throw new IOException("the training request cannot be encrypted: " + e.getMessage(), e);
        }

        ObjectNode root = (ObjectNode) JSON.readTree(new String(settings, StandardCharsets.UTF_8));
        ObjectNode handlerSettings = (ObjectNode) root.get("runtimeSettings").get(0).get("handlerSettings");
        handlerSettings.put("protectedSettings", Base64.getEncoder().encodeToString(encrypted));
        handlerSettings.put("protectedSettingsCertThumbprint", thumbprint);
        return JSON.writeValueAsString(root);
    }
}
