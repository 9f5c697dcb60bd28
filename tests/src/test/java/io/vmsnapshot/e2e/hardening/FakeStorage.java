package io.vmsnapshot.e2e.hardening;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback blob endpoint that answers every snapshot PUT with 201 and an {@code x-ms-snapshot}
 * timestamp, which is all the guest snapshot path reads; faults are put in front of it with the
 * storage tests' {@code FaultProxy}. (Azurite is not needed to test how faults are survived.)
 */
final class FakeStorage implements AutoCloseable {
    static {
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final AtomicInteger snapshots = new AtomicInteger();

    FakeStorage() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-storage");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
                if (exchange.getRequestURI().getQuery() != null
                        && exchange.getRequestURI().getQuery().contains("comp=snapshot")) {
                    snapshots.incrementAndGet();
                    exchange.getResponseHeaders().add("x-ms-snapshot", "2026-08-06T10:00:00.1234567Z");
                    exchange.sendResponseHeaders(201, -1);
                } else {
                    exchange.sendResponseHeaders(200, -1);
                }
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    int snapshots() {
        return snapshots.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
