package io.vmsnapshot.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Unguessable hex digits (process markers, names of script copies) straight from the kernel's
 * {@code /dev/urandom}: the same source the JDK's default SecureRandom reads, without its set-up of
 * the security providers, which costs a fresh JVM some 10 ms (enable never needs one otherwise).
 */
public final class RandomHex {
    private static final Path URANDOM = Path.of("/dev/urandom");

    private RandomHex() {
    }

    /** {@code 2 * bytes} lower-case hex digits. */
    public static String of(int bytes) {
        byte[] random = new byte[bytes];
        try (InputStream in = Files.newInputStream(URANDOM)) {
            if (in.readNBytes(random, 0, bytes) == bytes) {
                return HexFormat.of().formatHex(random);
            }
        } catch (IOException e) {
            // A sandbox without /dev: the JDK's generator finds another source.
        }
        Fallback.RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /** Created only when /dev/urandom cannot be read. */
    private static final class Fallback {
        static final SecureRandom RANDOM = new SecureRandom();
    }
}
