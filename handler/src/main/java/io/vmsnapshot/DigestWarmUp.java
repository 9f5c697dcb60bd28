package io.vmsnapshot;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Set;

/**
 * Readies the JDK's security providers and SHA-256 on a second thread while the main one starts
 * check or dry-run: with scripts configured they verify the plugin host jar's digest, and the
 * provider list's set-up alone takes some 10 ms of a cold JVM, on the main thread otherwise. The
 * worker needs no such thread: DecryptionWarmUp readies the providers. Nothing depends on it having
 * run; the verification meets any problem itself.
 */
final class DigestWarmUp {
    /** The operator commands that may verify the plugin host; the worker has DecryptionWarmUp. */
    static final Set<String> VERBS = Set.of("check", "dry-run");

    private DigestWarmUp() {
    }

    static void start() {
        Thread thread = new Thread(DigestWarmUp::run, "digest-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    private static void run() {
        try {
            MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException | RuntimeException e) {
            // The verification meets the same problem and reports it.
        }
    }
}
