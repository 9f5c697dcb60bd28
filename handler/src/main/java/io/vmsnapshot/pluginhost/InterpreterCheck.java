package io.vmsnapshot.pluginhost;

import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.prepost.ScriptPhase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Decides what program reads a script, and that only root can change it. A root-owned {@code 700}
 * script is worth nothing if its {@code #!} names {@code /opt/app/venv/bin/python3} and the app's
 * user owns {@code /opt/app}: that user's python would run as root. So the interpreter (after
 * {@code #!/usr/bin/env}, the program env would find on {@link ScriptCommand#PATH}) must be a
 * regular file owned by root, not writable by group or other, with every directory and link on
 * the way root-controlled ({@link PathChain}); an interpreter that is itself a {@code #!} script
 * is checked the same way, as deep as the kernel goes.
 *
 * <p>The result is the argv prefix the script runs with, as the kernel would build it: the
 * interpreter as written (so {@code /bin/sh} stays {@code sh} for bash's POSIX mode) and its one
 * optional argument. For {@code env} it is the program env would have run, so nothing is looked up
 * again between the check and the run. A script without {@code #!}, or whose owner may not
 * execute it, runs with {@code /bin/sh}, as upstream did.
 */
final class InterpreterCheck {
    /** Linux reads at most this much of a {@code #!} line (BINPRM_BUF_SIZE). */
    static final int SHEBANG_BYTES = 256;
    /** How deep the kernel follows interpreters that are scripts themselves. */
    private static final int MAX_NESTING = 4;
    private static final int GROUP_OR_OTHER_WRITE = 0022;

    private final PathChain chain;
    private final int handlerUid;
    /**
     * Programs already found root-controlled by this check, which lives as long as one precheck:
     * the pre- and post-script mostly share their interpreter, and what only root can change needs
     * no second look within the same milliseconds.
     */
    private final Set<Path> rootControlled = new HashSet<>();

    InterpreterCheck(PathChain chain, int handlerUid) {
        this.chain = chain;
        this.handlerUid = handlerUid;
    }

    /** The program and arguments that come before the script's path in its argv. */
    List<String> argvPrefix(Path script, byte[] content, boolean ownerExecutes, ScriptPhase phase)
            throws HandlerException {
        Optional<Shebang> shebang = ownerExecutes ? Shebang.parse(content) : Optional.empty();
        if (shebang.isEmpty()) {
            checkProgram(script, Path.of(ScriptCommand.SHELL), phase, 0);
            return List.of(ScriptCommand.SHELL);
        }
        String interpreter = shebang.get().interpreter();
        if (!interpreter.startsWith("/")) {
            throw refuse(phase, script + ": its #! line names the interpreter '" + interpreter
                    + "', which is not an absolute path; write #!/bin/sh or the interpreter's full path");
        }
        checkProgram(script, Path.of(interpreter), phase, 0);
        Optional<String> argument = shebang.get().argument();
        if (Path.of(interpreter).getFileName().toString().equals("env") && argument.isPresent()) {
            return List.of(envProgram(script, argument.get(), phase).toString());
        }
        List<String> prefix = new ArrayList<>(List.of(interpreter));
        if (argument.isPresent()) {
            prefix.add(argument.get());
        }
        return prefix;
    }

    private Path envProgram(Path script, String program, ScriptPhase phase) throws HandlerException {
        if (program.startsWith("-") || program.contains("=") || hasWhitespace(program)) {
            throw refuse(phase, script + ": its #! line runs env with '" + program + "'; only #!/usr/bin/env"
                    + " <program> is supported, or write the interpreter's full path");
        }
        if (program.startsWith("/")) {
            checkProgram(script, Path.of(program), phase, 0);
            return Path.of(program);
        }
        if (program.contains("/")) {
            throw refuse(phase, script + ": its #! line runs env with the relative path '" + program
                    + "'; write the interpreter's full path");
        }
        for (String dir : ScriptCommand.PATH.split(":")) {
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                checkProgram(script, candidate, phase, 0);
                return candidate;
            }
        }
        throw refuse(phase, script + ": its #! line runs env " + program + ", and there is no " + program
                + " on the PATH scripts get (" + ScriptCommand.PATH + ")");
    }

    private void checkProgram(Path script, Path program, ScriptPhase phase, int depth) throws HandlerException {
        if (rootControlled.contains(program)) {
            return;
        }
        String subject = script + ": its interpreter " + program;
        PathChain.Resolved resolved;
        try {
            resolved = chain.resolve(program);
        } catch (PathChain.UnsafeLinkException e) {
            throw refuse(phase, subject + " is not safe: " + e.getMessage());
        } catch (IOException e) {
            throw refuse(phase, subject + " cannot be used: " + describe(e));
        }
        if (resolved.notRootControlled().isPresent()) {
            throw refuse(phase, subject + " could be replaced by someone other than root: "
                    + resolved.notRootControlled().get() + "; use an interpreter only root can change");
        }
        Stat stat = resolved.stat();
        if (!stat.isRegularFile()) {
            throw refuse(phase, subject + " is not a regular file");
        }
        if (stat.uid() != 0 && stat.uid() != handlerUid) {
            throw refuse(phase, subject + (resolved.links().isEmpty() ? "" : " (" + resolved.target() + ")")
                    + " is owned by uid " + stat.uid() + ", so that user could make it run anything as root");
        }
        if (stat.grants(GROUP_OR_OTHER_WRITE)) {
            throw refuse(phase, subject + (resolved.links().isEmpty() ? "" : " (" + resolved.target() + ")")
                    + " has mode " + stat.permissions() + " (writable by group or other)");
        }
        if (depth < MAX_NESTING) {
            Optional<Shebang> nested = Shebang.parse(head(resolved.target()));
            if (nested.isPresent() && nested.get().interpreter().startsWith("/")) {
                checkProgram(script, Path.of(nested.get().interpreter()), phase, depth + 1);
            }
        }
        rootControlled.add(program);
    }

    private static byte[] head(Path file) {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            return in.readNBytes(SHEBANG_BYTES);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static boolean hasWhitespace(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static String describe(IOException e) {
        return e instanceof java.nio.file.NoSuchFileException ? "it does not exist" : e.getMessage();
    }

    private static HandlerException refuse(ScriptPhase phase, String detail) {
        return new HandlerException(phase.permission(), detail);
    }

    /** The {@code #!} line as Linux splits it: the interpreter, then everything else as one argument. */
    record Shebang(String interpreter, Optional<String> argument) {
        static Optional<Shebang> parse(byte[] content) {
            if (content.length < 2 || content[0] != '#' || content[1] != '!') {
                return Optional.empty();
            }
            byte[] head = Arrays.copyOfRange(content, 2, Math.min(content.length, SHEBANG_BYTES));
            String line = new String(head, StandardCharsets.UTF_8);
            int end = line.indexOf('\n');
            line = (end >= 0 ? line.substring(0, end) : line).replaceAll("^[ \\t]+|[ \\t\\r]+$", "");
            if (line.isEmpty()) {
                return Optional.of(new Shebang("", Optional.empty()));
            }
            int space = firstBlank(line);
            if (space < 0) {
                return Optional.of(new Shebang(line, Optional.empty()));
            }
            String argument = line.substring(space).replaceAll("^[ \\t]+", "");
            return Optional.of(new Shebang(line.substring(0, space),
                    argument.isEmpty() ? Optional.empty() : Optional.of(argument)));
        }

        private static int firstBlank(String line) {
            for (int i = 0; i < line.length(); i++) {
                if (line.charAt(i) == ' ' || line.charAt(i) == '\t') {
                    return i;
                }
            }
            return -1;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Shebang that && Objects.equals(interpreter, that.interpreter)
                    && Objects.equals(argument, that.argument);
        }

        @Override
        public int hashCode() {
            return Objects.hash(interpreter, argument);
        }

        @Override
        public String toString() {
            return "Shebang[interpreter=" + interpreter + ", argument=" + argument + "]";
        }
    }
}
