package io.vmsnapshot;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The blob storage of the start-up training's backup: a loopback HTTP/1.1 endpoint that answers
 * every request as storage answers the handler's (metadata reads 200, snapshots and uploads 201
 * with an {@code x-ms-snapshot} time), so that the training runs the worker's real requests
 * through the JDK's HTTP client without a network. The JDK in the package has no HTTP server.
 */
final class TrainingStorage implements AutoCloseable {
    private final ServerSocket server;

    private TrainingStorage(ServerSocket server) {
        this.server = server;
    }

    static TrainingStorage start() throws IOException {
        TrainingStorage storage = new TrainingStorage(new ServerSocket(0, 16, InetAddress.getLoopbackAddress()));
        Thread acceptor = new Thread(storage::serve, "training-storage");
        acceptor.setDaemon(true);
        acceptor.start();
        return storage;
    }

    /** A SAS URI of one blob of this endpoint. */
    String sasUri(String blob) {
        return "http://127.0.0.1:" + server.getLocalPort() + "/devstoreaccount1/training/" + blob
                + "?sv=2020-08-04&sr=b&sp=rw&sig=training";
    }

    private void serve() {
        while (!server.isClosed()) {
            try {
                Socket connection = server.accept();
                Thread thread = new Thread(() -> answer(connection), "training-storage-connection");
                thread.setDaemon(true);
                thread.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** Keep-alive: every request of the connection, until the client closes it. */
    private static void answer(Socket connection) {
        try (connection; InputStream in = new BufferedInputStream(connection.getInputStream());
             OutputStream out = connection.getOutputStream()) {
            while (true) {
                String head = readHead(in);
                if (head.isEmpty()) {
                    return;
                }
                in.readNBytes(contentLength(head));
                int status = head.startsWith("GET ") || head.startsWith("HEAD ") ? 200 : 201;
                out.write(("HTTP/1.1 " + status + (status == 200 ? " OK" : " Created") + "\r\n"
                        + "Content-Length: 0\r\nx-ms-snapshot: 2026-01-01T00:00:00.0000000Z\r\n"
                        + "x-ms-request-id: training\r\nx-ms-version: 2020-08-04\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException e) {
            // The client went away: the training's requests are over.
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        for (int b = in.read(); b >= 0; b = in.read()) {
            head.write(b);
            matched = (b == '\r' || b == '\n') ? matched + 1 : 0;
            if (matched == 4) {
                break;
            }
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring("content-length:".length()).strip());
            }
        }
        return 0;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
