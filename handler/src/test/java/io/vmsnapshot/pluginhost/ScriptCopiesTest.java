package io.vmsnapshot.pluginhost;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.testing.Sandbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Where copies of verified scripts go, how they are made, and what is left of dead processes. */
class ScriptCopiesTest {
    private static final long PID = 4242;
    private static final byte[] SCRIPT = "#!/bin/sh\nexit 0\n".getBytes(StandardCharsets.UTF_8);

    private final Sandbox box = Sandbox.create();
    private final Path proc = box.dir("proc");
    private final int uid = Sandbox.currentUid();

    @AfterEach
    void cleanUp() {
        box.close();
    }

    @Test
    void aCopyHasTheBytesAndNameOfTheScriptModeSevenHundredAndGoesAfterItsRun() throws Exception {
        Path dir = box.root().resolve("run/scripts");
        ScriptCopies copies = new ScriptCopies(List.of(dir), proc, PID, uid);

        Path copy = copies.write(SCRIPT, Path.of("/home/user/pre.sh"));

        assertTrue(copy.startsWith(dir) && dir.relativize(copy).getName(0).toString().startsWith(PID + "."),
                copy.toString());
        assertEquals("pre.sh", copy.getFileName().toString());
        assertArrayEquals(SCRIPT, Files.readAllBytes(copy));
        assertEquals("0700", Stat.of(copy).permissions());
        assertEquals("0700", Stat.of(dir).permissions());
        copies.remove(copy);
        assertFalse(Files.exists(copy.getParent()));
    }

    @Test
    void aCandidateBelowADirectoryOthersCanWriteIsPassedOverForTheNextOne() throws Exception {
        Path shared = box.dir("shared");
        Sandbox.chmod(shared, "rwxrwxrwx");
        Path fallback = box.root().resolve("state/script-copies");

        Path copy = new ScriptCopies(List.of(shared.resolve("scripts"), fallback), proc, PID, uid)
                .write(SCRIPT, Path.of("/x/post.sh"));

        assertTrue(copy.startsWith(fallback), copy.toString());
    }

    @Test
    void leftoversOfDeadProcessesGoAndThoseOfLiveOnesStay() throws Exception {
        Path dir = box.dir("run/scripts");
        Path dead = Files.createDirectories(dir.resolve("1000.abcd/1"));
        Path live = Files.createDirectories(dir.resolve("2000.abcd/1"));
        Files.writeString(dead.resolve("pre.sh"), "old");
        box.dir("proc/2000");

        new ScriptCopies(List.of(dir), proc, PID, uid).write(SCRIPT, Path.of("/x/pre.sh"));

        assertFalse(Files.exists(dead.getParent()));
        assertTrue(Files.exists(live));
    }
}
