package io.vmsnapshot.e2e.fleet;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A prepared root file system of another distribution or architecture, read-only to the tests
 * (each test runs in a throw-away overlay of it).
 *
 * @param name the versioned name of its directory in the machine's cache
 * @param root the directory, never written to by a test
 * @param machine what {@code uname -m} says inside it (x86_64, aarch64)
 */
record Userland(String name, Path root, String machine) {
    Userland {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(machine, "machine");
    }
}
