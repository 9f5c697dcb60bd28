package io.vmsnapshot.settings;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.testing.Fuzz;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import org.bouncycastle.cms.CMSAlgorithm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile settings files (issue 7 §6): every input either reads into settings whose every accessor
 * works, or is refused with a {@link HandlerException} of a settings code naming the problem —
 * never another exception, which would reach the agent as a stack trace.
 */
class SettingsReaderFuzzTest {
    private static final TestCertificate TENANT = TestCertificate.generate("fuzz-tenant");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<ErrorCode> SETTINGS_CODES = Set.of(ErrorCode.SETTINGS_INVALID,
            ErrorCode.PROTECTED_SETTINGS_DECRYPT_FAILED);

    @TempDir
    static Path dir;
    private static Path libDir;
    private static SettingsReader reader;
    private static String validProtected;

    @BeforeAll
    static void layOut() throws Exception {
        libDir = Files.createDirectory(dir.resolve("lib"));
        TENANT.writeAgentFiles(libDir);
        reader = new SettingsReader(libDir);
        validProtected = TENANT.encrypt(protectedSettings().toString(), CMSAlgorithm.AES256_CBC);
    }

    @Test
    void read_mutatedSettingsTree_readsOrRefusesWithASettingsError() {
        Path file = dir.resolve("tree.settings");
        Fuzz.run("SettingsReader.tree", 1, Fuzz.iterations(3000), (random, i) -> {
            JsonNode mutated = Fuzz.mutateTree(random, settings(publicSettings(), random.nextInt(4) == 0 ? validProtected : null));
            readChecked(file, JSON.writeValueAsBytes(mutated));
        }, ExpectedRefusal.class);
    }

    @Test
    void read_damagedBytes_readsOrRefusesWithASettingsError() {
        Path file = dir.resolve("bytes.settings");
        Fuzz.run("SettingsReader.bytes", 2, Fuzz.iterations(3000), (random, i) -> {
            byte[] valid = JSON.writeValueAsBytes(settings(publicSettings(), null));
            readChecked(file, Fuzz.mutateBytes(random, valid));
        }, ExpectedRefusal.class);
    }

    @Test
    void read_hostilePublicObjectStr_readsOrRefusesWithASettingsError() {
        Path file = dir.resolve("objectstr.settings");
        Fuzz.run("SettingsReader.objectStr", 3, Fuzz.iterations(3000), (random, i) -> {
            ObjectNode pub = publicSettings();
            pub.put("objectStr", hostileObjectStr(random));
            readChecked(file, JSON.writeValueAsBytes(settings(pub, null)));
        }, ExpectedRefusal.class);
    }

    @Test
    void read_hostileCustomSettings_readsOrRefusesWithASettingsError() {
        Path file = dir.resolve("custom.settings");
        Fuzz.run("SettingsReader.customSettings", 4, Fuzz.iterations(2000), (random, i) -> {
            ObjectNode pub = publicSettings();
            JsonNode custom = Fuzz.mutateTree(random, JSON.readTree("{\"takeSnapshotFrom\":\"onlyGuest\","
                    + "\"isManagedVm\":true,\"canTakeCrashConsistentSnapshot\":\"True\",\"backupRetryCount\":2,"
                    + "\"backupTaskId\":\"bt\",\"waDiskLunList\":[3]}"));
            pub.put("customSettings", random.nextBoolean() ? custom.toString()
                    : new String(Fuzz.mutateBytes(random, custom.toString().getBytes(StandardCharsets.UTF_8)),
                            StandardCharsets.UTF_8));
            readChecked(file, JSON.writeValueAsBytes(settings(pub, null)));
        }, ExpectedRefusal.class);
    }

