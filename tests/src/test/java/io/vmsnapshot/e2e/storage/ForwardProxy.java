package io.vmsnapshot.e2e.storage;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A company's forward proxy on 127.0.0.1, as a VM with proxy-only egress has one: {@code CONNECT
 * host:port} opens a tunnel (bytes piped both ways, TLS end to end), an absolute-form request
 * ({@code PUT http://host:port/path HTTP/1.1}) is forwarded. With credentials it answers 407 with a
 * Basic challenge until a request brings them. Every request is recorded, so a test can tell which
 * calls took the proxy and which did not.
 */
public final class ForwardProxy implements AutoCloseable {
    /**
     * @param target     {@code host:port} of a CONNECT, or the absolute URL of a forwarded request
     * @param authorized it carried the right credentials (always true without any required)
     */
    public record Request(String method, String target, boolean authorized) {
        /** The target's port: a CONNECT's, or the absolute URL's. */
        public int port() {
            if (method.equals("CONNECT")) {
                return Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
            }
            URI uri = URI.create(target);
            return uri.getPort() >= 0 ? uri.getPort() : 80;
        }
    }

    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final Optional<String> expectedAuthorization;
    private final HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "forward-proxy");
        t.setDaemon(true);
        return t;
    });
    private final List<Request> requests = new ArrayList<>();

    private ForwardProxy(Optional<String> userAndPassword) throws IOException {
        this.expectedAuthorization = userAndPassword.map(u -> "Basic "
                + Base64.getEncoder().encodeToString(u.getBytes(StandardCharsets.UTF_8)));
        threads.execute(() -> FaultProxy.acceptLoop(server, threads, this::serve));
    }

    public static ForwardProxy start() throws IOException {
        return new ForwardProxy(Optional.empty());
    }

    /** A proxy that wants {@code user:password} (Basic) on every request. */
    public static ForwardProxy requiring(String user, String password) throws IOException {
        return new ForwardProxy(Optional.of(user + ":" + password));
    }

    /** {@code http://127.0.0.1:<port>}, for http_proxy/https_proxy. */
    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    public int port() {
        return server.getLocalPort();
    }

    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    public synchronized void clear() {
        requests.clear();
    }

    private synchronized void record(Request request) {
        requests.add(request);
    }


    private void serve(Socket socket) {
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream()); OutputStream out = socket.getOutputStream()) {
            while (true) {
                String head = FaultProxy.readHead(in);
                if (head == null) {
                    return;
                }
                String[] lines = head.split("\r\n");
                String[] requestLine = lines[0].split(" ");
                Map<String, String> headers = FaultProxy.headers(lines);
                byte[] body = in.readNBytes(Integer.parseInt(FaultProxy.header(headers, "content-length", "0")));
                boolean authorized = expectedAuthorization.isEmpty()
                        || expectedAuthorization.get().equals(FaultProxy.header(headers, "proxy-authorization", ""));
                record(new Request(requestLine[0], requestLine[1], authorized));
                if (!authorized) {
                    FaultProxy.write(out, 407, Map.of("Proxy-Authenticate", "Basic realm=\"vmsnapshot-test\""), new byte[0]);
                    continue;
                }
                if (requestLine[0].equals("CONNECT")) {
                    tunnel(requestLine[1], in, out);
                    return;
                }
                forward(out, requestLine[0], URI.create(requestLine[1]), headers, body);
            }
        } catch (IOException e) {
            // The client went away; nothing to answer.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void tunnel(String authority, InputStream in, OutputStream out) throws IOException {
        int colon = authority.lastIndexOf(':');
        try (Socket upstream = new Socket(authority.substring(0, colon), Integer.parseInt(authority.substring(colon + 1)))) {
            out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            threads.execute(() -> pipe(in, upstream));
            try (InputStream fromUpstream = upstream.getInputStream()) {
                fromUpstream.transferTo(out);
            }
        }
    }

    private static void pipe(InputStream in, Socket upstream) {
        try {
            in.transferTo(upstream.getOutputStream());
            upstream.shutdownOutput();
        } catch (IOException e) {
            // Either side closed: the tunnel ends.
        }
    }

    private void forward(OutputStream out, String method, URI target, Map<String, String> headers, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach((k, v) -> {
            String name = k.toLowerCase(Locale.ROOT);
            if (!FaultProxy.NOT_FORWARDED.contains(name) && !name.startsWith("proxy-")) {
                request.header(k, v);
            }
        });
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        Map<String, String> responseHeaders = new LinkedHashMap<>();
        response.headers().map().forEach((k, v) -> {
            if (!k.startsWith(":") && !FaultProxy.NOT_FORWARDED.contains(k.toLowerCase(Locale.ROOT))) {
                responseHeaders.put(k, String.join(",", v));
            }
        });
        FaultProxy.write(out, response.statusCode(), responseHeaders, response.body());
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
