package io.vmsnapshot.network;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP proxy and where it was named.
 *
 * @param source e.g. {@code https_proxy} or {@code HttpProxy.Host in /etc/waagent.conf}
 */
public record ProxyServer(String host, int port, Optional<ProxyCredentials> credentials, String source) {
    /** An {@code http://} proxy without a port is on port 80, as Python's urllib (the agent's own) reads it. */
    static final int DEFAULT_PORT = 80;

    public ProxyServer {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(source, "source");
    }

    /**
     * Reads a proxy variable's value as curl and the agent do: {@code [http://][user:pass@]host[:port][/]}.
     *
     * @throws IllegalArgumentException with a reason that never holds the credentials
     */
    static ProxyServer parse(String value, String source) {
        String text = value.strip();
        if (!text.contains("://")) {
            text = "http://" + text;
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL (expected http://host:port)");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http")) {
            // Java's HTTP client speaks plain HTTP to a proxy (then CONNECT for TLS) and no SOCKS.
            throw new IllegalArgumentException("a " + scheme + ":// proxy is not supported, only http://");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("no host (expected http://host:port)");
        }
        Optional<ProxyCredentials> credentials = Optional.empty();
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
            String password = colon < 0 ? "" : userInfo.substring(colon + 1);
            credentials = Optional.of(new ProxyCredentials(percentDecoded(user), percentDecoded(password)));
        }
        return new ProxyServer(unbracketed(host), uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(), credentials, source);
    }

    /** URL user info is percent-encoded; a '+' in it is a plus, not a space as in a form. */
    private static String percentDecoded(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** {@code http://host:port}, never the credentials: what the log, the status and check show. */
    public String address() {
        return "http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** The address, whether it authenticates, and where it was named. */
    public String describe() {
        return address() + (credentials.isPresent() ? " with credentials" : "") + " (" + source + ")";
    }

    @Override
    public String toString() {
        return describe();
    }
}
