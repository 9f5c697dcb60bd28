package io.vmsnapshot.e2e.agent;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cms.CMSAlgorithm;

/** The content ciphers CRP uses for protected settings (contract §4): DES-EDE3-CBC historically, AES-256-CBC on FIPS VMs. */
public enum ProtectedSettingsCipher {
    DES_EDE3_CBC(CMSAlgorithm.DES_EDE3_CBC, "-des3"),
    AES_256_CBC(CMSAlgorithm.AES256_CBC, "-aes256");

    private final ASN1ObjectIdentifier oid;
    private final String opensslOption;

    ProtectedSettingsCipher(ASN1ObjectIdentifier oid, String opensslOption) {
        this.oid = oid;
        this.opensslOption = opensslOption;
    }

    ASN1ObjectIdentifier oid() {
        return oid;
    }

    String opensslOption() {
        return opensslOption;
    }
}
