package io.vmsnapshot.e2e.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.e2e.fixtures.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A hostile local user against the pre/post framework (issue 7 §5, issue 15 items 3 and 4), through
 * the unzipped package's {@code bin/handle.sh dry-run} (which would run the scripts if allowed). The
 * user owns an evil script that records who ran it; no setup lets a byte the user wrote run as
 * root, and each refusal gives the seed's error: {@code InsufficientPermissionforPre-Script} (306)
 * for scripts, the plugin config's permission (317) or ownership (318) error for the config. A
 * root-owned 700 script runs wherever it lives (the seed: "anywhere on the VM"); where the user
 * controls a directory above it, it runs from a root-only copy of the bytes that were checked.
 */
class HostileUserTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);
    /**
     * Opening a FIFO nobody writes blocks until LIMIT; a dry-run that never opens it ends well
     * before, even with a slow JVM start on a loaded machine.
     */
    private static final Duration NEVER_OPENED = Duration.ofSeconds(30);
    private static final String PRE_306 = "InsufficientPermissionforPre-Script (306)";

    private final HostileUser user = HostileUser.ensure();
    private PackageSandbox box;
    private Path userDir;
    private Path evil;
    private Path pwned;
    private Path honestMarker;

    @BeforeEach
    void setUp() throws IOException {
        box = PackageSandbox.create();
        pwned = box.root().resolve("pwned");
        honestMarker = box.root().resolve("honest-ran");
        userDir = PackageSandbox.directory(box.root().resolve("home-hostile"), "rwxr-xr-x");
        user.own(userDir);
        evil = PackageSandbox.file(userDir.resolve("evil.sh"), "#!/bin/sh\nid -u > " + pwned + "\n", "rwx------");
        user.own(evil);
        box.script("post.sh", "exit 0");
    }

    @AfterEach
    void cleanUp() {
        if (box != null) {
            box.close();
        }
    }

    private Path honestPre(Path dir) throws IOException {
        return PackageSandbox.file(dir.resolve("pre.sh"), "#!/bin/sh\necho root > " + honestMarker + "\n", "rwx------");
    }

    private PackageSandbox.Result dryRunWithPre(Path pre) throws Exception {
        box.pluginConfig(pre.toString(), box.scripts().resolve("post.sh").toString(), 10);
        return box.handle("dry-run", LIMIT);
    }

    private void assertRefused(PackageSandbox.Result result, String expected) {
        assertEquals(2, result.exitCode(), result.toString());
        assertTrue(result.stdout().contains(expected), "expected " + expected + " in\n" + result);
        assertFalse(Files.exists(pwned), "the hostile user's code ran as root");
    }

    // ---- the plugin config

    @Test
    void config_replacedByASymlinkToTheUsersFile_isRefused317() throws Exception {
        Path usersConfig = PackageSandbox.file(userDir.resolve("cfg.json"), "{\"pluginName\":\"ScriptRunner\","
                + "\"preScriptLocation\":\"" + evil + "\",\"postScriptLocation\":\"\"}", "rw-------");
        user.own(usersConfig);
        Files.createSymbolicLink(box.pluginConfigFile(), usersConfig);

        assertRefused(box.handle("dry-run", LIMIT), "IncorrectJSONConfigFile (317)");
    }

    /** Root's link to root's file in root's directories is followed (issue 15 item 4); the script it names is not. */
    @Test
    void config_aRootSymlinkToARootFile_isFollowed_andTheUsersScriptItNamesIsRefused306() throws Exception {
        Path elsewhere = PackageSandbox.file(box.root().resolve("other.json"), "{\"pluginName\":\"ScriptRunner\","
                + "\"preScriptLocation\":\"" + evil + "\",\"postScriptLocation\":\"\"}", "rw-------");
        Files.createSymbolicLink(box.pluginConfigFile(), elsewhere);

        assertRefused(box.handle("dry-run", LIMIT), PRE_306);
    }

    @Test
    void config_aRootSymlinkToAFileInTheUsersDirectory_isRefused317() throws Exception {
        Path usersDirFile = PackageSandbox.file(userDir.resolve("cfg.json"), "{\"pluginName\":\"ScriptRunner\","
                + "\"preScriptLocation\":\"" + evil + "\",\"postScriptLocation\":\"\"}", "rw-------");
        Files.createSymbolicLink(box.pluginConfigFile(), usersDirFile);

        PackageSandbox.Result result = box.handle("dry-run", LIMIT);

        assertRefused(result, "IncorrectJSONConfigFile (317)");
        assertTrue(result.stdout().contains("directory " + userDir + " is owned by uid " + user.uid()), result.stdout());
    }

    @Test
    void config_ownedByTheUser_isRefused318() throws Exception {
        box.pluginConfig(evil.toString(), "", 10);
        user.own(box.pluginConfigFile());

        assertRefused(box.handle("dry-run", LIMIT), "IncorrectJSONConfigFile (318)");
    }

    @Test
    void config_writableByEveryone_isRefused317() throws Exception {
        box.pluginConfig(honestPre(box.scripts()).toString(), "", 10);
        ScriptFaultTestSupport.mode(box.pluginConfigFile(), "rw-rw-rw-");

        assertRefused(box.handle("dry-run", LIMIT), "IncorrectJSONConfigFile (317)");
        assertFalse(Files.exists(honestMarker), "no script runs from a config others may have changed");
    }

    /** Anyone could have deleted the customer's config: its absence must not read as "nothing configured". */
    @Test
    void config_absentFromADirectoryEveryoneCanWrite_isReported317() throws Exception {
        Path etc = box.pluginConfigFile().getParent();
        PackageSandbox.directory(etc, "rwxrwxrwx");

        PackageSandbox.Result check = box.handle("check", LIMIT);

        assertRefused(check, "IncorrectJSONConfigFile (317)");
        assertTrue(check.stdout().contains(etc + " has mode 0777"), check.toString());
    }

    @Test
    void config_thatIsAFifo_isRefusedWithoutHanging() throws Exception {
        Command.check(10, "mkfifo", "-m", "600", box.pluginConfigFile().toString());

        PackageSandbox.Result result = box.handle("dry-run", LIMIT);

        assertRefused(result, "is not a regular file");
        assertTrue(result.elapsed().compareTo(NEVER_OPENED) < 0, "never opened: " + result.elapsed());
    }

    // ---- the script

    @Test
    void script_thatIsASymlinkToTheUsersScript_isRefused306() throws Exception {
        Path link = box.scripts().resolve("pre.sh");
        Files.createSymbolicLink(link, evil);

        assertRefused(dryRunWithPre(link), PRE_306);
    }

    @Test
    void script_ownedByTheUser_isRefused306() throws Exception {
        assertRefused(dryRunWithPre(evil), PRE_306);
    }

    @Test
    void script_writableByTheUsersGroup_isRefused306() throws Exception {
        Path pre = honestPre(box.scripts());
        user.group(pre);
        ScriptFaultTestSupport.mode(pre, "rwxrwx---");

        assertRefused(dryRunWithPre(pre), PRE_306);
        assertFalse(Files.exists(honestMarker));
    }

    /** The seed's "anywhere on the VM": root's script under a user's home runs, from a copy of its bytes. */
    @Test
    void script_ownedByRootInADirectoryTheUserOwns_runsFromACopy() throws Exception {
        PackageSandbox.Result result = dryRunWithPre(honestPre(userDir));

        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(Files.exists(honestMarker), "root's script ran");
        assertTrue(result.stdout().contains("runs from a root-only copy of its verified bytes"), result.stdout());
        assertTrue(result.stdout().contains("directory " + userDir + " is owned by uid " + user.uid()),
                result.stdout());
    }

    @Test
    void script_ownedByRootUnderAGrandparentWritableByTheUsersGroup_runs() throws Exception {
        Path grandparent = PackageSandbox.directory(box.root().resolve("shared"), "rwxrwxr-x");
        user.group(grandparent);
        Path parent = PackageSandbox.directory(grandparent.resolve("app"), "rwxr-xr-x");

        PackageSandbox.Result result = dryRunWithPre(honestPre(parent));

        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(Files.exists(honestMarker), "root's script ran");
    }

    /** Sticky /tmp is not root-controlled: anyone may add names there, so the script runs from a copy. */
    @Test
    void script_ownedByRootInAStickyWorldWritableDirectoryLikeTmp_runsFromACopy() throws Exception {
        Path tmp = PackageSandbox.directory(box.root().resolve("tmp"), "rwxrwxrwx");
        Command.check(10, "chmod", "1777", tmp.toString());

        PackageSandbox.Result result = dryRunWithPre(honestPre(tmp));

        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.stdout().contains("has mode 1777"), result.stdout());
    }

    /**
     * The reproduction of issue 15: the user opens a file for writing, root adopts it (mv, chown,
     * chmod 700), and the user writes through the descriptor kept. While the descriptor is held the
     * script is refused, before and after the user wrote; nothing the user wrote runs.
     */
    @Test
    void script_heldOpenForWritingByTheUserAcrossChownAndChmod_isRefused306() throws Exception {
        Path created = userDir.resolve("draft.sh");
        Path opened = userDir.resolve("opened");
        Path go = userDir.resolve("go");
        Path written = userDir.resolve("written");
        assertEquals(0, user.sh("printf '#!/bin/sh\\necho root > " + honestMarker + "\\n' > " + created).exitCode());
        Process holder = user.start("exec 3>>" + created + "; touch " + opened + "; while [ ! -e " + go
                + " ]; do sleep 0.05; done; echo 'id -u > " + pwned + "' >&3; touch " + written
                + "; exec sleep 60");
        try {
            awaitFile(opened);
            Path pre = box.scripts().resolve("pre.sh");
            Command.check(10, "mv", created.toString(), pre.toString());
            Command.check(10, "chown", "0:0", pre.toString());
            Command.check(10, "chmod", "700", pre.toString());

            PackageSandbox.Result before = dryRunWithPre(pre);
            Files.createFile(go);
            awaitFile(written);
            PackageSandbox.Result after = dryRunWithPre(pre);

            for (PackageSandbox.Result result : List.of(before, after)) {
                assertRefused(result, PRE_306);
                assertTrue(result.stdout().contains("held open for writing by [pid "), result.stdout());
            }
            assertTrue(Files.readString(pre).contains("id -u > " + pwned), "the user did write");
            assertFalse(Files.exists(honestMarker), "no byte of a script someone could rewrite ran");
        } finally {
            holder.destroyForcibly().waitFor();
        }
    }

    /** issue 15: a root 700 script naming an interpreter the user can change would run the user's code. */
    @Test
    void script_whoseInterpreterTheUserOwns_isRefused306NamingIt() throws Exception {
        Path python = PackageSandbox.file(userDir.resolve("python3"), "#!/bin/sh\nid -u > " + pwned
                + "\nexec /bin/sh \"$@\"\n", "rwxr-xr-x");
        user.own(python);
        Path pre = PackageSandbox.file(box.scripts().resolve("pre.py"), "#!" + python + "\necho root > "
                + honestMarker + "\n", "rwx------");

        PackageSandbox.Result result = dryRunWithPre(pre);

        assertRefused(result, PRE_306);
        assertTrue(result.stdout().contains("its interpreter " + python), result.stdout());
    }

    /** The /opt/app/venv case: root's interpreter, but in a directory the app's user owns. */
    @Test
    void script_whoseInterpreterIsRootsInADirectoryTheUserOwns_isRefused306() throws Exception {
        Path venv = PackageSandbox.directory(userDir.resolve("venv"), "rwxr-xr-x");
        Path python = PackageSandbox.file(venv.resolve("python3"), "#!/bin/sh\nexec /bin/sh \"$@\"\n", "rwxr-xr-x");
        Path pre = PackageSandbox.file(box.scripts().resolve("pre.py"), "#!" + python + "\necho root > "
                + honestMarker + "\n", "rwx------");

        PackageSandbox.Result result = dryRunWithPre(pre);

        assertRefused(result, PRE_306);
        assertTrue(result.stdout().contains("directory " + userDir + " is owned by uid " + user.uid()), result.stdout());
        assertFalse(Files.exists(honestMarker));
    }

    /** Deployment tools' layout: /opt/app/current -> releases/N, all root's. */
    @Test
    void script_behindARootReleaseSymlinkChain_runs() throws Exception {
        Path release = PackageSandbox.directory(box.scripts().resolve("releases/42"), "rwxr-xr-x");
        honestPre(release);
        Path current = Files.createSymbolicLink(box.scripts().resolve("current"), Path.of("releases/42"));

        PackageSandbox.Result result = dryRunWithPre(current.resolve("pre.sh"));

        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(Files.exists(honestMarker), "root's script ran");
    }

    @Test
    void script_behindASymlinkTheUserOwns_isRefused306NamingTheLink() throws Exception {
        Path pre = honestPre(box.scripts());
        Path link = Files.createSymbolicLink(box.scripts().resolve("linked.sh"), pre);
        user.own(link);

        PackageSandbox.Result result = dryRunWithPre(link);

        assertRefused(result, PRE_306);
        assertTrue(result.stdout().contains(link + " is a symbolic link owned by uid " + user.uid()), result.stdout());
        assertFalse(Files.exists(honestMarker));
    }

    @Test
    void script_thatIsAFifo_isRefused306WithoutHanging() throws Exception {
        Path fifo = box.scripts().resolve("pre.sh");
        Command.check(10, "mkfifo", "-m", "700", fifo.toString());

        PackageSandbox.Result result = dryRunWithPre(fifo);

        assertRefused(result, PRE_306);
        assertTrue(result.stdout().contains("is not a regular file"), result.stdout());
        assertTrue(result.elapsed().compareTo(NEVER_OPENED) < 0, "never opened: " + result.elapsed());
    }

    @Test
    void script_underProcSelf_isRefused306() throws Exception {
        for (String path : List.of("/proc/self/environ", "/proc/self/fd/0", "/proc/thread-self/cmdline")) {
            assertRefused(dryRunWithPre(Path.of(path)), PRE_306);
        }
    }

    /** Root's /proc/<pid>/environ is a root-owned 0400 file, but whoever started that process wrote it. */
    @Test
    void script_inAProcFileOfARootProcess_isRefused306() throws Exception {
        PackageSandbox.Result result = dryRunWithPre(Path.of("/proc/1/environ"));

        assertRefused(result, PRE_306);
        assertTrue(result.stdout().contains("is on the proc file system"), result.stdout());
    }

    @Test
    void script_inTheProcDirectoryOfTheUsersOwnProcess_isRefused306() throws Exception {
        Process sleeper = user.start("exec sleep 30");
        try {
            awaitOwnedByTheUser(sleeper.pid());
            assertRefused(dryRunWithPre(Path.of("/proc/" + sleeper.pid() + "/cmdline")), PRE_306);
        } finally {
            sleeper.destroyForcibly();
        }
    }

    // ---- the check-then-run race

    /**
     * The directory rule is what closes the race between checking the script and running it: in a
     * directory only root can write, the user cannot rename, replace, link or rewrite the script,
     * however often they try while backups run; the script that runs is root's.
     */
    @Test
    void swapRace_inADirectoryOnlyRootCanWrite_everySwapFailsAndRootsScriptRuns() throws Exception {
        Path pre = honestPre(box.scripts());
        for (String attempt : List.of("mv " + evil + " " + pre, "ln -sf " + evil + " " + pre, "cp " + evil + " " + pre,
                "echo 'id -u > " + pwned + "' > " + pre, "rm -f " + pre, "ln " + evil + " " + box.scripts() + "/x")) {
            assertNotEquals(0, user.sh(attempt).exitCode(), "the user could: " + attempt);
        }
        Process racer = user.start(swapLoop(pre));
        try {
            for (int run = 0; run < 3; run++) {
                Files.deleteIfExists(honestMarker);
                PackageSandbox.Result result = dryRunWithPre(pre);
                assertEquals(0, result.exitCode(), result.toString());
                assertTrue(Files.exists(honestMarker), "root's script ran");
                assertFalse(Files.exists(pwned), "the user's script ran as root");
            }
        } finally {
            racer.destroyForcibly();
        }
    }

    /**
     * Under a directory the user can write, the user may swap root's script for their own at any
     * moment, and back. Each run is refused (the user's file, a file that changed while it was read,
     * or no file at that moment) or runs root's bytes, from a copy: never the user's.
     */
    @Test
    void swapRace_inADirectoryTheUserCanWrite_runsRootsBytesOrRefusesButNeverTheUsers() throws Exception {
        Path pre = honestPre(userDir);
        Path hidden = userDir.resolve("hidden.sh");
        Process racer = user.start("while :; do mv -f " + pre + " " + hidden + "; cp " + evil + " " + pre
                + "; mv -f " + hidden + " " + pre + "; ln -sf " + evil + " " + pre + ".l; mv -f " + pre + " " + hidden
                + "; mv -f " + pre + ".l " + pre + "; mv -f " + hidden + " " + pre + "; done 2>/dev/null");
        try {
            for (int run = 0; run < 5; run++) {
                PackageSandbox.Result result = dryRunWithPre(pre);
                assertTrue(result.exitCode() == 0 || result.stdout().contains(PRE_306)
                        || result.stdout().contains("Pre-ScriptNotFound (302)"), result.toString());
                assertFalse(Files.exists(pwned), "the user's script ran as root");
            }
        } finally {
            racer.destroyForcibly().waitFor();
        }
    }

    /**
     * The swap between check and run, made certain: both scripts are checked before the pre phase,
     * and the pre-script swaps the post-script (in the user's directory) for the user's before the
     * post phase runs it. What runs is the copy of the bytes checked.
     */
    @Test
    void swapBetweenCheckAndRun_inADirectoryTheUserCanWrite_runsTheVerifiedBytes() throws Exception {
        Path post = PackageSandbox.file(userDir.resolve("post.sh"), "#!/bin/sh\necho root > " + honestMarker + "\n",
                "rwx------");
        Path swap = box.script("swap.sh", "setpriv --reuid=" + user.uid() + " --regid=" + user.gid()
                + " --clear-groups -- mv -f " + evil + " " + post);
        box.pluginConfig(swap.toString(), post.toString(), 10);

        PackageSandbox.Result result = box.handle("dry-run", LIMIT);

        assertEquals(0, result.exitCode(), result.toString());
        assertEquals(user.uid(), (Integer) Files.getAttribute(post, "unix:uid"), "the user did swap it");
        assertTrue(Files.exists(honestMarker), "root's post-script ran");
        assertFalse(Files.exists(pwned), "the user's script ran as root");
    }

    private static void awaitFile(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(file)) {
            assertTrue(System.nanoTime() < deadline, file + " never appeared");
            Thread.sleep(20);
        }
    }

    /** Until setpriv has dropped to the user and exec'd the process whose /proc entry the test names. */
    private void awaitOwnedByTheUser(long pid) throws IOException, InterruptedException {
        Path proc = Path.of("/proc", Long.toString(pid));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!((Integer) Files.getAttribute(proc, "unix:uid")).equals(user.uid())
                || !Files.readString(proc.resolve("cmdline")).startsWith("sleep\0")) {
            assertTrue(System.nanoTime() < deadline, "process " + pid + " never ran as the user");
            Thread.sleep(20);
        }
    }

    /** Swaps the script with the evil one as fast as the user can, by every means a shell has. */
    private String swapLoop(Path pre) {
        return "while :; do cp " + evil + " " + pre + ".new 2>/dev/null; mv -f " + pre + ".new " + pre
                + " 2>/dev/null; ln -sf " + evil + " " + pre + " 2>/dev/null; done";
    }
}
