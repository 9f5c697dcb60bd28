package io.vmsnapshot.network;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Picks the route of each call: the host endpoints (the WireServer, {@code 168.63.129.16} on any
 * port, and the address {@code VMSNAPSHOT_WIRESERVER_URL} names, host and port) always go direct,
 * as upstream's host calls and the agent's own; every other URL takes the configured proxy for its
 * scheme unless {@code no_proxy} names its host.
 */
final class StorageProxySelector extends ProxySelector {
    /** The WireServer and the instance metadata service: never behind a proxy, whatever is configured. */
    static final Set<String> HOST_ADDRESSES = Set.of("168.63.129.16", "169.254.169.254");

    private final ProxyConfig config;
    private final URI wireServer;

    StorageProxySelector(ProxyConfig config, URI wireServer) {
        this.config = Objects.requireNonNull(config, "config");
        this.wireServer = Objects.requireNonNull(wireServer, "wireServer");
    }

    @Override
    public List<Proxy> select(URI uri) {
        Objects.requireNonNull(uri, "uri");
        String host = uri.getHost();
        if (host == null || isHostEndpoint(uri)) {
            return List.of(Proxy.NO_PROXY);
        }
        return config.forUrl(uri.getScheme(), host)
                .map(p -> List.of(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(p.host(), p.port()))))
                .orElse(List.of(Proxy.NO_PROXY));
    }

    boolean isHostEndpoint(URI uri) {
        String host = ProxyServer.unbracketed(uri.getHost().toLowerCase(Locale.ROOT));
        if (HOST_ADDRESSES.contains(host)) {
            return true;
        }
        String wireHost = wireServer.getHost() == null ? "" : ProxyServer.unbracketed(wireServer.getHost().toLowerCase(Locale.ROOT));
        return host.equals(wireHost) && port(uri) == port(wireServer);
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    @Override
    public void connectFailed(URI uri, SocketAddress address, IOException e) {
        // Java's HTTP client never calls this; the failed call reports its own error.
    }
}
