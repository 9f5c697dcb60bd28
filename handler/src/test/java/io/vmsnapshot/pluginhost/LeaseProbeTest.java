package io.vmsnapshot.pluginhost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vmsnapshot.testing.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What counts as the kernel's proof in the helper's answer, and that a failing helper proves nothing. */
class LeaseProbeTest {
    private final Sandbox box = Sandbox.create();
    private final Path pre = box.script("scripts/pre.sh", "exit 0");
    private final Path post = box.script("scripts/post.sh", "exit 0");

    @AfterEach
    void cleanUp() {
        box.close();
    }

    private static OpenWriters.Target target(Path script) throws Exception {
        return OpenWriters.Target.of(script, Stat.of(script));
    }

    private static String none(Path script) throws Exception {
        Stat stat = Stat.of(script);
        return "none " + Long.toUnsignedString(stat.device()) + " " + Long.toUnsignedString(stat.inode());
    }

    /** A stand-in helper: a shell script that prints the given text and exits as told. */
    private LeaseProbe helper(String body) {
        return new LeaseProbe(box.script("bin/fake-helper", body), Duration.ofSeconds(3));
    }

    @Test
    void noneAboutTheCheckedInodeIsProof() throws Exception {
        assertEquals(Set.of(target(pre), target(post)),
                LeaseProbe.proven(List.of(target(pre), target(post)), List.of(none(pre), none(post))));
    }

    @Test
    void noneAboutAnotherInodeIsNoProof() throws Exception {
        Stat stat = Stat.of(pre);
        String otherInode = "none " + Long.toUnsignedString(stat.device()) + " " + (stat.inode() + 1);
        String otherDevice = "none " + (stat.device() + 1) + " " + stat.inode();

        assertEquals(Set.of(), LeaseProbe.proven(List.of(target(pre)), List.of(otherInode)));
        assertEquals(Set.of(), LeaseProbe.proven(List.of(target(pre)), List.of(otherDevice)));
        // pre's answer in post's place: the order of the arguments matters
        assertEquals(Set.of(), LeaseProbe.proven(List.of(target(pre), target(post)), List.of(none(post), none(pre))));
    }

    @Test
    void aWriterAnUnknownOrAnAnswerOfAnotherLengthIsNoProof() throws Exception {
        Stat stat = Stat.of(pre);
        String devIno = Long.toUnsignedString(stat.device()) + " " + Long.toUnsignedString(stat.inode());

        assertEquals(Set.of(), LeaseProbe.proven(List.of(target(pre)), List.of("writer " + devIno)));
        assertEquals(Set.of(), LeaseProbe.proven(List.of(target(pre)), List.of("unknown " + devIno + " EINVAL")));
        assertEquals(Set.of(), LeaseProbe.proven(List.of(target(pre)), List.of("none " + devIno + " extra")));
        assertEquals(Set.of(), LeaseProbe.proven(List.of(target(pre), target(post)), List.of(none(pre))));
        assertEquals(Set.of(), LeaseProbe.proven(List.of(target(pre)), List.of(none(pre), none(pre))));
    }

    @Test
    void theHelpersAnswerIsReadForEveryTargetInOneRun() throws Exception {
        LeaseProbe probe = helper("echo '" + none(pre) + "'; echo 'writer 1 2'");

        assertEquals(Set.of(target(pre)), probe.unwritten(List.of(target(pre), target(post))));
    }

    @Test
    void aMissingHelperProvesNothing() throws Exception {
        LeaseProbe probe = new LeaseProbe(box.root().resolve("bin/absent"), Duration.ofSeconds(3));

        assertEquals(Set.of(), probe.unwritten(List.of(target(pre))));
    }

    @Test
    void aHelperThatFailsProvesNothingWhateverItPrinted() throws Exception {
        LeaseProbe probe = helper("echo '" + none(pre) + "'; exit 2");

        assertEquals(Set.of(), probe.unwritten(List.of(target(pre))));
    }

    @Test
    void aHelperThatDoesNotFinishIsKilledAndProvesNothing() throws Exception {
        Path pidFile = box.root().resolve("helper.pid");
        LeaseProbe probe = new LeaseProbe(box.script("bin/hung-helper", "echo $$ > " + pidFile + "; echo '"
                + none(pre) + "'; exec sleep 60"), Duration.ofMillis(300));

        assertEquals(Set.of(), probe.unwritten(List.of(target(pre))));
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        Optional<ProcessHandle> helper = ProcessHandle.of(pid);
        if (helper.isPresent()) {
            // a deadline, not a measurement: a helper left running would sleep for a minute
            helper.get().onExit().get(10, TimeUnit.SECONDS);
        }
    }
}
