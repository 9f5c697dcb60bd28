package io.vmsnapshot.agent;

import io.vmsnapshot.error.HandlerException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The agent's HandlerEnvironment.json, read at most once per process: the log redirection, the
 * command and its status reports all see the same answer (or the same reason there is none).
 */
public final class HandlerEnvironmentFile {
    private final HandlerEnvironmentReader reader;
    private final Path file;
    private HandlerEnvironment environment;
    private HandlerException problem;

    public HandlerEnvironmentFile(HandlerEnvironmentReader reader, Path file) {
        this.reader = Objects.requireNonNull(reader, "reader");
        this.file = Objects.requireNonNull(file, "file");
    }

    public synchronized HandlerEnvironment read() throws HandlerException {
        if (environment == null && problem == null) {
            try {
                environment = reader.read(file);
            } catch (HandlerException e) {
                problem = e;
            }
        }
        if (problem != null) {
            throw problem;
        }
        return environment;
    }
}
