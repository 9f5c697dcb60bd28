package io.vmsnapshot.agent;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the agent wants this handler version to keep its things, as read from
 * {@code HandlerEnvironment.json}. All paths are absolute.
 */
public record HandlerEnvironment(
        String name,
        Path logFolder,
        Path configFolder,
        Path statusFolder,
        Path heartbeatFile,
        Optional<Path> eventsFolder) {

    public HandlerEnvironment {
        Objects.requireNonNull(name, "name");
        requireAbsolute(logFolder, "logFolder");
        requireAbsolute(configFolder, "configFolder");
        requireAbsolute(statusFolder, "statusFolder");
        requireAbsolute(heartbeatFile, "heartbeatFile");
        Objects.requireNonNull(eventsFolder, "eventsFolder");
        eventsFolder.ifPresent(folder -> requireAbsolute(folder, "eventsFolder"));
    }

    private static void requireAbsolute(Path path, String field) {
        Objects.requireNonNull(path, field);
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException(field + " must be absolute: " + path);
        }
    }
}
