package io.vmsnapshot.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.error.Messages;
import io.vmsnapshot.testing.TestCa;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkFactsTest {
    private static final TestCa CA = TestCa.create("Facts Test CA");

    @TempDir
    Path dir;

    private NetworkFacts facts(Map<String, String> env, List<Path> caCandidates) throws IOException {
        int uid = (Integer) Files.getAttribute(dir, "unix:uid");
        return new NetworkFacts(ProxyConfig.from(env, dir.resolve("no-waagent.conf")), URI.create("http://168.63.129.16"),
                new CaStore(caCandidates, uid), () -> List.of(CA.root(), CA.root()));
    }

    @Test
    void checkNamesTheProxyOfEachSchemeTheHostCallsAndTheCaStore() throws IOException {
        Path bundle = CA.writeBundle(dir.resolve("ca-bundle.crt"));

        List<String> lines = facts(Map.of("https_proxy", "http://u:secret-pw@proxy.example:3128", "no_proxy", "10.0.0.0/8"),
                List.of(bundle)).lines(Messages.forLocale("en-US"));

        assertEquals(List.of(
                "Storage calls (snapshots of the disks when the extension takes them, status and logs uploads):",
                "  https URLs: through the proxy http://proxy.example:3128 with credentials (https_proxy)",
                "  http URLs: direct",
                "  direct for no_proxy: 10.0.0.0/8",
                "  host calls (WireServer http://168.63.129.16, 168.63.129.16): always direct, never through a proxy",
                "  (read from this shell and waagent.conf; backups see the environment of the agent service instead)",
                "CA store trusted for TLS: " + bundle + " (1 certificates), and the 2 roots bundled with the runtime"), lines);
    }

    @Test
    void withoutAStoreAndWithABadProxyCheckSaysSoInChineseToo() throws IOException {
        List<String> lines = facts(Map.of("https_proxy", "https://proxy.example:3129"), List.of(dir.resolve("absent.pem")))
                .lines(Messages.forLocale("zh-CN"));

        assertTrue(lines.contains("  https 地址:直连"), lines.toString());
        assertTrue(lines.contains("  警告:https_proxy is ignored: a https:// proxy is not supported, only http://"), lines.toString());
        assertTrue(lines.get(lines.size() - 1).startsWith("TLS 信任的 CA 存储:此 VM 上未找到"), lines.toString());
    }
}
