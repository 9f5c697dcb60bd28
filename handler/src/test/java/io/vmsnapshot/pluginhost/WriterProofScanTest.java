package io.vmsnapshot.pluginhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.prepost.ScriptPhase;
import io.vmsnapshot.testing.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Step 3 of {@link ScriptFileCheck}: what the kernel proves unwritten skips the /proc scan, and
 * everything else is scanned as before. The /proc here is a fake whose fd entries link to real files.
 */
class WriterProofScanTest {
    private static final long SELF = 100;

    private final Sandbox box = Sandbox.create();
    private final Path proc = box.dir("proc");
    private final Path pre = box.script("scripts/pre.sh", "exit 0");
    private final Path post = box.script("scripts/post.sh", "exit 0");
    private final List<List<OpenWriters.Target>> asked = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        box.close();
    }

    private void writer(long pid, int fd, Path file) throws Exception {
        Path process = box.dir("proc/" + pid);
        Files.writeString(process.resolve("comm"), "proc" + pid + "\n");
        Files.createDirectories(process.resolve("fd"));
        Files.createDirectories(process.resolve("fdinfo"));
        Files.createSymbolicLink(process.resolve("fd/" + fd), file);
        Files.writeString(process.resolve("fdinfo/" + fd), "pos:\t0\nflags:\t0100001\nmnt_id:\t25\n");
    }

    private static OpenWriters.Target target(Path script) throws Exception {
        return OpenWriters.Target.of(script, Stat.of(script));
    }

    private static ScriptFileCheck.Read read(Path script, ScriptPhase phase) throws Exception {
        return new ScriptFileCheck.Read(script, phase, target(script), Files.readAllBytes(script), Optional.empty());
    }

    /** A fake proof that clears the given scripts and records what it was asked. */
    private WriterProof clearing(Path... scripts) throws Exception {
        Set<OpenWriters.Target> cleared = new java.util.HashSet<>();
        for (Path script : scripts) {
            cleared.add(target(script));
        }
        return targets -> {
            asked.add(targets);
            return Set.copyOf(targets.stream().filter(cleared::contains).toList());
        };
    }

    private Map<OpenWriters.Target, List<OpenWriters.Writer>> scan(Path proc, WriterProof proof) throws Exception {
        return new ScriptFileCheck(Sandbox.currentUid(), new OpenWriters(proc, SELF), proof)
                .scan(List.of(read(pre, ScriptPhase.PRE), read(post, ScriptPhase.POST)));
    }

    @Test
    void scriptsTheKernelProvesUnwrittenAreNotScanned() throws Exception {
        // No /proc at all: a scan would fail, so passing proves none ran.
        Map<OpenWriters.Target, List<OpenWriters.Writer>> writers = scan(box.root().resolve("no-proc"),
                clearing(pre, post));

        assertEquals(Map.of(target(pre), List.of(), target(post), List.of()), writers);
        assertEquals(List.of(List.of(target(pre), target(post))), asked, "both asked in one question");
    }

    @Test
    void onlyTheScriptsTheProofCannotClearAreScannedAndTheirWritersNamed() throws Exception {
        writer(200, 3, post);

        Map<OpenWriters.Target, List<OpenWriters.Writer>> writers = scan(proc, clearing(pre));

        assertEquals(List.of(), writers.get(target(pre)));
        assertEquals(List.of(new OpenWriters.Writer(200, "proc200", "descriptor 3 open for writing")),
                writers.get(target(post)));
    }

    @Test
    void withoutAProofEveryScriptIsScanned() throws Exception {
        writer(200, 3, pre);
        writer(300, 4, post);

        Map<OpenWriters.Target, List<OpenWriters.Writer>> writers = scan(proc, new WriterProof.None());

        assertEquals(1, writers.get(target(pre)).size());
        assertEquals(1, writers.get(target(post)).size());
    }

    @Test
    void aProofThatClearsAFileItWasNotAskedAboutClearsNothingElse() throws Exception {
        writer(200, 3, pre);
        Path unrelated = box.script("scripts/other.sh", "exit 0");

        Map<OpenWriters.Target, List<OpenWriters.Writer>> writers = scan(proc, clearing(unrelated));

        assertEquals(1, writers.get(target(pre)).size());
        assertEquals(Set.of(target(pre), target(post)), writers.keySet());
    }

    @Test
    void anUnreadableProcForTheUnprovenScriptsStillRefusesTheFirstScript() throws Exception {
        HandlerException e = assertThrows(HandlerException.class,
                () -> scan(box.root().resolve("no-proc"), clearing(post)));

        assertTrue(e.detail().contains(pre + " cannot be checked for writers"), e.detail());
    }

    @Test
    void aScriptStillHeldOpenForWritingIsRefusedWithTheWriterNamed() throws Exception {
        writer(200, 3, pre);
        ScriptFileCheck check = new ScriptFileCheck(Sandbox.currentUid(), new OpenWriters(proc, SELF), clearing(post));
        ScriptFileCheck.Read read = read(pre, ScriptPhase.PRE);

        List<OpenWriters.Writer> writers = check.scan(List.of(read)).get(read.target());
        HandlerException e = assertThrows(HandlerException.class, () -> check.verify(read, writers));

        assertTrue(e.detail().contains(pre + " is held open for writing by [pid 200 (proc200, descriptor 3 open for"
                + " writing)]"), e.detail());
    }
}
