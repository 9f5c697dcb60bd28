package io.vmsnapshot.pluginhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.testing.Sandbox;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Resolving a path link by link, and who controls the way (real files: lstat needs a real file system). */
class PathChainTest {
    private final Sandbox box = Sandbox.create();
    private final PathChain chain = new PathChain(Sandbox.currentUid());

    @AfterEach
    void cleanUp() {
        box.close();
    }

    @Test
    void aPlainPathInRootsDirectoriesIsRootControlledWithoutLinks() throws Exception {
        Path file = box.file("a/b/pre.sh", "x", "rwx------");

        PathChain.Resolved resolved = chain.resolve(file);

        assertEquals(file, resolved.target());
        assertEquals(List.of(), resolved.links());
        assertTrue(resolved.rootControlled());
    }

    @Test
    void aReleaseLinkWithDotDotIsResolvedPhysically() throws Exception {
        Path file = box.file("app/releases/5/pre.sh", "x", "rwx------");
        box.dir("app/shared");
        Path current = Files.createSymbolicLink(box.root().resolve("app/current"), Path.of("shared/../releases/5"));

        PathChain.Resolved resolved = chain.resolve(current.resolve("pre.sh"));

        assertEquals(file, resolved.target());
        assertEquals(List.of(current), resolved.links());
    }

    @Test
    void aDirectoryOthersCanWriteIsNamedButNotRefusedWithoutLinks() throws Exception {
        Path file = box.file("home/user/pre.sh", "x", "rwx------");
        Sandbox.chown(file.getParent(), 65534);

        PathChain.Resolved resolved = chain.resolve(file);

        assertEquals("directory " + file.getParent() + " is owned by uid 65534", resolved.notRootControlled().get());
    }

    @Test
    void aStickyWorldWritableDirectoryIsNotRootControlled() throws Exception {
        Path tmp = box.dir("tmp");
        Files.setAttribute(tmp, "unix:mode", 01777);
        Path file = box.file("tmp/pre.sh", "x", "rwx------");

        assertTrue(chain.resolve(file).notRootControlled().get().contains("has mode 1777"));
    }

    @Test
    void aLinkOfAnotherOwnerIsRefusedNamingIt() throws Exception {
        box.file("real/pre.sh", "x", "rwx------");
        Path link = Files.createSymbolicLink(box.root().resolve("link"), box.root().resolve("real"));
        Sandbox.chown(link, 65534);

        PathChain.UnsafeLinkException e = assertThrows(PathChain.UnsafeLinkException.class,
                () -> chain.resolve(link.resolve("pre.sh")));

        assertEquals(link, e.link());
        assertTrue(e.getMessage().contains("owned by uid 65534"), e.getMessage());
    }

    @Test
    void aRootLinkInADirectoryOthersControlIsRefused() throws Exception {
        box.file("real/pre.sh", "x", "rwx------");
        Path home = box.dir("home");
        Sandbox.chown(home, 65534);
        Path link = Files.createSymbolicLink(home.resolve("pre.sh"), box.root().resolve("real/pre.sh"));

        PathChain.UnsafeLinkException e = assertThrows(PathChain.UnsafeLinkException.class, () -> chain.resolve(link));

        assertTrue(e.getMessage().contains("directory " + home + " is owned by uid 65534"), e.getMessage());
    }

    @Test
    void aRootLinkLeadingIntoADirectoryOthersControlIsRefused() throws Exception {
        Path file = box.file("home/user/pre.sh", "x", "rwx------");
        Sandbox.chmod(file.getParent(), "rwxrwxrwx");
        Path link = Files.createSymbolicLink(box.root().resolve("pre.sh"), file);

        PathChain.UnsafeLinkException e = assertThrows(PathChain.UnsafeLinkException.class, () -> chain.resolve(link));

        assertEquals(link, e.link());
        assertTrue(e.getMessage().contains("has mode 0777"), e.getMessage());
    }

    @Test
    void aLinkLoopEndsAfterFortyLinks() throws Exception {
        Path a = box.root().resolve("a");
        Files.createSymbolicLink(a, box.root().resolve("b"));
        Files.createSymbolicLink(box.root().resolve("b"), a);

        FileSystemException e = assertThrows(FileSystemException.class, () -> chain.resolve(a));

        assertTrue(e.getMessage().contains("more than 40 symbolic links"), e.getMessage());
    }
}
