package io.vmsnapshot.network;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

/**
 * Reads the certificates of one CA store file: a PEM bundle (text between the certificates, such
 * as RHEL's {@code # name} lines, is skipped) or a Java key store of trusted certificates (JKS or
 * PKCS#12, as {@code update-ca-trust} and {@code ca-certificates-java} write them).
 */
final class CaBundleReader {
    private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
    private static final String END = "-----END CERTIFICATE-----";
    /** The password every distribution's extracted Java store uses; its certificates are public. */
    private static final char[] JAVA_STORE_PASSWORD = "changeit".toCharArray();

    /** @param problems receives what was left out, and why */
    static List<X509Certificate> read(Path file, List<String> problems) throws IOException, GeneralSecurityException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length == 0) {
            return List.of();
        }
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        return text.contains(BEGIN) ? pem(text, file, problems) : keyStore(bytes);
    }

    private static List<X509Certificate> pem(String text, Path file, List<String> problems) throws CertificateException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> certificates = new ArrayList<>();
        int unreadable = 0;
        int from = 0;
        while (true) {
            int begin = text.indexOf(BEGIN, from);
            if (begin < 0) {
                break;
            }
            int end = text.indexOf(END, begin);
            if (end < 0) {
                unreadable++;
                break;
            }
            from = end + END.length();
            try {
                byte[] der = Base64.getMimeDecoder().decode(text.substring(begin + BEGIN.length(), end));
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            } catch (IllegalArgumentException | CertificateException e) {
                unreadable++;
            }
        }
        if (unreadable > 0) {
            problems.add(unreadable + " certificate(s) in " + file + " are unreadable and left out");
        }
        return certificates;
    }

    private static List<X509Certificate> keyStore(byte[] bytes) throws IOException, GeneralSecurityException {
        KeyStore store = null;
        GeneralSecurityException failure = null;
        for (String type : List.of("JKS", "PKCS12")) {
            for (char[] password : new char[][] {JAVA_STORE_PASSWORD, null}) {
                try (InputStream in = new ByteArrayInputStream(bytes)) {
                    KeyStore candidate = KeyStore.getInstance(type);
                    candidate.load(in, password);
                    store = candidate;
                    break;
                } catch (IOException | GeneralSecurityException e) {
                    failure = e instanceof GeneralSecurityException g ? g
                            : new GeneralSecurityException("neither a PEM bundle nor a Java key store: " + e.getMessage());
                }
            }
            if (store != null) {
                break;
            }
        }
        if (store == null) {
            throw failure;
        }
        List<X509Certificate> certificates = new ArrayList<>();
        for (String alias : Collections.list(store.aliases())) {
            Certificate certificate = store.isCertificateEntry(alias) ? store.getCertificate(alias) : null;
            if (certificate instanceof X509Certificate x509) {
                certificates.add(x509);
            }
        }
        return certificates;
    }

    private CaBundleReader() {
    }
}
