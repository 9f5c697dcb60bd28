package io.vmsnapshot.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.cms.CMSAlgorithm;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsReaderTest {
    private static final TestCertificate TENANT = TestCertificate.generate("tenant");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** As CRP sends it: quoted and with a trailing newline inside the base64 (upstream strips both). */
    private static final String PUBLIC_OBJECT = "'{\"backupMetadata\":[{\"Key\":\"BackupId\",\"Value\":\"b1\"},"
            + "{\"Key\":\"retention\",\"Value\":30}],\"snapshotTaskToken\":\"\","
            + "\"includedDisks\":{\"dataDiskLunList\":[0,1],\"isOSDiskIncluded\":true,\"isVMADEEnabled\":false,"
            + "\"instantAccessDurationMinutes\":120,\"isAnyWADiskIncluded\":\"True\"},"
            + "\"dynamicConfigsFromCRP\":[{\"Key\":\"isSnapshotTtlEnabled\",\"Value\":\"true\"}]}'\n";
    private static final String CUSTOM = "{\"takeSnapshotFrom\":\"onlyGuest\",\"isManagedVm\":true,"
            + "\"canTakeCrashConsistentSnapshot\":\"True\",\"backupRetryCount\":2,\"backupTaskId\":\"bt-9\","
            + "\"waDiskLunList\":[3]}";

    @TempDir
    Path dir;
    private Path libDir;
    private Path settingsFile;
    private SettingsReader reader;

    @BeforeEach
    void layOut() throws Exception {
        libDir = Files.createDirectory(dir.resolve("lib"));
        settingsFile = Files.createDirectory(dir.resolve("config")).resolve("3.settings");
        TENANT.writeAgentFiles(libDir);
        reader = new SettingsReader(libDir);
    }

    @Test
    void read_fullBackupRequest_decodesEveryFieldAndAppliesTheFallbacks() throws Exception {
        write(settings(publicSettings(), encrypt(protectedSettings()), TENANT.thumbprint));

        HandlerSettings settings = reader.read(settingsFile);

        PublicSettings pub = settings.publicSettings();
        assertEquals("snapshot", pub.commandToExecute());
        assertEquals("task-1", pub.taskId());
        assertEquals("zh-CN", pub.locale());
        assertEquals(Optional.of(639_000_000_000_000_000L), pub.commandStartTimeUTCTicks());
        assertEquals("microsoft.compute/virtualmachines", pub.vmType());
        assertEquals(List.of(new KeyValue("BackupId", "b1"), new KeyValue("retention", "30")),
                pub.objectStr().backupMetadata());
        assertEquals(List.of(new KeyValue("isSnapshotTtlEnabled", "true")), pub.objectStr().dynamicConfigsFromCRP());
        IncludedDisks disks = pub.objectStr().includedDisks();
        assertEquals(List.of(0, 1, -1), disks.includeLunList());
        assertEquals(Optional.of(120), disks.instantAccessDurationMinutes());
        assertTrue(disks.isAnyWADiskIncluded());
        assertFalse(disks.isVMADEEnabled());

        assertEquals(List.of("https://acct.blob.core.windows.net/vhds/os.vhd?sv=1&sig=DISK1",
                "https://acct.blob.core.windows.net/vhds/data.vhd?sv=1&sig=DISK2"), settings.blobSasUris());
        assertEquals("https://acct.blob.core.windows.net/c/status?sv=1&sig=PUBSIG", settings.statusBlobUri());
        assertEquals("https://acct.blob.core.windows.net/c/logs?sv=1&sig=LOGSIG", settings.logsBlobUri());
        assertEquals("TOKEN-SECRET", settings.snapshotTaskToken());
        assertEquals(Optional.of(new CustomSettings("onlyGuest", true, true, 2, "bt-9", List.of(3))),
                settings.customSettings());
        assertFalse(settings.isEmpty());
    }

    @Test
    void read_fullBackupRequest_toStringHidesEverySecret() throws Exception {
        write(settings(publicSettings(), encrypt(protectedSettings()), TENANT.thumbprint));

        String text = reader.read(settingsFile).toString();

        for (String secret : List.of("PUBSIG", "LOGSIG", "DISK1", "DISK2", "TOKEN-SECRET", "sig=")) {
            assertFalse(text.contains(secret), secret + " in " + text);
        }
        assertTrue(text.contains("2 blobs"), text);
    }

    @Test
    void readPublic_leavesTheProtectedSettingsAsWritten_andDecryptThenGivesWhatReadGives() throws Exception {
        String envelope = encrypt(protectedSettings());
        write(settings(publicSettings(), envelope, TENANT.thumbprint));

        EncryptedHandlerSettings request = reader.readPublic(settingsFile);

        assertEquals("task-1", request.publicSettings().taskId());
        assertEquals(envelope, request.protectedSettings());
        assertEquals(TENANT.thumbprint, request.protectedSettingsThumbprint());
        assertFalse(request.toString().contains(envelope.substring(0, 40)), "kilobytes of base64 in a log line");
        assertEquals(reader.read(settingsFile).blobSasUris(), reader.decrypt(request).blobSasUris());
    }

    @Test
    void readPublic_decryptsNothing_soNoProblemOfTheProtectedSettingsShowsBeforeTheWorkerDecrypts() throws Exception {
        ObjectNode badCustom = protectedSettings().put("customSettings", "{oops");
        List<ObjectNode> requests = List.of(
                settings(publicSettings(), encrypt(protectedSettings()), "00".repeat(20)),
                settings(publicSettings(), encrypt(protectedSettings()), null),
                settings(publicSettings(), "not base64 !", TENANT.thumbprint),
                settings(publicSettings(), TENANT.encrypt("not json", CMSAlgorithm.AES256_CBC), TENANT.thumbprint),
                settings(publicSettings(), encrypt(badCustom), TENANT.thumbprint));
        for (ObjectNode request : requests) {
            write(request);

            EncryptedHandlerSettings read = reader.readPublic(settingsFile);

            assertTrue(read.hasProtectedSettings());
            assertThrows(HandlerException.class, () -> reader.decrypt(read), request::toString);
        }
    }

    @Test
    void read_emptyFile_isNone() throws Exception {
        Files.write(settingsFile, new byte[0]);

        assertSame(HandlerSettings.NONE, reader.read(settingsFile));
    }

    @Test
    void read_whitespaceOnlyFile_isNone() throws Exception {
        Files.writeString(settingsFile, " \n");

        assertTrue(reader.read(settingsFile).isEmpty());
    }

    @Test
    void read_missingFile_isSettingsInvalidNamingTheFile() {
        HandlerException e = assertThrows(HandlerException.class, () -> reader.read(settingsFile));

        assertEquals(ErrorCode.SETTINGS_INVALID, e.errorCode());
        assertTrue(e.detail().contains(settingsFile.toString()) && e.detail().contains("does not exist"), e.detail());
    }

    @Test
    void read_notJson_isSettingsInvalidWithoutQuotingTheContent() throws Exception {
        Files.writeString(settingsFile, "{\"runtimeSettings\": [ sig=TOPSECRET ");

        HandlerException e = assertThrows(HandlerException.class, () -> reader.read(settingsFile));

        assertEquals(ErrorCode.SETTINGS_INVALID, e.errorCode());
        assertTrue(e.detail().contains(settingsFile.toString()) && e.detail().contains("not valid JSON"), e.detail());
        assertFalse(e.detail().contains("TOPSECRET"), e.detail());
    }

    @Test
    void read_noRuntimeSettingsEntry_isSettingsInvalid() throws Exception {
        Files.writeString(settingsFile, "{\"runtimeSettings\": []}");

        HandlerException e = assertThrows(HandlerException.class, () -> reader.read(settingsFile));

        assertEquals(ErrorCode.SETTINGS_INVALID, e.errorCode());
        assertTrue(e.detail().contains(settingsFile.toString()) && e.detail().contains("exactly one"), e.detail());
    }

    @Test
    void read_twoRuntimeSettingsEntries_isSettingsInvalidCountingThem() throws Exception {
        ObjectNode entry = JSON.createObjectNode();
        entry.putObject("handlerSettings").putNull("publicSettings");
        ObjectNode root = JSON.createObjectNode();
        root.putArray("runtimeSettings").add(entry).add(entry);
        write(root);

        HandlerException e = assertThrows(HandlerException.class, () -> reader.read(settingsFile));

        assertTrue(e.detail().contains("holds 2"), e.detail());
    }

    @Test
    void read_nullPublicAndProtectedSettings_isEmpty() throws Exception {
        write(settings(null, null, null));

        HandlerSettings settings = reader.read(settingsFile);

        assertEquals(PublicSettings.EMPTY, settings.publicSettings());
        assertEquals(ProtectedSettings.EMPTY, settings.protectedSettings());
        assertTrue(settings.isEmpty());
    }

    @Test
    void read_publicOnly_hasNoProtectedSettings() throws Exception {
        write(settings(publicSettings(), null, null));

        HandlerSettings settings = reader.read(settingsFile);

        assertEquals(ProtectedSettings.EMPTY, settings.protectedSettings());
        assertEquals("", settings.logsBlobUri());
    }

    @Test
    void read_publicSettingsWithoutObjectStr_namesTheField() throws Exception {
        ObjectNode pub = publicSettings();
        pub.remove("objectStr");
        write(settings(pub, null, null));

        HandlerException e = assertThrows(HandlerException.class, () -> reader.read(settingsFile));

        assertEquals(ErrorCode.SETTINGS_INVALID, e.errorCode());
        assertTrue(e.detail().contains("'publicSettings.objectStr' is missing"), e.detail());
        assertTrue(e.detail().contains(settingsFile.toString()), e.detail());
    }

    @Test
    void read_objectStrNotBase64_namesTheField() throws Exception {
        write(settings(publicSettings().put("objectStr", "not*base64!"), null, null));

        HandlerException e = assertThrows(HandlerException.class, () -> reader.read(settingsFile));

        assertTrue(e.detail().contains("'publicSettings.objectStr' is not base64"), e.detail());
    }

    @Test
    void read_objectStrNotJson_namesTheField() throws Exception {
        write(settings(publicSettings().put("objectStr", base64("{backupMetadata: sig=TOPSECRET")), null, null));

        HandlerException e = assertThrows(HandlerException.class, () -> reader.read(settingsFile));

        assertTrue(e.detail().contains("'publicSettings.objectStr' is not valid JSON"), e.detail());
        assertFalse(e.detail().contains("TOPSECRET"), e.detail());
    }

    @Test
    void read_wronglyTypedNestedField_namesItsFullPath() throws Exception {
        String object = "{\"backupMetadata\":[],\"includedDisks\":{\"dataDiskLunList\":{\"lun\":1}}}";
        write(settings(publicSettings().put("objectStr", base64(object)), null, null));

        HandlerException e = assertThrows(HandlerException.class, () -> reader.read(settingsFile));

        assertTrue(e.detail().contains("'publicSettings.objectStr.includedDisks.dataDiskLunList' must be a list"),
                e.detail());
    }

    @Test
    void read_ticksAsNumber_areRead() throws Exception {
        write(settings(publicSettings().put("commandStartTimeUTCTicks", 42L), null, null));

        assertEquals(Optional.of(42L), reader.read(settingsFile).publicSettings().commandStartTimeUTCTicks());
    }

    @Test
    void read_ticksNotANumber_namesTheField() throws Exception {
        write(settings(publicSettings().put("commandStartTimeUTCTicks", "soon"), null, null));

        HandlerException e = assertThrows(HandlerException.class, () -> reader.read(settingsFile));

        assertTrue(e.detail().contains("'publicSettings.commandStartTimeUTCTicks' must be an integer"), e.detail());
    }

    @Test
    void read_customSettingsNotJson_isSettingsInvalidNamingTheFile() throws Exception {
        write(settings(publicSettings().put("customSettings", "{oops"), null, null));

        HandlerException e = assertThrows(HandlerException.class, () -> reader.read(settingsFile));

        assertEquals(ErrorCode.SETTINGS_INVALID, e.errorCode());
        assertTrue(e.detail().contains(settingsFile.toString()) && e.detail().contains("customSettings"), e.detail());
    }

    @Test
    void read_publicCustomSettings_winOverProtected() throws Exception {
        write(settings(publicSettings().put("customSettings", "{\"takeSnapshotFrom\":\"onlyHost\"}"),
                encrypt(protectedSettings()), TENANT.thumbprint));

        assertEquals("onlyHost", reader.read(settingsFile).customSettings().orElseThrow().takeSnapshotFrom());
    }

    @Test
    void read_protectedSettingsWithoutThumbprint_namesTheMissingField() throws Exception {
        write(settings(publicSettings(), encrypt(protectedSettings()), null));

        HandlerException e = assertThrows(HandlerException.class, () -> reader.read(settingsFile));

        assertEquals(ErrorCode.SETTINGS_INVALID, e.errorCode());
        assertTrue(e.detail().contains("protectedSettingsCertThumbprint"), e.detail());
    }

    @Test
    void read_protectedSettingsThatDecryptToNonJson_failWithoutQuotingThePlaintext() throws Exception {
        write(settings(publicSettings(), TENANT.encrypt("sig=TOPSECRET not json", CMSAlgorithm.AES256_CBC),
                TENANT.thumbprint));

        HandlerException e = assertThrows(HandlerException.class, () -> reader.read(settingsFile));

        assertEquals(ErrorCode.SETTINGS_INVALID, e.errorCode());
        assertTrue(e.detail().contains("'protectedSettings' is not valid JSON"), e.detail());
        assertFalse(e.detail().contains("TOPSECRET"), e.detail());
    }

    @Test
    void read_protectedObjectStrNotBase64_namesTheProtectedField() throws Exception {
        ObjectNode prot = protectedSettings().put("objectStr", "***");
        write(settings(publicSettings(), encrypt(prot), TENANT.thumbprint));

        HandlerException e = assertThrows(HandlerException.class, () -> reader.read(settingsFile));

        assertTrue(e.detail().contains("'protectedSettings.objectStr' is not base64"), e.detail());
    }

    @Test
    void read_certificateMissing_isCertificateNotFoundNamingSettingsAndCertificate() throws Exception {
        Files.delete(libDir.resolve(TENANT.thumbprint + ".crt"));
        write(settings(publicSettings(), encrypt(protectedSettings()), TENANT.thumbprint));

        HandlerException e = assertThrows(HandlerException.class, () -> reader.read(settingsFile));

        assertEquals(ErrorCode.CERTIFICATE_NOT_FOUND, e.errorCode());
        assertTrue(e.detail().contains(settingsFile.toString()), e.detail());
        assertTrue(e.detail().contains(TENANT.thumbprint + ".crt"), e.detail());
    }

    @Test
    void read_protectedSettingsNotDecryptable_isDecryptFailed() throws Exception {
        write(settings(publicSettings(), "bm90IENNUw==", TENANT.thumbprint));

        assertEquals(ErrorCode.PROTECTED_SETTINGS_DECRYPT_FAILED,
                assertThrows(HandlerException.class, () -> reader.read(settingsFile)).errorCode());
    }

    private static ObjectNode publicSettings() {
        ObjectNode pub = JSON.createObjectNode();
        pub.put("commandToExecute", "snapshot");
        pub.put("taskId", "task-1");
        pub.put("locale", "zh-CN");
        pub.put("logsBlobUri", "");
        pub.put("statusBlobUri", "https://acct.blob.core.windows.net/c/status?sv=1&sig=PUBSIG");
        pub.put("commandStartTimeUTCTicks", "639000000000000000");
        pub.put("vmType", "microsoft.compute/virtualmachines");
        pub.put("customSettings", "");
        pub.put("objectStr", base64(PUBLIC_OBJECT));
        return pub;
    }

    private static ObjectNode protectedSettings() {
        ObjectNode prot = JSON.createObjectNode();
        prot.put("objectStr", base64("{\"blobSASUri\":[\"https://acct.blob.core.windows.net/vhds/os.vhd?sv=1&sig=DISK1\","
                + "\"https://acct.blob.core.windows.net/vhds/data.vhd?sv=1&sig=DISK2\"]}"));
        prot.put("logsBlobUri", "https://acct.blob.core.windows.net/c/logs?sv=1&sig=LOGSIG");
        prot.put("statusBlobUri", "https://acct.blob.core.windows.net/c/other-status?sv=1&sig=PROTSIG");
        prot.put("snapshotTaskToken", "TOKEN-SECRET");
        prot.put("customSettings", CUSTOM);
        return prot;
    }

    private static String encrypt(ObjectNode protectedSettings) throws Exception {
        return TENANT.encrypt(protectedSettings.toString(), CMSAlgorithm.DES_EDE3_CBC);
    }

    /** The agent's file: {@code json.dumps} of one runtimeSettings entry (docs/agent-contract.md §4). */
    private static ObjectNode settings(ObjectNode pub, String protectedBase64, String thumbprint) {
        ObjectNode handlerSettings = JSON.createObjectNode();
        handlerSettings.set("publicSettings", pub);
        handlerSettings.put("protectedSettings", protectedBase64);
        handlerSettings.put("protectedSettingsCertThumbprint", thumbprint);
        ObjectNode root = JSON.createObjectNode();
        root.putArray("runtimeSettings").addObject().set("handlerSettings", handlerSettings);
        return root;
    }

    private void write(ObjectNode root) throws Exception {
        Files.writeString(settingsFile, root.toString(), StandardCharsets.UTF_8);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }
}
