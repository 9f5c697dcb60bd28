package io.vmsnapshot.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    private static final int SMALL_DISK = 64 * 1024;

    /** Small blocks so a nearly full disk still takes a small file. */
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix().toBuilder()
            .setBlockSize(1024).setMaxSize(SMALL_DISK).build());
    private final Path folder = fs.getPath("/status");

    @AfterEach
    void closeFileSystem() throws IOException {
        fs.close();
    }

    @Test
    void write_newFile_hasTheContent() throws Exception {
        Files.createDirectories(folder);

        AtomicFiles.write(folder.resolve("0.status"), bytes("hello"));

        assertEquals("hello", Files.readString(folder.resolve("0.status")));
        assertEquals(List.of(folder.resolve("0.status")), list(folder));
    }

    @Test
    void write_existingFile_isReplacedWithoutTempFilesLeft() throws Exception {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("0.status"), "old content that is longer");

        AtomicFiles.write(folder.resolve("0.status"), bytes("new"));

        assertEquals("new", Files.readString(folder.resolve("0.status")));
        assertEquals(List.of(folder.resolve("0.status")), list(folder));
    }

    @Test
    void write_whenFileSystemFull_keepsThePreviousFileRemovesTheTempAndNamesTheFolder() throws Exception {
        Files.createDirectories(folder);
        Path target = folder.resolve("3.status");
        AtomicFiles.write(target, bytes("previous"));

        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, new byte[2 * SMALL_DISK]));

        assertTrue(e.getMessage().contains("folder " + folder), e.getMessage());
        assertEquals("previous", Files.readString(target));
        assertEquals(List.of(target), list(folder));
    }

    @Test
    void write_whenFolderMissing_namesTheFolder() {
        Path target = fs.getPath("/missing/0.status");

        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, bytes("x")));

        assertTrue(e.getMessage().contains("/missing"), e.getMessage());
    }

    @Test
    void write_withLastModifiedTime_keepsThatTime() throws Exception {
        Files.createDirectories(folder);
        FileTime old = FileTime.from(Instant.parse("2020-05-06T07:08:09Z"));

        AtomicFiles.write(folder.resolve("1.settings"), bytes("{}"), old);

        assertEquals(old, Files.getLastModifiedTime(folder.resolve("1.settings")));
    }

    @Test
    void write_onTheRealFileSystem_replacesTheFileAndSyncsTheFolder(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("heartbeat.log");
        Files.writeString(target, "old");

        AtomicFiles.write(target, bytes("new"));

        assertArrayEquals(bytes("new"), Files.readAllBytes(target));
        assertEquals(List.of(target), list(dir));
    }

    @Test
    void writeUnflushed_replacesTheFileAsAWholeAndLeavesNoTempBehind(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("heartbeat.log");
        Files.writeString(target, "old content that is longer");

        AtomicFiles.writeUnflushed(target, bytes("new"));

        assertArrayEquals(bytes("new"), Files.readAllBytes(target));
        assertEquals(List.of(target), list(dir));
    }

    @Test
    void writeUnflushed_whenFileSystemFull_keepsThePreviousFileAndRemovesTheTemp() throws Exception {
        Files.createDirectories(folder);
        Path target = Files.writeString(folder.resolve("heartbeat.log"), "previous");

        assertThrows(IOException.class, () -> AtomicFiles.writeUnflushed(target, new byte[SMALL_DISK * 2]));

        assertEquals("previous", Files.readString(target));
        assertEquals(List.of(target), list(folder));
    }

    /** A parent that is a regular file fails even for root, unlike a read-only folder. */
    @Test
    void write_onTheRealFileSystemWhenFolderIsUnusable_namesTheFolderAndKeepsNothingBehind(@TempDir Path dir)
            throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("status"), "I am a file");

        IOException e = assertThrows(IOException.class,
                () -> AtomicFiles.write(notAFolder.resolve("0.status"), bytes("x")));

        assertTrue(e.getMessage().contains("folder " + notAFolder), e.getMessage());
        assertEquals(List.of(notAFolder), list(dir));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<Path> list(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }
}