    /** Damaged ciphertext and decrypted texts that are not the expected JSON. */
    @Test
    void read_hostileProtectedSettings_readsOrRefusesWithASettingsError() {
        Path file = dir.resolve("protected.settings");
        byte[] der = Base64.getDecoder().decode(validProtected);
        Fuzz.run("SettingsReader.protectedSettings", 5, Fuzz.iterations(600), (random, i) -> {
            String encrypted = switch (random.nextInt(4)) {
                case 0 -> Base64.getEncoder().encodeToString(Fuzz.mutateBytes(random, der));
                case 1 -> Fuzz.hostileString(random);
                case 2 -> TENANT.encrypt(Fuzz.mutateTree(random, protectedSettings()).toString(), CMSAlgorithm.AES256_CBC);
                default -> TENANT.encrypt(new String(Fuzz.mutateBytes(random,
                        protectedSettings().toString().getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8),
                        CMSAlgorithm.DES_EDE3_CBC);
            };
            readChecked(file, JSON.writeValueAsBytes(settings(publicSettings(), encrypted)));
        }, ExpectedRefusal.class);
    }

    /** A refusal with one of the settings codes and a detail; anything else is rethrown as unhandled. */
    private static final class ExpectedRefusal extends Exception {
        private static final long serialVersionUID = 1L;
    }

    private static void readChecked(Path file, byte[] content) throws Exception {
        Files.write(file, content);
        HandlerSettings settings;
        try {
            settings = reader.read(file);
        } catch (HandlerException e) {
            if (!SETTINGS_CODES.contains(e.errorCode()) || e.detail().isBlank()) {
                throw new AssertionError("unexpected refusal " + e.errorCode() + ": " + e.detail());
            }
            throw new ExpectedRefusal();
        }
        useEveryAccessor(settings);
    }

    /** What enable, the worker and the backup read from accepted settings: none of it may throw. */
    private static void useEveryAccessor(HandlerSettings settings) throws HandlerException {
        assertNotNull(settings.toString());
        settings.customSettings();
        settings.statusBlobUri();
        settings.logsBlobUri();
        settings.snapshotTaskToken();
        settings.blobSasUris().forEach(Objects::requireNonNull);
        PublicObject object = settings.publicSettings().objectStr();
        object.includedDisks().includeLunList();
        object.includedDisks().instantAccessDurationMinutes().ifPresent(minutes -> {
            if (minutes < 0) {
                throw new AssertionError("accepted a negative instantAccessDurationMinutes: " + minutes
                        + " (the snapshot request refuses it with an IllegalArgumentException mid-backup)");
            }
        });
        object.backupMetadata().forEach(kv -> assertNotNull(kv.value()));
    }

    private static String hostileObjectStr(Random random) throws Exception {
        JsonNode inner = Fuzz.mutateTree(random, publicObject());
        byte[] text = random.nextBoolean() ? JSON.writeValueAsBytes(inner)
                : Fuzz.mutateBytes(random, JSON.writeValueAsBytes(publicObject()));
        return switch (random.nextInt(6)) {
            case 0 -> Fuzz.hostileString(random);
            case 1 -> Base64.getEncoder().encodeToString(text).replace('=', random.nextBoolean() ? '-' : '=')
                    + (random.nextBoolean() ? "\n" : " ");
            case 2 -> Base64.getMimeEncoder().encodeToString(("'" + new String(text, StandardCharsets.ISO_8859_1) + "'")
                    .getBytes(StandardCharsets.ISO_8859_1));
            case 3 -> Base64.getUrlEncoder().encodeToString(text);
            default -> Base64.getEncoder().encodeToString(text);
        };
    }

    private static JsonNode publicObject() throws Exception {
        return JSON.readTree("{\"backupMetadata\":[{\"Key\":\"BackupId\",\"Value\":\"b1\"}],\"snapshotTaskToken\":\"t\","
                + "\"includedDisks\":{\"dataDiskLunList\":[0,1],\"isOSDiskIncluded\":true,\"isVMADEEnabled\":false,"
                + "\"instantAccessDurationMinutes\":120},\"dynamicConfigsFromCRP\":[{\"Key\":\"isSnapshotTtlEnabled\","
                + "\"Value\":\"true\"}]}");
    }

    private static ObjectNode publicSettings() throws Exception {
        ObjectNode pub = JSON.createObjectNode();
        pub.put("commandToExecute", "snapshot");
        pub.put("taskId", "task-1");
        pub.put("locale", "en-us");
        pub.put("logsBlobUri", "");
        pub.put("statusBlobUri", "https://acct.blob.core.windows.net/c/status?sv=1&sig=PUBSIG");
        pub.put("commandStartTimeUTCTicks", "639000000000000000");
        pub.put("vmType", "microsoft.compute/virtualmachines");
        pub.put("objectStr", Base64.getEncoder().encodeToString(JSON.writeValueAsBytes(publicObject())));
        return pub;
    }

    private static ObjectNode protectedSettings() {
        ObjectNode prot = JSON.createObjectNode();
        prot.put("objectStr", Base64.getEncoder().encodeToString(
                "{\"blobSASUri\":[\"https://acct.blob.core.windows.net/vhds/os.vhd?sv=1&sig=DISK1\"]}"
                        .getBytes(StandardCharsets.US_ASCII)));
        prot.put("snapshotTaskToken", "TOKEN");
        return prot;
    }

    private static ObjectNode settings(ObjectNode pub, String protectedBase64) {
        ObjectNode handlerSettings = JSON.createObjectNode();
        handlerSettings.set("publicSettings", pub);
        handlerSettings.put("protectedSettings", protectedBase64);
        handlerSettings.put("protectedSettingsCertThumbprint", protectedBase64 == null ? null : TENANT.thumbprint);
        ObjectNode root = JSON.createObjectNode();
        root.putArray("runtimeSettings").addObject().set("handlerSettings", handlerSettings);
        return root;
    }
}
