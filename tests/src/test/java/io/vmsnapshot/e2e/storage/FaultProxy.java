package io.vmsnapshot.e2e.storage;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
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
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A small HTTP/1.1 proxy on 127.0.0.1 in front of Azurite that injects what Azurite never
 * produces: throttling (503/429), storage's snapshot limit and rate errors (409 with storage's
 * own XML), connection resets and delays - for chosen requests, in order, then passes the rest
 * through untouched. Every request is recorded. {@link #startTls} makes it a TLS endpoint in front of
 * Azurite (which the tests run on plain http), with a certificate of the test's own CA.
 */
public final class FaultProxy implements AutoCloseable {
    /** What to do with one request. */
    public sealed interface Fault permits Respond, Reset, Delay, Pass {
    }

    public record Respond(int status, String body, Map<String, String> headers) implements Fault {
    }

    /** Closes the connection with a TCP reset before answering. */
    public record Reset() implements Fault {
    }

    /** Waits, then forwards. */
    public record Delay(Duration delay) implements Fault {
    }

    public record Pass() implements Fault {
    }

    /** One request as the proxy saw it. */
    public record Request(String method, String pathAndQuery, Map<String, String> headers, Fault applied) {
        public boolean isSnapshot() {
            return method.equals("PUT") && pathAndQuery.contains("comp=snapshot");
        }
    }

    public static Fault respond(int status, String body) {
        return new Respond(status, body, Map.of("Content-Type", "application/xml"));
    }

    public static Fault serverBusy() {
        return new Respond(503, storageError("ServerBusy", "The server is currently unable to receive requests. Please retry your request."),
                Map.of("x-ms-error-code", "ServerBusy"));
    }

    public static Fault tooManyRequests() {
        return new Respond(429, "", Map.of());
    }

    public static Fault snapshotCountExceeded() {
        return new Respond(409, storageError("SnapshotCountExceeded", "The snapshot count against this blob has been exceeded."),
                Map.of("x-ms-error-code", "SnapshotCountExceeded"));
    }

    public static Fault snapshotRateExceeded() {
        return new Respond(409, storageError("SnapshotOperationRateExceeded", "The rate of snapshot blob calls is exceeded."),
                Map.of("x-ms-error-code", "SnapshotOperationRateExceeded"));
    }

    public static Fault reset() {
        return new Reset();
    }

    public static Fault delay(Duration delay) {
        return new Delay(delay);
    }

    private static String storageError(String code, String message) {
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>" + code + "</Code><Message>" + message
                + "\nRequestId:00000000-0000-0000-0000-000000000000\nTime:2026-08-06T10:00:00.0000000Z</Message></Error>";
    }

    private record Rule(Predicate<Request> matches, Deque<Fault> faults, Fault forever) {
    }

    static final Set<String> NOT_FORWARDED = Set.of("host", "content-length", "connection", "expect", "upgrade",
            "transfer-encoding", "keep-alive", "proxy-connection");

    private final URI target;
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fault-proxy");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Rule> rules = new ArrayList<>();
    private final List<Request> requests = new ArrayList<>();

    private final String scheme;

    private FaultProxy(URI target, ServerSocket server, String scheme) {
        this.target = target;
        this.server = server;
        this.scheme = scheme;
        threads.execute(() -> acceptLoop(server, threads, this::serve));
    }

    /** @param target e.g. {@code http://127.0.0.1:<azurite port>} (any path is ignored) */
    public static FaultProxy start(URI target) throws IOException {
        return new FaultProxy(URI.create(target.getScheme() + "://" + target.getAuthority()),
                new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), "http");
    }

    /** The same, answering https with the certificate of {@code tls} (e.g. {@code TestCa.serverContext()}). */
    public static FaultProxy startTls(URI target, javax.net.ssl.SSLContext tls) throws IOException {
        return new FaultProxy(URI.create(target.getScheme() + "://" + target.getAuthority()),
                tls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress()), "https");
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The same URL, through the proxy: same path and query (a SAS stays valid), other port (and scheme). */
    public String via(String url) {
        URI uri = URI.create(url);
        return scheme + "://127.0.0.1:" + port() + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    /** The next requests matching {@code which} get these faults, one each, in order. */
    public synchronized void next(Predicate<Request> which, Fault... faults) {
        rules.add(new Rule(which, new ArrayDeque<>(List.of(faults)), null));
    }

    /** Every request matching {@code which} gets this fault, until {@link #clear()}. */
    public synchronized void always(Predicate<Request> which, Fault fault) {
        rules.add(new Rule(which, new ArrayDeque<>(), fault));
    }

    public synchronized void clear() {
        rules.clear();
    }

    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    private synchronized Fault choose(Request request) {
        for (Rule rule : rules) {
            if (!rule.matches().test(request)) {
                continue;
            }
            if (rule.forever() != null) {
                return rule.forever();
            }
            if (!rule.faults().isEmpty()) {
                return rule.faults().poll();
            }
        }
        return new Pass();
    }

    private synchronized void record(Request request) {
        requests.add(request);
    }

    /** Serves each connection on its own thread of {@code threads} until the server is closed; both proxies use it. */
    static void acceptLoop(ServerSocket server, ExecutorService threads, Consumer<Socket> serve) {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                threads.execute(() -> serve.accept(socket));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream()); OutputStream out = socket.getOutputStream()) {
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                String[] lines = head.split("\r\n");
                String[] requestLine = lines[0].split(" ");
                Map<String, String> headers = headers(lines);
                int length = Integer.parseInt(header(headers, "content-length", "0"));
                byte[] body = in.readNBytes(length);
                Request probe = new Request(requestLine[0], requestLine[1], Map.copyOf(headers), null);
                Fault fault = choose(probe);
                record(new Request(probe.method(), probe.pathAndQuery(), probe.headers(), fault));
                if (fault instanceof Reset) {
                    socket.setSoLinger(true, 0);
                    return;
                }
                if (fault instanceof Delay d) {
                    Thread.sleep(d.delay().toMillis());
                }
                if (fault instanceof Respond r) {
                    write(out, r.status(), r.headers(), r.body().getBytes(StandardCharsets.UTF_8));
                } else {
                    forward(out, requestLine[0], requestLine[1], headers, body);
                }
            }
        } catch (IOException e) {
            // The client went away; nothing to answer.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void forward(OutputStream out, String method, String pathAndQuery, Map<String, String> headers, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + pathAndQuery))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach((k, v) -> {
            if (!NOT_FORWARDED.contains(k.toLowerCase(Locale.ROOT))) {
                request.header(k, v);
            }
        });
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        Map<String, String> responseHeaders = new LinkedHashMap<>();
        response.headers().map().forEach((k, v) -> {
            if (!k.startsWith(":") && !NOT_FORWARDED.contains(k.toLowerCase(Locale.ROOT))) {
                responseHeaders.put(k, String.join(",", v));
            }
        });
        write(out, response.statusCode(), responseHeaders, response.body());
    }

    static void write(OutputStream out, int status, Map<String, String> headers, byte[] body) throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(status < 400 ? "OK" : "Error").append("\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    /** The request line and headers, or null at a clean end of the connection. */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                String text = head.toString(StandardCharsets.ISO_8859_1);
                return text.substring(0, text.length() - 4);
            }
        }
        return null;
    }

    /** The header fields of a request head split into lines (the request line first), in their order. */
    static Map<String, String> headers(String[] lines) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
            }
        }
        return headers;
    }

    static String header(Map<String, String> headers, String name, String otherwise) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(otherwise);
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
