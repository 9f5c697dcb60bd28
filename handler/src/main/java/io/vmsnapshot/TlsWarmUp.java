package io.vmsnapshot;

import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;

/**
 * Readies the JDK's default TLS context on a second thread from the worker's first moment: its trust
 * store (some 140 certificates parsed) is most of what building the backup's HTTP client costs, a
 * few hundred milliseconds that would otherwise come after the lock and the settings, right before
 * the backup's first upload. The JDK keeps the one default context, so the HTTP client finds it
 * ready (or waits for this thread to finish it). Nothing depends on it having run; a failure here
 * is the HTTP client's to report later.
 */
final class TlsWarmUp {
    static final String VERB = "worker";

    private TlsWarmUp() {
    }

    static void start() {
        Thread thread = new Thread(TlsWarmUp::run, "tls-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    private static void run() {
        try {
            SSLContext.getDefault().getDefaultSSLParameters();
        } catch (GeneralSecurityException | RuntimeException e) {
            // The HTTP client meets the same problem and reports it.
        }
    }
}
