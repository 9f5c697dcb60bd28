package io.vmsnapshot.e2e.hardening;

import io.vmsnapshot.e2e.fixtures.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An unprivileged local user, created once per machine (idempotently: useradd only when {@code id}
 * does not know it), and a way to run commands as that user with no other groups.
 */
final class HostileUser {
    static final String NAME = "vmsnaphostile";

    private final int uid;
    private final int gid;

    private HostileUser(int uid, int gid) {
        this.uid = uid;
        this.gid = gid;
    }

    static synchronized HostileUser ensure() {
        if (Command.run(List.of("id", "-u", NAME), 10).exitCode() != 0) {
            Command.Result created = Command.run(List.of("useradd", "--system", "--no-create-home",
                    "--shell", "/usr/sbin/nologin", "--user-group", NAME), 30);
            // Another test JVM may have created it in between: only "still unknown" is a failure.
            if (created.exitCode() != 0 && Command.run(List.of("id", "-u", NAME), 10).exitCode() != 0) {
                throw new IllegalStateException("useradd " + NAME + " failed: " + created.output());
            }
        }
        return new HostileUser(Integer.parseInt(Command.check(10, "id", "-u", NAME).output()),
                Integer.parseInt(Command.check(10, "id", "-g", NAME).output()));
    }

    int uid() {
        return uid;
    }

    int gid() {
        return gid;
    }

    /** Runs {@code sh -c script} as the user (setpriv: no capabilities, no supplementary groups). */
    Command.Result sh(String script) {
        List<String> argv = new ArrayList<>(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid,
                "--clear-groups", "--", "/bin/sh", "-c", script));
        return Command.run(argv, 60);
    }

    /** Starts {@code sh -c script} as the user in the background. */
    Process start(String script) throws IOException {
        return new ProcessBuilder("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--",
                "/bin/sh", "-c", script).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    void own(Path path) throws IOException {
        Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
    }

    void group(Path path) throws IOException {
        Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
    }
}
