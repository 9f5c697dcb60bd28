package io.vmsnapshot;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.util.Set;
import javax.crypto.Cipher;

/**
 * Readies the JDK's security providers and the ciphers of the protected settings on a second
 * thread while the main one reads the agent's files: the provider list, SunJCE and RSA take some
 * 10 ms to set up, and an Azure VM has at least two cores. Nothing depends on it having run; a
 * failure here is the decryption's to report later, with its own words.
 */
final class DecryptionWarmUp {
    /** The commands that decrypt a request: the worker only (enable leaves the protected settings to it). */
    static final Set<String> VERBS = Set.of("worker");

    private DecryptionWarmUp() {
    }

    static void start() {
        Thread thread = new Thread(DecryptionWarmUp::run, "decryption-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    private static void run() {
        try {
            KeyFactory.getInstance("RSA");
            Cipher.getInstance("RSA/ECB/PKCS1Padding");
            Cipher.getInstance("DESede/CBC/PKCS5Padding");
            Cipher.getInstance("AES/CBC/PKCS5Padding");
        } catch (GeneralSecurityException | RuntimeException e) {
            // The real decryption meets the same problem and reports it.
        }
    }
}
