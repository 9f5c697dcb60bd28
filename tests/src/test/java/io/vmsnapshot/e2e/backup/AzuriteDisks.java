package io.vmsnapshot.e2e.backup;

import io.vmsnapshot.e2e.storage.Azurite;
import io.vmsnapshot.e2e.storage.BlobSnapshot;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * A VM's disks as the Backup service sees them, in the shared Azurite: one container per test with
 * a page blob per disk (OS first, then one per data LUN), each with a page written, and block blobs
 * for the status and logs documents; every URI the extension gets is a SAS URI.
 */
final class AzuriteDisks {
    private static final long DISK_BYTES = 64 * 1024;
    private static final Duration SAS_LIFETIME = Duration.ofHours(2);

    private final Azurite azurite;
    private final String container;
    private final List<String> blobs;

    private AzuriteDisks(Azurite azurite, String container, List<String> blobs) {
        this.azurite = azurite;
        this.container = container;
        this.blobs = List.copyOf(blobs);
    }

    /** The OS disk and {@code dataDisks} data disks (LUN 0, 1, ...). */
    static AzuriteDisks create(int dataDisks) {
        Azurite azurite = Azurite.shared();
        String container = "vm-" + UUID.randomUUID().toString().substring(0, 12);
        azurite.createContainer(container);
        List<String> blobs = new ArrayList<>();
        blobs.add("os.vhd");
        for (int lun = 0; lun < dataDisks; lun++) {
            blobs.add("lun" + lun + ".vhd");
        }
        byte[] page = new byte[512];
        for (int i = 0; i < blobs.size(); i++) {
            azurite.createPageBlob(container, blobs.get(i), DISK_BYTES);
            Arrays.fill(page, (byte) (i + 1));
            azurite.writePages(container, blobs.get(i), 0, page);
        }
        return new AzuriteDisks(azurite, container, blobs);
    }

    Azurite azurite() {
        return azurite;
    }

    String container() {
        return container;
    }

    List<String> blobs() {
        return blobs;
    }

    String blobUrl(String blob) {
        return azurite.blobUrl(container, blob);
    }

    /** The per-disk SAS URIs (protected objectStr.blobSASUri), in disk order. */
    List<String> sasUris() {
        return sasUris(UnaryOperator.identity());
    }

    /** The SAS URIs, each passed through {@code route} (e.g. a FaultProxy's {@code via}). */
    List<String> sasUris(UnaryOperator<String> route) {
        return blobs.stream().map(b -> route.apply(azurite.blobSasUri(container, b, "rw", Instant.now().plus(SAS_LIFETIME))))
                .toList();
    }

    String statusBlobSasUri() {
        return azurite.blobSasUri(container, "status.json", "rcw", Instant.now().plus(SAS_LIFETIME));
    }

    String logsBlobSasUri() {
        return azurite.blobSasUri(container, "logs.txt", "rcw", Instant.now().plus(SAS_LIFETIME));
    }

    String statusDocument() {
        return new String(azurite.readBlob(container, "status.json", null), StandardCharsets.UTF_8);
    }

    String logsDocument() {
        return new String(azurite.readBlob(container, "logs.txt", null), StandardCharsets.UTF_8);
    }

    List<BlobSnapshot> snapshots(String blob) {
        return azurite.listSnapshots(container, blob);
    }

    /** Deletes a disk's blob, as when a disk was removed from the VM after the service sent its URI. */
    void delete(String blob) {
        azurite.deleteBlob(container, blob);
    }

    /** The signature of each SAS URI, as sent (URL-encoded) and decoded: what must never be shown anywhere. */
    static List<String> signatures(List<String> sasUris) {
        List<String> secrets = new ArrayList<>();
        for (String uri : sasUris) {
            int query = uri.indexOf('?');
            for (String parameter : uri.substring(query + 1).split("&")) {
                if (parameter.startsWith("sig=")) {
                    String raw = parameter.substring(4);
                    secrets.add(raw);
                    secrets.add(URLDecoder.decode(raw, StandardCharsets.UTF_8));
                }
            }
        }
        return secrets;
    }
}
