package io.vmsnapshot.backup;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** A loopback blob endpoint: records each PUT (path, headers, body) and answers with a fixed status. */
final class BlobSink implements AutoCloseable {
    record Upload(String path, String query, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final List<Upload> uploads = new ArrayList<>();
    private volatile int status = 201;

    BlobSink(Consumer<String> onUpload) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                synchronized (uploads) {
                    uploads.add(new Upload(exchange.getRequestURI().getPath(), exchange.getRequestURI().getRawQuery(),
                            Map.copyOf(exchange.getRequestHeaders()), body));
                }
                onUpload.accept("upload:" + exchange.getRequestURI().getPath());
                exchange.sendResponseHeaders(status, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    void answer(int status) {
        this.status = status;
    }

    String uri(String name) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + name + "?sv=2021&sig=secretsig";
    }

    List<Upload> uploads() {
        synchronized (uploads) {
            return List.copyOf(uploads);
        }
    }

    List<Upload> uploads(String path) {
        return uploads().stream().filter(u -> u.path().equals(path)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
