package io.vmsnapshot.seqno;

import io.vmsnapshot.agent.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The most recently processed sequence number ({@code mrseq} in the base dir, the file upstream
 * uses and the agent carries over on update), so a re-sent goal state is not run twice.
 */
public final class SequenceNumberStore {
    private final Path mrseqFile;

    public SequenceNumberStore(Path mrseqFile) {
        this.mrseqFile = Objects.requireNonNull(mrseqFile, "mrseqFile");
    }

    /**
     * Empty when nothing was recorded or the record cannot be trusted: processing a sequence
     * number again is safer than skipping one that was never done.
     */
    public OptionalInt read() {
        try {
            String text = Files.readString(mrseqFile, StandardCharsets.UTF_8).strip();
            return OptionalInt.of(Integer.parseInt(text));
        } catch (IOException | NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    public void write(int seq) throws IOException {
        AtomicFiles.write(mrseqFile, Integer.toString(seq).getBytes(StandardCharsets.UTF_8));
    }
}
