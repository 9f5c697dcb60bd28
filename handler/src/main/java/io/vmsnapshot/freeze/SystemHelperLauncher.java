package io.vmsnapshot.freeze;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.util.List;

/**
 * The real launcher. stderr goes to /dev/null (the helper never writes there, and a redirect to a
 * log file could block on a frozen file system); the working directory is {@code /}, which keeps
 * no mount we freeze busy.
 */
public final class SystemHelperLauncher implements HelperLauncher {
    @Override
    public Process start(List<String> argv) throws IOException {
        return new ProcessBuilder(argv)
                .directory(new java.io.File("/"))
                .redirectInput(Redirect.PIPE)
                .redirectOutput(Redirect.PIPE)
                .redirectError(Redirect.DISCARD)
                .start();
    }
}
