package io.vmsnapshot.network;

import java.net.Authenticator;
import java.net.PasswordAuthentication;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * The one HTTP client of a backup: HTTP/1.1 (the WireServer speaks it, and an h2c upgrade offer on
 * every call is noise), the route of {@link StorageProxySelector}, the trust of {@link StorageTrust},
 * and the proxy's credentials answered only to the proxy.
 */
public final class StorageHttp {
    /**
     * The runtime refuses Basic credentials inside a CONNECT by default ({@code net.properties});
     * the wiring clears this property, before the first client is built, when a proxy has credentials.
     */
    public static final String TUNNELING_DISABLED_SCHEMES = "jdk.http.auth.tunneling.disabledSchemes";
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private StorageHttp() {
    }

    /** @param wireServer the host endpoints' base URL: calls to it never take the proxy */
    public static HttpClient client(ProxyConfig proxies, URI wireServer, StorageTrust trust) {
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .proxy(new StorageProxySelector(proxies, wireServer))
                .sslContext(sslContext(trust));
        if (!credentials(proxies).isEmpty()) {
            builder.authenticator(new ProxyAuthenticator(proxies));
        }
        return builder.build();
    }

    /**
     * The credentials of both proxies, each of which may have its own: the wiring redacts every
     * password and clears the tunnelling restriction when there is any.
     */
    public static List<ProxyCredentials> credentials(ProxyConfig proxies) {
        return Stream.of(proxies.https(), proxies.http()).flatMap(Optional::stream)
                .flatMap(proxy -> proxy.credentials().stream()).toList();
    }

    private static SSLContext sslContext(StorageTrust trust) {
        Objects.requireNonNull(trust, "trust");
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trust}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the runtime offers no TLS: " + e.getMessage(), e);
        }
    }

    /**
     * Answers the proxy's 407 with its own credentials; a server's 401 gets nothing. The runtime
     * names no URL for a CONNECT (an https call: {@code https_proxy}) and the call's own URL for a
     * request sent to the proxy in absolute form (scheme http: {@code http_proxy}); its requesting
     * host and protocol say nothing that tells the two proxies apart.
     */
    private static final class ProxyAuthenticator extends Authenticator {
        private final ProxyConfig proxies;

        ProxyAuthenticator(ProxyConfig proxies) {
            this.proxies = proxies;
        }

        @Override
        protected PasswordAuthentication getPasswordAuthentication() {
            if (getRequestorType() != RequestorType.PROXY) {
                return null;
            }
            java.net.URL url = getRequestingURL();
            Optional<ProxyServer> proxy = url != null && "http".equalsIgnoreCase(url.getProtocol()) ? proxies.http()
                    : proxies.https();
            return proxy.flatMap(ProxyServer::credentials)
                    .map(c -> new PasswordAuthentication(c.user(), c.password().toCharArray()))
                    .orElse(null);
        }
    }
}
