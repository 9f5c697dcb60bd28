package io.vmsnapshot.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.vmsnapshot.testing.TestCa;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageHttpTest {
    private static final TestCa PRIVATE_CA = TestCa.create("Contoso TLS Inspection CA");
    private static final URI NO_WIRESERVER = URI.create("http://127.0.0.1:9");

    @TempDir
    Path dir;

    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private URI tlsServer() throws IOException {
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(PRIVATE_CA.serverContext()));
        https.createContext("/", exchange -> reply(exchange, 200, "stored"));
        https.start();
        server = https;
        return URI.create("https://127.0.0.1:" + https.getAddress().getPort() + "/container/blob");
    }

    private int uid() throws IOException {
        return (Integer) java.nio.file.Files.getAttribute(dir, "unix:uid");
    }

    @Test
    void aCertificateSignedByACaOnlyTheVmsStoreHoldsIsTrusted() throws Exception {
        URI blob = tlsServer();
        Path bundle = PRIVATE_CA.writeBundle(dir.resolve("ca-bundle.crt"));
        StorageTrust trust = new StorageTrust(new CaStore(List.of(bundle), uid()));
        HttpClient http = StorageHttp.client(ProxyConfig.DIRECT, NO_WIRESERVER, trust);
        assertTrue(trust.describe().startsWith("not loaded"), "nothing read before the first TLS call");

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(blob).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode());
        assertTrue(trust.describe().startsWith("CA store " + bundle + " (1 certificates) and "), trust.describe());
    }

    @Test
    void withoutThatCaTheCallFailsNamingTheCertificateAndWhatToDo() throws Exception {
        URI blob = tlsServer();
        Path otherBundle = TestCa.create("Unrelated CA").writeBundle(dir.resolve("ca-certificates.crt"));
        StorageTrust trust = new StorageTrust(new CaStore(List.of(otherBundle), uid()));
        HttpClient http = StorageHttp.client(ProxyConfig.DIRECT, NO_WIRESERVER, trust);

        SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                () -> http.send(HttpRequest.newBuilder(blob).GET().build(), HttpResponse.BodyHandlers.ofString()));

        String message = e.getMessage();
        assertTrue(message.contains("the TLS certificate of 127.0.0.1"), message);
        assertTrue(message.contains("issuer CN=Contoso TLS Inspection CA"), message);
        assertTrue(message.contains("it chains to no trusted root"), message);
        assertTrue(message.contains("CA store " + otherBundle + " (1 certificates)"), message);
        assertTrue(message.contains("update-ca-trust"), message);
    }

    @Test
    void plainHttpStorageCallsGoToTheProxyInAbsoluteFormWithItsBasicCredentials() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicInteger challenged = new AtomicInteger();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Proxy-Authorization");
            if (authorization == null) {
                challenged.incrementAndGet();
                exchange.getResponseHeaders().add("Proxy-Authenticate", "Basic realm=\"corp\"");
                reply(exchange, 407, "");
                return;
            }
            seen.add(exchange.getRequestURI() + " " + new String(Base64.getDecoder().decode(authorization.substring(6)),
                    StandardCharsets.UTF_8));
            reply(exchange, 201, "");
        });
        server.start();
        int proxyPort = server.getAddress().getPort();
        ProxyConfig proxies = ProxyConfig.from(Map.of("http_proxy", "http://backup:s3cret@127.0.0.1:" + proxyPort),
                dir.resolve("no-waagent.conf"));
        HttpClient http = StorageHttp.client(proxies, NO_WIRESERVER, new StorageTrust(new CaStore(List.of(), 0)));

        HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create("http://storage.invalid/c/b?comp=snapshot"))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());

        assertEquals(201, response.statusCode());
        assertEquals(1, challenged.get());
        assertEquals(List.of("http://storage.invalid/c/b?comp=snapshot backup:s3cret"), seen);
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getRequestBody().readAllBytes();
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
