package io.vmsnapshot;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import javax.crypto.Cipher;

/**
 * Readies the JDK's security providers on a second thread while the main one reads the agent's
 * files, for the commands that will need them: the provider list alone takes some 10 ms of a cold
 * JVM to set up, and an Azure VM has at least two cores. The worker decrypts the protected settings
 * (RSA, then DES-EDE or AES); check and dry-run verify the plugin host jar's SHA-256 when scripts
 * are configured; enable and the other lifecycle commands need none. Nothing depends on it having
 * run: a failure here is met again, and reported in its own words, where the real work does it.
 */
final class SecurityWarmUp {
    private SecurityWarmUp() {
    }

    /** Starts the warm-up {@code verb} needs, if any. */
    static void startFor(String verb) {
        Runnable work = switch (verb) {
            case "worker" -> SecurityWarmUp::decryption;
            case "check", "dry-run" -> SecurityWarmUp::digest;
            default -> null;
        };
        if (work != null) {
            Thread thread = new Thread(work, "security-warm-up");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private static void decryption() {
        try {
            KeyFactory.getInstance("RSA");
            Cipher.getInstance("RSA/ECB/PKCS1Padding");
            Cipher.getInstance("DESede/CBC/PKCS5Padding");
            Cipher.getInstance("AES/CBC/PKCS5Padding");
        } catch (GeneralSecurityException | RuntimeException e) {
            // The decryption meets the same problem and reports it.
        }
    }

    private static void digest() {
        try {
            MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException | RuntimeException e) {
            // The verification meets the same problem and reports it.
        }
    }
}
