package io.vmsnapshot.e2e.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * A real Azurite blob service on 127.0.0.1, one per test JVM: started on first use (about a
 * second once installed), stopped by a shutdown hook. Tests share it and keep apart by using
 * their own container names. Helpers cover what the snapshot tests need to arrange and check:
 * containers, page blobs (the VM's disks), pages, SAS URIs, snapshots, contents.
 */
public final class Azurite {
    private static final Pattern LISTENING = Pattern.compile("successfully listens on http://127\\.0\\.0\\.1:(\\d+)");
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

    /** The one instance of this JVM, or why it could not start; built on first use. */
    private static final class Shared {
        private static final Azurite INSTANCE;
        private static final RuntimeException FAILURE;

        static {
            Azurite started = null;
            RuntimeException failure = null;
            try {
                started = start(new AzuriteInstaller(AzuriteInstaller.defaultHome()));
            } catch (IOException e) {
                failure = new IllegalStateException("Azurite did not start: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = new IllegalStateException("interrupted while starting Azurite", e);
            }
            INSTANCE = started;
            FAILURE = failure;
        }
    }

    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String accountSas = DevStoreSas.accountSas("rwdlacup", Instant.now().plus(Duration.ofDays(2)));

    private Azurite(int port) {
        this.port = port;
    }

    /** The shared instance, started on first call. */
    public static Azurite shared() {
        if (Shared.FAILURE != null) {
            throw new IllegalStateException(Shared.FAILURE.getMessage(), Shared.FAILURE);
        }
        return Shared.INSTANCE;
    }

    private static Azurite start(AzuriteInstaller installer) throws IOException, InterruptedException {
        Path launcher = installer.blobLauncher();
        Path location = Files.createTempDirectory("azurite-");
        Path log = location.resolve("azurite.out");
        Process process = new ProcessBuilder(List.of(launcher.toString(), "--blobHost", "127.0.0.1", "--blobPort", "0",
                "--location", location.toString(), "--silent", "--skipApiVersionCheck", "--loose"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(process, location), "azurite-stop"));
        int port = awaitPort(process, log);
        Azurite azurite = new Azurite(port);
        azurite.awaitAnswer();
        return azurite;
    }

    /** Port 0 lets the OS pick a free port; Azurite prints the one it got. */
    private static int awaitPort(Process process, Path log) throws IOException, InterruptedException {
        long end = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < end) {
            String out = Files.readString(log, StandardCharsets.UTF_8);
            Matcher m = LISTENING.matcher(out);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            if (!process.isAlive()) {
                throw new IOException("azurite-blob exited " + process.exitValue() + ":\n" + out);
            }
            Thread.sleep(25);
        }
        process.destroyForcibly();
        throw new IOException("azurite-blob did not listen within " + STARTUP_TIMEOUT + ":\n" + Files.readString(log, StandardCharsets.UTF_8));
    }

    private void awaitAnswer() throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(account("comp=list")).GET());
        if (response.statusCode() != 200) {
            throw new IOException("Azurite answered " + response.statusCode() + " to List Containers: " + response.body());
        }
    }

    private static void stop(Process process, Path location) {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            AzuriteInstaller.deleteTree(location);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The JVM is exiting; a leftover temp directory is all that is lost.
        }
    }

    /** {@code http://127.0.0.1:<port>/devstoreaccount1} */
    public URI blobEndpoint() {
        return URI.create("http://127.0.0.1:" + port + "/" + DevStoreSas.ACCOUNT);
    }

    public int port() {
        return port;
    }

    /** The blob's URL without any query. */
    public String blobUrl(String container, String blob) {
        return blobEndpoint() + "/" + container + "/" + blob;
    }

    /** A service SAS URI for one blob, as the Backup service hands them to the extension. */
    public String blobSasUri(String container, String blob, String permissions, Instant expiry) {
        return blobUrl(container, blob) + "?" + DevStoreSas.blobSas(container, blob, permissions, expiry);
    }

    /** An account SAS query string (no leading '?'). */
    public String accountSas(String permissions, Instant expiry) {
        return DevStoreSas.accountSas(permissions, expiry);
    }

    /** Creates the container; an existing one is fine. */
    public void createContainer(String container) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(resource(container, null, "restype=container"))
                .PUT(HttpRequest.BodyPublishers.noBody()));
        expect(r, "Create Container " + container, 201, 409);
    }

    /** Creates an empty (zeroed) page blob; {@code sizeBytes} must be a multiple of 512. */
    public void createPageBlob(String container, String blob, long sizeBytes) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(resource(container, blob, null))
                .header("x-ms-blob-type", "PageBlob")
                .header("x-ms-blob-content-length", Long.toString(sizeBytes))
                .PUT(HttpRequest.BodyPublishers.noBody()));
        expect(r, "Put Blob " + container + "/" + blob, 201);
    }

    /** Writes pages at a 512-aligned offset; {@code data.length} must be a multiple of 512. */
    public void writePages(String container, String blob, long offset, byte[] data) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(resource(container, blob, "comp=page"))
                .header("x-ms-page-write", "update")
                .header("x-ms-range", "bytes=" + offset + "-" + (offset + data.length - 1))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)));
        expect(r, "Put Page " + container + "/" + blob, 201);
    }

    /** Deletes a blob with its snapshots: a disk that vanished after the service named it. */
    public void deleteBlob(String container, String blob) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(resource(container, blob, null))
                .header("x-ms-delete-snapshots", "include").DELETE());
        expect(r, "Delete Blob " + container + "/" + blob, 202);
    }

    /** The blob's (or, with a timestamp, its snapshot's) content. */
    public byte[] readBlob(String container, String blob, String snapshotOrNull) {
        String query = snapshotOrNull == null ? null : "snapshot=" + java.net.URLEncoder.encode(snapshotOrNull, StandardCharsets.UTF_8);
        HttpResponse<byte[]> r;
        try {
            r = http.send(HttpRequest.newBuilder(resource(container, blob, query)).header("x-ms-version", DevStoreSas.VERSION)
                    .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (r.statusCode() != 200) {
            throw new IllegalStateException("Get Blob " + container + "/" + blob + " answered " + r.statusCode());
        }
        return r.body();
    }

    /** The blob's snapshots, oldest first, with their metadata. */
    public List<BlobSnapshot> listSnapshots(String container, String blob) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(resource(container, null,
                "restype=container&comp=list&include=snapshots,metadata&prefix=" + java.net.URLEncoder.encode(blob, StandardCharsets.UTF_8))).GET());
        expect(r, "List Blobs " + container, 200);
        List<BlobSnapshot> snapshots = new ArrayList<>();
        for (Element entry : elements(parse(r.body()).getDocumentElement(), "Blob")) {
            String name = text(entry, "Name");
            String snapshot = text(entry, "Snapshot");
            if (!blob.equals(name) || snapshot == null) {
                continue;
            }
            Map<String, String> metadata = new LinkedHashMap<>();
            NodeList metaElements = entry.getElementsByTagName("Metadata");
            if (metaElements.getLength() > 0) {
                NodeList children = metaElements.item(0).getChildNodes();
                for (int i = 0; i < children.getLength(); i++) {
                    Node child = children.item(i);
                    if (child instanceof Element e) {
                        metadata.put(e.getTagName(), e.getTextContent());
                    }
                }
            }
            snapshots.add(new BlobSnapshot(snapshot, metadata));
        }
        return snapshots;
    }

    private URI account(String query) {
        return URI.create(blobEndpoint() + "/?" + query + "&" + accountSas);
    }

    private URI resource(String container, String blob, String query) {
        return URI.create(blobEndpoint() + "/" + container + (blob == null ? "" : "/" + blob) + "?"
                + (query == null ? "" : query + "&") + accountSas);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.header("x-ms-version", DevStoreSas.VERSION).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("Azurite on port " + port + " did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void expect(HttpResponse<String> response, String what, int... statuses) {
        for (int status : statuses) {
            if (response.statusCode() == status) {
                return;
            }
        }
        throw new IllegalStateException(what + " answered " + response.statusCode() + ": " + response.body());
    }

    private static Document parse(String xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            String body = xml.startsWith("\uFEFF") ? xml.substring(1) : xml;
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException("unreadable XML from Azurite: " + xml, e);
        }
    }

    private static List<Element> elements(Element root, String tag) {
        NodeList nodes = root.getElementsByTagName(tag);
        List<Element> result = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            result.add((Element) nodes.item(i));
        }
        return result;
    }

    private static String text(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
    }
}
