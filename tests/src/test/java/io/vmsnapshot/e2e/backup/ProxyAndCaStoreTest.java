package io.vmsnapshot.e2e.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmsnapshot.e2e.agent.AgentSimulator;
import io.vmsnapshot.e2e.agent.AgentStatus;
import io.vmsnapshot.e2e.agent.CommandResult;
import io.vmsnapshot.e2e.agent.SettingsBuilder;
import io.vmsnapshot.e2e.storage.Azurite;
import io.vmsnapshot.e2e.storage.FaultProxy;
import io.vmsnapshot.e2e.storage.ForwardProxy;
import io.vmsnapshot.e2e.storage.HostSnapshotEmulator;
import io.vmsnapshot.testing.TestCa;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 16's network items through the built package: a VM whose storage traffic must take the
 * company's proxy (a {@link ForwardProxy} on loopback, in front of Azurite) while the host calls
 * (the emulated WireServer) go direct, and a VM whose TLS is vouched for by a private CA that only
 * its own CA store holds ({@link TestCa}, a TLS endpoint in front of Azurite). The proxy variables
 * reach the handler as the agent passes them: in the environment of its commands.
 */
class ProxyAndCaStoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TestCa PRIVATE_CA = TestCa.create("Contoso TLS Inspection CA");

    @RegisterExtension
    static final BackupVm vm = new BackupVm("network");
    private static HostSnapshotEmulator host;
    private static FaultProxy tls;
    private static AgentSimulator agent;
    private static Path caBundle;
    private static Path unrelatedBundle;
    /** The VM's waagent.conf (VMSNAPSHOT_WAAGENT_CONF): absent unless a test writes it. */
    private static Path waagentConf;
    private static int seq;

    @BeforeAll
    static void install() throws IOException {
        Path work = vm.sandbox().workDir();
        host = vm.keep(HostSnapshotEmulator.start(Map.of(), work.resolve("host-snapshots"), Clock.systemUTC()));
        // The host is asked first and answers that it cannot: the guest then takes the snapshots.
        host.answerPreSnapshot(500, "Internal Server Error");
        tls = vm.keep(FaultProxy.startTls(Azurite.shared().blobEndpoint(), PRIVATE_CA.serverContext()));
        caBundle = PRIVATE_CA.writeBundle(work.resolve("ca-bundle.crt"));
        unrelatedBundle = TestCa.create("Unrelated CA").writeBundle(work.resolve("unrelated-ca-bundle.crt"));
        waagentConf = work.resolve("waagent.conf");
        agent = vm.install(Map.of("VMSNAPSHOT_WIRESERVER_URL", host.baseUrl().toString(),
                "VMSNAPSHOT_WAAGENT_CONF", waagentConf.toString()));
    }

    @Test
    void anHttpProxyCarriesEveryStorageCallInAbsoluteFormAndNoHostCall() throws Exception {
        try (ForwardProxy proxy = ForwardProxy.start()) {
            AzuriteDisks disks = AzuriteDisks.create(1);
            String taskId = UUID.randomUUID().toString();

            AgentStatus status = backup(request(disks, UnaryOperator.identity(), taskId),
                    Map.of("http_proxy", proxy.url(), "https_proxy", proxy.url()));

            assertEquals(0, status.code(), status.message());
            List<ForwardProxy.Request> seen = proxy.requests();
            for (String blob : disks.blobs()) {
                assertTrue(seen.stream().anyMatch(r -> r.method().equals("PUT") && r.target().startsWith(disks.blobUrl(blob) + "?")
                        && r.target().contains("comp=snapshot")), blob + "'s snapshot through the proxy: " + targets(seen));
            }
            assertTrue(seen.stream().anyMatch(r -> r.target().startsWith(disks.blobUrl("status.json") + "?")), targets(seen));
            assertTrue(seen.stream().anyMatch(r -> r.target().startsWith(disks.blobUrl("logs.txt") + "?")), targets(seen));
            assertTrue(seen.stream().noneMatch(r -> r.port() == host.baseUrl().getPort()), "no host call took the proxy");
            assertTrue(host.requests().stream().anyMatch(r -> r.endpoint().equals("presnapshot")
                    && r.body().path("taskId").asText().equals(taskId)), "the host call went direct to the WireServer");
            String route = telemetry(status).get("storageProxy");
            assertTrue(route.contains("http " + proxy.url() + " (http_proxy)"), route);
            assertTrue(extensionLog().contains("storageProxy="), "the log says which proxy");
        }
    }

    @Test
    void httpsTakesAConnectTunnelWithTheProxysCredentialsAndTrustsTheCaOfTheVmsOwnStore() throws Exception {
        String password = "pr0xy-s3cret!";
        try (ForwardProxy proxy = ForwardProxy.requiring("backup", password)) {
            AzuriteDisks disks = AzuriteDisks.create(1);
            String proxyUrl = "http://backup:pr0xy-s3cret%21@127.0.0.1:" + proxy.port();

            AgentStatus status = backup(request(disks, tls::via, UUID.randomUUID().toString()),
                    Map.of("https_proxy", proxyUrl, "VMSNAPSHOT_CA_BUNDLE", caBundle.toString()));

            assertEquals(0, status.code(), status.message());
            List<ForwardProxy.Request> connects = proxy.requests().stream().filter(r -> r.method().equals("CONNECT")).toList();
            assertTrue(connects.stream().anyMatch(ForwardProxy.Request::authorized), targets(proxy.requests()));
            assertTrue(connects.stream().allMatch(r -> r.target().equals("127.0.0.1:" + tls.port())), targets(connects));
            assertTrue(proxy.requests().stream().allMatch(r -> r.method().equals("CONNECT")), "https only in tunnels");
            for (String blob : disks.blobs()) {
                assertEquals(1, disks.snapshots(blob).size(), blob + " has its snapshot");
            }
            Map<String, String> telemetry = telemetry(status);
            assertEquals("https http://127.0.0.1:" + proxy.port() + " with credentials (https_proxy), http direct",
                    telemetry.get("storageProxy"));
            assertTrue(telemetry.get("caStore").startsWith("CA store " + caBundle + " (1 certificates)"), telemetry.toString());
            assertTrue(extensionLog().contains("tls.trust store=" + caBundle + " certificates=1"), "the log names the CA store");
            BackupSandbox.assertNoSecret(List.of(password, "pr0xy-s3cret%21"),
                    List.of(agent.handlerLogDir(), agent.baseDir().resolve("status")),
                    List.of(disks.statusDocument(), disks.logsDocument()));
        }
    }

    @Test
    void withoutProxyVariablesTheHttpProxyOfWaagentConfIsUsed() throws Exception {
        try (ForwardProxy proxy = ForwardProxy.start()) {
            Files.writeString(waagentConf, "# Microsoft's setting for backups behind a proxy\nHttpProxy.Host=127.0.0.1\n"
                    + "HttpProxy.Port=" + proxy.port() + "\n");
            try {
                AzuriteDisks disks = AzuriteDisks.create(1);

                AgentStatus status = backup(request(disks, UnaryOperator.identity(), UUID.randomUUID().toString()), Map.of());

                assertEquals(0, status.code(), status.message());
                assertTrue(proxy.requests().stream().anyMatch(r -> r.target().contains("comp=snapshot")), targets(proxy.requests()));
                assertTrue(proxy.requests().stream().noneMatch(r -> r.port() == host.baseUrl().getPort()));
                assertTrue(telemetry(status).get("storageProxy").contains("(HttpProxy.Host in " + waagentConf + ")"),
                        telemetry(status).toString());
            } finally {
                Files.delete(waagentConf);
            }
        }
    }

    @Test
    void noProxyHostsGoDirect() throws Exception {
        try (ForwardProxy proxy = ForwardProxy.start()) {
            AzuriteDisks disks = AzuriteDisks.create(1);

            AgentStatus status = backup(request(disks, UnaryOperator.identity(), UUID.randomUUID().toString()),
                    Map.of("http_proxy", proxy.url(), "https_proxy", proxy.url(), "no_proxy", "localhost,127.0.0.1"));

            assertEquals(0, status.code(), status.message());
            assertEquals(List.of(), proxy.requests());
            assertEquals(1, disks.snapshots(disks.blobs().get(0)).size());
        }
    }

    @Test
    void aCertificateNoTrustedCaVouchesForFailsTheBackupNamingTheCertificateAndTheStore() throws Exception {
        AzuriteDisks disks = AzuriteDisks.create(1);

        AgentStatus status = backup(request(disks, tls::via, UUID.randomUUID().toString()),
                Map.of("VMSNAPSHOT_CA_BUNDLE", unrelatedBundle.toString()));

        assertEquals(76, status.code(), status.toString());
        String message = status.message();
        assertTrue(message.contains("the TLS certificate of 127.0.0.1"), message);
        assertTrue(message.contains("issuer CN=Contoso TLS Inspection CA"), message);
        assertTrue(message.contains("is not trusted: it chains to no trusted root"), message);
        assertTrue(message.contains("CA store " + unrelatedBundle + " (1 certificates)"), message);
        assertEquals(0, disks.snapshots(disks.blobs().get(0)).size());
        assertFalse(message.contains("attempts"), "not retried: the same certificate would come back");
    }

    @Test
    void checkSaysWhichProxyTheStorageCallsTakeThatHostCallsGoDirectAndWhichCaStoreIsTrusted() throws Exception {
        BackupSandbox.Launched check = BackupSandbox.launch(agent, Map.of(
                "https_proxy", "http://backup:hidden-pa55@127.0.0.1:3128", "no_proxy", ".internal.example",
                "VMSNAPSHOT_CA_BUNDLE", caBundle.toString()), Duration.ofSeconds(60), "check");

        String out = check.stdout();
        assertTrue(out.contains("https URLs: through the proxy http://127.0.0.1:3128 with credentials (https_proxy)"), out);
        assertTrue(out.contains("http URLs: direct"), out);
        assertTrue(out.contains("direct for no_proxy: .internal.example"), out);
        assertTrue(out.contains("host calls (WireServer " + host.baseUrl() + ", 168.63.129.16): always direct"), out);
        assertTrue(out.contains("CA store trusted for TLS: " + caBundle + " (1 certificates), and the "), out);
        assertFalse(out.contains("hidden-pa55") || check.stderr().contains("hidden-pa55"), "no credentials shown");
    }

    private static SettingsBuilder request(AzuriteDisks disks, UnaryOperator<String> route, String taskId) {
        return SettingsBuilder.snapshot().taskId(taskId).includedDisks(List.of(0), true)
                .blobSasUris(disks.sasUris(route))
                .statusBlobUri(route.apply(disks.statusBlobSasUri()))
                .logsBlobUri(route.apply(disks.logsBlobSasUri()))
                .customSettings(JSON.createObjectNode().put("takeSnapshotFrom", "firstHostThenGuest"));
    }

    /** One backup, its enable run with {@code variables} as the agent's service environment would add them. */
    private static AgentStatus backup(SettingsBuilder request, Map<String, String> variables) throws Exception {
        int mine = ++seq;
        agent.writeSettings(agent.version(), mine, request.build());
        Map<String, String> environment = new HashMap<>(variables);
        environment.put("AZURE_GUEST_AGENT_UNINSTALL_CMD_EXIT_CODE", AgentSimulator.NOT_RUN);
        CommandResult enable = agent.run(AgentSimulator.Operation.ENABLE, agent.version(), environment);
        assertEquals(0, enable.exitCode(), enable.toString());
        return BackupSandbox.awaitTerminal(agent, mine);
    }

    private static Map<String, String> telemetry(AgentStatus status) throws IOException {
        JsonNode blob = BackupSandbox.carriedBlobDocument(status).get(0).get("status");
        return BackupEndToEndTest.telemetry(blob);
    }

    private static String extensionLog() throws IOException {
        return Files.readString(agent.handlerLogDir().resolve("extension.log"));
    }

    private static String targets(List<ForwardProxy.Request> requests) {
        return requests.stream().map(r -> r.method() + " " + r.target().replaceAll("\\?.*", "?…")).toList().toString();
    }
}
