package io.vmsnapshot.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProxyConfigTest {
    @TempDir
    Path dir;

    private Path noConf() {
        return dir.resolve("absent-waagent.conf");
    }

    @Test
    void httpsUrlsTakeHttpsProxyAndHttpUrlsTakeHttpProxy() {
        ProxyConfig config = ProxyConfig.from(Map.of("https_proxy", "http://secure.example:3128",
                "http_proxy", "http://plain.example:8080/"), noConf());

        assertEquals("secure.example:3128", hostPort(config.forUrl("https", "acct.blob.core.windows.net")));
        assertEquals("plain.example:8080", hostPort(config.forUrl("http", "acct.blob.core.windows.net")));
        assertEquals("https_proxy", config.https().orElseThrow().source());
    }

    @Test
    void lowerCaseWinsOverUpperCaseAndAnEmptyValueIsUnset() {
        ProxyConfig config = ProxyConfig.from(Map.of("https_proxy", "", "HTTPS_PROXY", "http://upper.example:3128",
                "http_proxy", "http://lower.example:1", "HTTP_PROXY", "http://upper.example:2"), noConf());

        assertEquals("upper.example:3128", hostPort(config.https()));
        assertEquals("HTTPS_PROXY", config.https().orElseThrow().source());
        assertEquals("lower.example:1", hostPort(config.http()));
    }

    @Test
    void aProxyWithoutSchemeOrPortIsHttpOnPort80() {
        ProxyConfig config = ProxyConfig.from(Map.of("https_proxy", "proxy.example"), noConf());

        assertEquals("proxy.example:80", hostPort(config.https()));
        assertTrue(config.http().isEmpty(), "http_proxy unset: http URLs go direct, as with curl and the agent");
    }

    @Test
    void credentialsAreReadDecodedAndNeverShown() {
        ProxyConfig config = ProxyConfig.from(Map.of("https_proxy", "http://backup%40corp:p%3Ass+w0rd@proxy.example:3128"),
                noConf());

        ProxyServer proxy = config.https().orElseThrow();
        assertEquals("backup@corp", proxy.credentials().orElseThrow().user());
        assertEquals("p:ss+w0rd", proxy.credentials().orElseThrow().password());
        assertEquals("https http://proxy.example:3128 with credentials (https_proxy), http direct", config.describe());
        assertFalse(proxy.toString().contains("w0rd") || proxy.credentials().toString().contains("w0rd"));
    }

    @Test
    void anHttpsOrSocksProxyIsIgnoredWithAReasonThatHidesItsCredentials() {
        ProxyConfig config = ProxyConfig.from(Map.of("https_proxy", "socks5://user:secret99@proxy.example:1080"), noConf());

        assertTrue(config.https().isEmpty());
        assertEquals(1, config.problems().size(), config.problems().toString());
        assertTrue(config.problems().get(0).startsWith("https_proxy is ignored: a socks5:// proxy is not supported"),
                config.problems().get(0));
        assertFalse(config.problems().get(0).contains("secret99"));
    }

    @Test
    void withoutVariablesWaagentConfNamesTheProxyForBoth() throws IOException {
        Path conf = Files.writeString(dir.resolve("waagent.conf"), String.join("\n",
                "# HttpProxy.Host=commented.example",
                "Provisioning.Agent=auto",
                "HttpProxy.Host=\"conf-proxy.example\"   # the company proxy",
                "HttpProxy.Port=3128", ""));

        ProxyConfig config = ProxyConfig.from(Map.of(), conf);

        assertEquals("conf-proxy.example:3128", hostPort(config.https()));
        assertEquals(config.https(), config.http());
        assertEquals("HttpProxy.Host in " + conf, config.https().orElseThrow().source());
    }

    @Test
    void theEnvironmentTheAgentPassesWinsOverWaagentConf() throws IOException {
        Path conf = Files.writeString(dir.resolve("waagent.conf"), "HttpProxy.Host=conf-proxy.example\nHttpProxy.Port=3128\n");

        ProxyConfig config = ProxyConfig.from(Map.of("https_proxy", "http://env-proxy.example:8080"), conf);

        assertEquals("env-proxy.example:8080", hostPort(config.https()));
        assertTrue(config.http().isEmpty());
    }

    @Test
    void waagentConfWithNoneOrABadPortNamesNoProxy() throws IOException {
        Path none = Files.writeString(dir.resolve("none.conf"), "HttpProxy.Host=None\nHttpProxy.Port=None\n");
        Path badPort = Files.writeString(dir.resolve("bad.conf"), "HttpProxy.Host=proxy.example\nHttpProxy.Port=31x8\n");

        assertEquals(ProxyConfig.DIRECT.describe(), ProxyConfig.from(Map.of(), none).describe());
        ProxyConfig bad = ProxyConfig.from(Map.of(), badPort);
        assertFalse(bad.usesAnyProxy());
        assertTrue(bad.problems().get(0).contains("HttpProxy.Port"), bad.problems().toString());
    }

    @Test
    void waagentConfPathComesFromTheOverrideVariable() throws IOException {
        Path conf = Files.writeString(dir.resolve("moved.conf"), "HttpProxy.Host=moved.example\n");

        ProxyConfig config = ProxyConfig.from(Map.of(ProxyConfig.WAAGENT_CONF_VARIABLE, conf.toString()));

        assertEquals("moved.example:80", hostPort(config.https()));
    }

    @Test
    void noProxyTurnsTheProxyOffForItsHosts() {
        ProxyConfig config = ProxyConfig.from(Map.of("https_proxy", "http://proxy.example:3128",
                "NO_PROXY", ".internal.example,10.0.0.0/8"), noConf());

        assertTrue(config.forUrl("https", "store.internal.example").isEmpty());
        assertTrue(config.forUrl("https", "10.1.2.3").isEmpty());
        assertTrue(config.forUrl("https", "acct.blob.core.windows.net").isPresent());
        assertEquals("https http://proxy.example:3128 (https_proxy), http direct, no_proxy .internal.example,10.0.0.0/8",
                config.describe());
    }

    private static String hostPort(Optional<ProxyServer> proxy) {
        return proxy.map(p -> p.host() + ":" + p.port()).orElse("direct");
    }
}
