package io.vmsnapshot.pluginhost;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Resolves a path component by component with lstat and readlink, as the kernel would, and says
 * who controls what it went through; nothing is followed before it is checked (no toRealPath).
 *
 * <p>A directory is <em>root-controlled</em> when root (or the handler's uid) owns it and neither
 * group nor other may write it. A sticky world-writable directory such as {@code /tmp} is not:
 * anyone may add names there (a directory, a mount point of their own), even if they cannot remove
 * root's. A symbolic link is followed only when the link is root's and every directory above it is
 * root-controlled, so that nobody else can retarget or replace it; and a path reached through a
 * link must be root-controlled all the way down to its target. Anything else is refused naming the
 * link ({@link UnsafeLinkException}). At most {@value #MAX_LINKS} links are followed, as Linux does.
 */
final class PathChain {
    static final int MAX_LINKS = 40;
    private static final int GROUP_OR_OTHER_WRITE = 0022;

    private final int handlerUid;

    PathChain(int handlerUid) {
        this.handlerUid = handlerUid;
    }

    /**
     * Where a path leads and who controls the way.
     *
     * @param target            the path of the file itself, no link left in it
     * @param stat              lstat of the target
     * @param links             the links followed, in order
     * @param notRootControlled why the directories above the target are not root-controlled (the
     *                          first one found), empty when they are
     */
    record Resolved(Path target, Stat stat, List<Path> links, Optional<String> notRootControlled) {
        Resolved {
            links = List.copyOf(links);
        }

        boolean rootControlled() {
            return notRootControlled.isEmpty();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Resolved that && Objects.equals(target, that.target)
                    && Objects.equals(stat, that.stat) && links.equals(that.links)
                    && Objects.equals(notRootControlled, that.notRootControlled);
        }

        @Override
        public int hashCode() {
            return Objects.hash(target, stat, links, notRootControlled);
        }

        @Override
        public String toString() {
            return "Resolved[target=" + target + ", stat=" + stat + ", links=" + links + ", notRootControlled="
                    + notRootControlled + "]";
        }
    }

    /** A link that someone other than root could change, or that leads somewhere others control. */
    static final class UnsafeLinkException extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient Path link;

        UnsafeLinkException(Path link, String reason) {
            super(link + " is a symbolic link " + reason);
            this.link = link;
        }

        Path link() {
            return link;
        }
    }

    /** One directory reached, and the first reason a directory up to it is not root-controlled. */
    private record Step(Path dir, Optional<String> notRootControlled) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Step that && Objects.equals(dir, that.dir)
                    && Objects.equals(notRootControlled, that.notRootControlled);
        }

        @Override
        public int hashCode() {
            return Objects.hash(dir, notRootControlled);
        }

        @Override
        public String toString() {
            return "Step[dir=" + dir + ", notRootControlled=" + notRootControlled + "]";
        }
    }

    /**
     * @throws java.nio.file.NoSuchFileException if a component is missing
     * @throws FileSystemException              if a component above the end is not a directory, or too many links
     * @throws UnsafeLinkException              if a link is not root-controlled
     */
    Resolved resolve(Path path) throws IOException {
        if (!path.isAbsolute()) {
            throw new FileSystemException(path.toString(), null, "not an absolute path");
        }
        Deque<Step> steps = new ArrayDeque<>();
        steps.push(rootStep(path.getRoot()));
        Deque<String> todo = new ArrayDeque<>();
        for (Path name : path) {
            todo.addLast(name.toString());
        }
        List<Path> links = new ArrayList<>();
        while (true) {
            String name = todo.pollFirst();
            if (name == null) {
                throw new FileSystemException(path.toString(), null, "names a directory, not a file");
            }
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                if (steps.size() > 1) {
                    steps.pop();
                }
                continue;
            }
            Step here = steps.peek();
            Path next = here.dir().resolve(name);
            Stat stat = Stat.of(next);
            if (stat.isSymlink()) {
                follow(next, stat, here, links, todo, steps, path);
                continue;
            }
            if (onlyCurrentDirLeft(todo)) {
                Optional<String> uncontrolled = here.notRootControlled();
                if (!links.isEmpty() && uncontrolled.isPresent()) {
                    throw new UnsafeLinkException(links.get(0), "to " + next + ", and " + uncontrolled.get());
                }
                return new Resolved(next, stat, links, uncontrolled);
            }
            if (!stat.isDirectory()) {
                throw new FileSystemException(path.toString(), null, next + " is not a directory");
            }
            Optional<String> above = here.notRootControlled();
            steps.push(new Step(next, above.isPresent() ? above : uncontrolled(next, stat)));
        }
    }

    /** Nothing but empty names and "." left: the name just looked up is the end of the path. */
    private static boolean onlyCurrentDirLeft(Deque<String> todo) {
        for (String rest : todo) {
            if (!rest.isEmpty() && !rest.equals(".")) {
                return false;
            }
        }
        return true;
    }

    private Step rootStep(Path root) throws IOException {
        Stat stat = Stat.of(root);
        return new Step(root, uncontrolled(root, stat));
    }

    private void follow(Path link, Stat stat, Step here, List<Path> links, Deque<String> todo, Deque<Step> steps,
            Path path) throws IOException {
        if (links.size() >= MAX_LINKS) {
            throw new FileSystemException(path.toString(), null, "more than " + MAX_LINKS + " symbolic links");
        }
        if (here.notRootControlled().isPresent()) {
            throw new UnsafeLinkException(link, "and " + here.notRootControlled().get()
                    + ", so that user could retarget it; configure the real path");
        }
        if (!controls(stat.uid())) {
            throw new UnsafeLinkException(link, "owned by uid " + stat.uid()
                    + "; only a link owned by root is followed (ln -sfn as root, or configure the real path)");
        }
        Path target = Files.readSymbolicLink(link);
        links.add(link);
        List<String> names = new ArrayList<>();
        for (Path name : target) {
            names.add(name.toString());
        }
        for (int i = names.size() - 1; i >= 0; i--) {
            todo.addFirst(names.get(i));
        }
        if (target.isAbsolute()) {
            while (steps.size() > 1) {
                steps.pop();
            }
        }
    }

    private Optional<String> uncontrolled(Path dir, Stat stat) {
        if (!controls(stat.uid())) {
            return Optional.of("directory " + dir + " is owned by uid " + stat.uid());
        }
        if (stat.grants(GROUP_OR_OTHER_WRITE)) {
            return Optional.of("directory " + dir + " has mode " + stat.permissions() + " (writable by group or other)");
        }
        return Optional.empty();
    }

    private boolean controls(int uid) {
        return uid == 0 || uid == handlerUid;
    }
}
