package io.vmsnapshot.network;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trusts the runtime's bundled roots and the VM's own CA store together (one PKIX trust manager
 * over both, so a chain may end at a root of either). Nothing is read until the first TLS
 * handshake: a backup whose calls are all plain HTTP, and every command but the worker, never pays
 * for parsing some hundred certificates. A certificate neither trusts fails with what was trusted
 * and what to do, instead of the runtime's bare "unable to find valid certification path".
 */
public final class StorageTrust extends X509ExtendedTrustManager {
    private static final Logger LOG = LoggerFactory.getLogger(StorageTrust.class);

    private final Supplier<CaStore.Contents> osStore;
    private final Supplier<List<X509Certificate>> bundled;
    private volatile Loaded loaded;

    /** What the first handshake loaded. */
    record Loaded(X509ExtendedTrustManager manager, CaStore.Contents os, int bundled) {
        String describe() {
            return "CA store " + os.describe() + " and " + bundled + " roots bundled with the runtime";
        }
    }

    public StorageTrust(CaStore osStore) {
        this(osStore::read, StorageTrust::bundledRoots);
    }

    StorageTrust(Supplier<CaStore.Contents> osStore, Supplier<List<X509Certificate>> bundled) {
        this.osStore = Objects.requireNonNull(osStore, "osStore");
        this.bundled = Objects.requireNonNull(bundled, "bundled");
    }

    /** The roots of the runtime's own {@code lib/security/cacerts}. */
    public static List<X509Certificate> bundledRoots() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return List.of(x509.getAcceptedIssuers());
                }
            }
            return List.of();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the runtime's bundled CA roots are unreadable: " + e.getMessage(), e);
        }
    }

    /** For the status and the log: which store, how many certificates; "not loaded" before any TLS call. */
    public String describe() {
        Loaded current = loaded;
        return current == null ? "not loaded (no TLS call before this point)" : current.describe();
    }

    Loaded loaded() {
        Loaded current = loaded;
        if (current == null) {
            synchronized (this) {
                current = loaded;
                if (current == null) {
                    current = load();
                    loaded = current;
                }
            }
        }
        return current;
    }

    private Loaded load() {
        long start = System.nanoTime();
        CaStore.Contents os = osStore.get();
        List<X509Certificate> roots = bundled.get();
        try {
            // Trust anchors straight into PKIX: no key store to fill and index first. A root both
            // stores hold counts once (certificates are equal by their encoding).
            Map<X509Certificate, TrustAnchor> anchors = new LinkedHashMap<>();
            for (X509Certificate root : roots) {
                anchors.putIfAbsent(root, new TrustAnchor(root, null));
            }
            for (X509Certificate certificate : os.certificates()) {
                anchors.putIfAbsent(certificate, new TrustAnchor(certificate, null));
            }
            PKIXBuilderParameters parameters = new PKIXBuilderParameters(new HashSet<>(anchors.values()), new X509CertSelector());
            // As the runtime's default trust manager: no CRL or OCSP fetches, which a proxy-only VM could not make.
            parameters.setRevocationEnabled(false);
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(new CertPathTrustManagerParameters(parameters));
            X509ExtendedTrustManager manager = null;
            for (TrustManager candidate : factory.getTrustManagers()) {
                if (candidate instanceof X509ExtendedTrustManager x509) {
                    manager = x509;
                }
            }
            if (manager == null) {
                throw new IllegalStateException("the runtime has no PKIX trust manager");
            }
            Loaded result = new Loaded(manager, os, roots.size());
            LOG.info("tls.trust store={} certificates={} bundled={} loadMs={}", os.path().map(Object::toString).orElse("none"),
                    os.certificates().size(), roots.size(), (System.nanoTime() - start) / 1_000_000);
            os.problems().forEach(p -> LOG.warn("tls.trust problem=\"{}\"", p));
            return result;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the trust store: " + e.getMessage(), e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        Loaded trust = loaded();
        try {
            trust.manager().checkServerTrusted(chain, authType, engine);
        } catch (CertificateException e) {
            throw explained(e, chain, engine == null ? null : engine.getPeerHost(), trust);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        Loaded trust = loaded();
        try {
            trust.manager().checkServerTrusted(chain, authType, socket);
        } catch (CertificateException e) {
            throw explained(e, chain, socket == null || socket.getInetAddress() == null ? null
                    : socket.getInetAddress().getHostAddress(), trust);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        Loaded trust = loaded();
        try {
            trust.manager().checkServerTrusted(chain, authType);
        } catch (CertificateException e) {
            throw explained(e, chain, null, trust);
        }
    }

    static CertificateException explained(CertificateException e, X509Certificate[] chain, String host, Loaded trust) {
        String subject = chain == null || chain.length == 0 ? "no certificate"
                : "subject " + chain[0].getSubjectX500Principal().getName() + ", issuer "
                        + chain[chain.length - 1].getIssuerX500Principal().getName();
        String why = rootCause(e);
        return new CertificateException("the TLS certificate of " + (host == null ? "the server" : host) + " (" + subject
                + ") is not trusted: " + why + ". Trusted are the " + trust.describe()
                + "; if a firewall inspects TLS or the storage endpoint uses a private CA, add its root to the VM's CA store"
                + " (update-ca-trust on RHEL-like, update-ca-certificates on Debian-like and SUSE)", e);
    }

    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return message.contains("unable to find valid certification path")
                ? "it chains to no trusted root" : message;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        loaded().manager().checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        loaded().manager().checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        loaded().manager().checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return loaded().manager().getAcceptedIssuers();
    }
}
