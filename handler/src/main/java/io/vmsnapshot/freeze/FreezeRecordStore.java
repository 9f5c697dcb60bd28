package io.vmsnapshot.freeze;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.json.MalformedJsonException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.Optional;

/**
 * The freeze record file under the run directory ({@code /run/vmsnapshot}: tmpfs, so it is never
 * frozen and it vanishes on reboot, when nothing can be frozen any more).
 */
public final class FreezeRecordStore {
    static final String FILE_NAME = "freeze-record.json";

    private final Path runDir;

    public FreezeRecordStore(Path runDir) {
        this.runDir = Objects.requireNonNull(runDir, "runDir");
    }

    public Path file() {
        return runDir.resolve(FILE_NAME);
    }

    /** The lock that whoever writes, thaws by or deletes this record holds meanwhile. */
    public FreezeRecordLock lock() {
        return new FreezeRecordLock(runDir);
    }

    /** Replaces the record atomically: a reader sees the old one or the new one, never half. */
    public void write(FreezeRecord record) throws HandlerException {
        Path temp = runDir.resolve(FILE_NAME + ".tmp");
        try {
            Files.createDirectories(runDir);
            Files.write(temp, FreezeRecordJson.write(record));
            Files.move(temp, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new HandlerException(ErrorCode.FS_FREEZE_FAILED, "cannot write the freeze record " + file()
                    + ": " + e.getMessage() + "; nothing was frozen", e);
        }
    }

    public Optional<FreezeRecord> read() throws HandlerException {
        try {
            return Optional.of(FreezeRecordJson.read(Files.readAllBytes(file())));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (MalformedJsonException e) {
            throw unreadable(e.problem(), e);
        } catch (IllegalArgumentException e) {
            throw unreadable(e.getMessage(), e);
        } catch (IOException e) {
            throw new HandlerException(ErrorCode.FS_FREEZE_FAILED,
                    "cannot read the freeze record " + file() + ": " + e.getMessage(), e);
        }
    }

    private HandlerException unreadable(String problem, Exception cause) {
        return new HandlerException(ErrorCode.FS_FREEZE_FAILED, "the freeze record " + file()
                + " is unreadable (" + problem + "); check that no file system is frozen"
                + " ('fsfreeze -u <mount>'), then delete the file", cause);
    }

    public void delete() throws IOException {
        Files.deleteIfExists(file());
    }

    /**
     * Deletes the record only if it still names the same helper (pid and start time): a record that
     * another worker wrote meanwhile is its, not ours to delete.
     *
     * @return whether the record was deleted (false also when there was none)
     */
    boolean deleteIfSame(FreezeRecord expected) throws HandlerException, IOException {
        Optional<FreezeRecord> current = read();
        if (current.isEmpty() || current.get().helperPid() != expected.helperPid()
                || current.get().helperStartTicks() != expected.helperStartTicks()) {
            return false;
        }
        return Files.deleteIfExists(file());
    }
}
