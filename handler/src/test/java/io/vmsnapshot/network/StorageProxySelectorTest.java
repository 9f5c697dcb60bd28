package io.vmsnapshot.network;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StorageProxySelectorTest {
    private static final ProxyConfig PROXIES = ProxyConfig.from(Map.of("https_proxy", "http://proxy.example:3128",
            "http_proxy", "http://proxy.example:3128", "no_proxy", "private.example"), Path.of("/nonexistent/waagent.conf"));

    private final StorageProxySelector selector = new StorageProxySelector(PROXIES, URI.create("http://127.0.0.1:8081"));

    @Test
    void storageCallsTakeTheProxy() {
        assertEquals("proxy.example:3128", route("https://acct.blob.core.windows.net/vhds/os.vhd?sv=x&sig=y"));
        assertEquals("proxy.example:3128", route("http://127.0.0.1:10000/devstoreaccount1/c/os.vhd"));
    }

    @Test
    void theWireServerAndTheConfiguredHostEndpointAlwaysGoDirect() {
        assertEquals("direct", route("http://168.63.129.16/metadata/recsvc/snapshot/presnapshot?api-version=2017-12-01"));
        assertEquals("direct", route("http://168.63.129.16:32526/vmSettings"));
        assertEquals("direct", route("http://169.254.169.254/metadata/instance"));
        assertEquals("direct", route("http://127.0.0.1:8081/metadata/recsvc/snapshot/dosnapshot"));
    }

    @Test
    void noProxyHostsGoDirect() {
        assertEquals("direct", route("https://store.private.example/c/b"));
    }

    @Test
    void withoutAProxyEverythingIsDirect() {
        StorageProxySelector direct = new StorageProxySelector(ProxyConfig.DIRECT, URI.create("http://168.63.129.16"));
        assertEquals(List.of(Proxy.NO_PROXY), direct.select(URI.create("https://acct.blob.core.windows.net/c/b")));
    }

    private String route(String uri) {
        Proxy proxy = selector.select(URI.create(uri)).get(0);
        if (proxy.type() == Proxy.Type.DIRECT) {
            return "direct";
        }
        InetSocketAddress address = (InetSocketAddress) proxy.address();
        return address.getHostString() + ":" + address.getPort();
    }
}
