package io.vmsnapshot.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The VM's own CA store: where TLS-inspecting firewalls' roots and a CA rotation land
 * ({@code update-ca-trust}, {@code update-ca-certificates}). The first of the distributions' places
 * that holds certificates is used: RHEL-like {@code /etc/pki/ca-trust/extracted/java/cacerts} and
 * {@code /etc/pki/tls/certs/ca-bundle.crt}, Debian-like {@code /etc/ssl/certs/ca-certificates.crt},
 * SUSE {@code /var/lib/ca-certificates/ca-bundle.pem}. {@code VMSNAPSHOT_CA_BUNDLE} names the one
 * file to use instead (empty: none). A file that someone other than root (or the handler's own
 * user) owns or that group or others may write is not trusted: whoever can write it could make
 * the handler trust their own storage endpoint.
 */
public final class CaStore {
    public static final String BUNDLE_VARIABLE = "VMSNAPSHOT_CA_BUNDLE";
    static final List<Path> STANDARD = List.of(
            Path.of("/etc/pki/ca-trust/extracted/java/cacerts"),
            Path.of("/etc/pki/tls/certs/ca-bundle.crt"),
            Path.of("/etc/ssl/certs/ca-certificates.crt"),
            Path.of("/var/lib/ca-certificates/ca-bundle.pem"),
            Path.of("/etc/ssl/ca-bundle.pem"));

    private final List<Path> candidates;
    private final int handlerUid;

    CaStore(List<Path> candidates, int handlerUid) {
        this.candidates = List.copyOf(candidates);
        this.handlerUid = handlerUid;
    }

    /** @param handlerUid the uid this process runs as (root in production) */
    public static CaStore from(Map<String, String> env, int handlerUid) {
        String bundle = env.get(BUNDLE_VARIABLE);
        if (bundle == null) {
            return new CaStore(STANDARD, handlerUid);
        }
        return new CaStore(bundle.isBlank() ? List.of() : List.of(Path.of(bundle)), handlerUid);
    }

    /**
     * What the store holds.
     *
     * @param path     the file used; empty when none holds certificates
     * @param problems candidates that exist but were passed over, and why
     */
    public record Contents(Optional<Path> path, List<X509Certificate> certificates, List<String> problems) {
        public Contents {
            certificates = List.copyOf(certificates);
            problems = List.copyOf(problems);
        }

        public String describe() {
            return path.map(p -> p + " (" + certificates.size() + " certificates)").orElse("none");
        }
    }

    /** Reads the first candidate that holds certificates; parses only that one. */
    public Contents read() {
        List<String> problems = new ArrayList<>();
        for (Path candidate : candidates) {
            if (!Files.exists(candidate)) {
                continue;
            }
            Optional<String> unsafe = unsafe(candidate);
            if (unsafe.isPresent()) {
                problems.add(candidate + " is not used: " + unsafe.get());
                continue;
            }
            try {
                List<X509Certificate> certificates = CaBundleReader.read(candidate, problems);
                if (!certificates.isEmpty()) {
                    return new Contents(Optional.of(candidate), certificates, problems);
                }
                problems.add(candidate + " holds no certificate");
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                problems.add(candidate + " is unreadable: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : " " + e.getMessage()));
            }
        }
        return new Contents(Optional.empty(), List.of(), problems);
    }

    /** Distributions link these names into their extracted stores: the link is expected, its target is checked. */
    private Optional<String> unsafe(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.of("not a regular file");
            }
            Map<String, Object> attributes = Files.readAttributes(file, "unix:uid,mode");
            int uid = (Integer) attributes.get("uid");
            int mode = (Integer) attributes.get("mode");
            if (uid != 0 && uid != handlerUid) {
                return Optional.of("owned by uid " + uid + ", not root");
            }
            if ((mode & 0022) != 0) {
                return Optional.of("writable by group or others (mode " + Integer.toOctalString(mode & 07777) + ")");
            }
            return Optional.empty();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return Optional.of("its owner cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }
}
