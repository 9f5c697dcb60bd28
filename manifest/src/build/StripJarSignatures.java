import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Build step of the package (run with {@code java StripJarSignatures.java <lib dir>}): rewrites every
 * signed jar in the directory without its signature files and without the per-entry digest sections
 * of its manifest.
 *
 * <p>Why: the handler is a fresh JVM per agent command, and a signed jar costs that JVM twice. Each
 * class loaded from it is verified against the signature (BouncyCastle: about 90 ms for the classes a
 * CMS decryption touches, and another 10 ms to parse its 850 KB manifest of entry digests), and
 * class data sharing refuses classes from signed jars altogether ("Skipping ...: Signed JAR"). The
 * signature protects nothing here: the runtime accepts an unsigned jar just as well, so whoever could
 * swap the jar could strip it too; the package as a whole is what the agent downloads and checks.
 *
 * <p>The same rewrite drops {@code META-INF/services/java.security.Provider} (BouncyCastle's
 * provider registration): the handler uses BouncyCastle's CMS and PEM parsers with the JDK's own
 * ciphers, but with the registration on the class path the JDK's TLS set-up (every HTTPS client the
 * worker builds) instantiates BouncyCastle's provider while it surveys the providers — 600 classes
 * and over 100 ms of a backup's start.
 *
 * <p>Unsigned jars (ours, whose digests the plugin host integrity check records) are left untouched,
 * byte for byte. Entry order, names and times are kept, so the output is as reproducible as the input.
 */
public final class StripJarSignatures {
    private static final String PROVIDER_REGISTRATION = "META-INF/services/java.security.Provider";
    private StripJarSignatures() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: java StripJarSignatures.java <directory of jars>");
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of(args[0]), "*.jar")) {
            for (Path jar : jars) {
                if (isSigned(jar)) {
                    strip(jar);
                    System.out.println("stripped signature: " + jar.getFileName());
                }
            }
        }
    }

    private static boolean isSigned(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.stream().map(ZipEntry::getName).anyMatch(StripJarSignatures::isSignatureFile);
        }
    }

    private static boolean isSignatureFile(String name) {
        if (!name.startsWith("META-INF/") || name.indexOf('/', "META-INF/".length()) >= 0) {
            return false;
        }
        return name.endsWith(".SF") || name.endsWith(".RSA") || name.endsWith(".DSA") || name.endsWith(".EC");
    }

    private static void strip(Path jar) throws IOException {
        Path rewritten = jar.resolveSibling(jar.getFileName() + ".unsigned");
        try (ZipFile in = new ZipFile(jar.toFile());
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(rewritten))) {
            for (ZipEntry entry : Collections.list(in.entries())) {
                if (isSignatureFile(entry.getName()) || entry.getName().equals(PROVIDER_REGISTRATION)) {
                    continue;
                }
                ZipEntry copy = new ZipEntry(entry.getName());
                copy.setTime(entry.getTime());
                out.putNextEntry(copy);
                if (entry.getName().equals(JarFile.MANIFEST_NAME)) {
                    mainSectionOnly(in, entry).write(out);
                } else {
                    try (InputStream data = in.getInputStream(entry)) {
                        data.transferTo(out);
                    }
                }
                out.closeEntry();
            }
        }
        Files.move(rewritten, jar, StandardCopyOption.REPLACE_EXISTING);
    }

    private static Manifest mainSectionOnly(ZipFile jar, ZipEntry manifestEntry) throws IOException {
        try (InputStream data = jar.getInputStream(manifestEntry)) {
            Manifest original = new Manifest(data);
            Manifest main = new Manifest();
            main.getMainAttributes().putAll((Attributes) original.getMainAttributes().clone());
            return main;
        }
    }
}
