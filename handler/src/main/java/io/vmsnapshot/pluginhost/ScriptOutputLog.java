package io.vmsnapshot.pluginhost;

import io.vmsnapshot.process.LineSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one attempt's output to the extension log, line by line, up to {@link #MAX_LOGGED_BYTES};
 * beyond that lines are only counted. A script that prints without end must not fill the log's
 * file system (/var/log) at every backup; its last lines still reach the status.
 */
final class ScriptOutputLog implements LineSink {
    /** Well above the 10 MiB a chatty script is expected to print in full (docs/prepost.md §5). */
    static final long MAX_LOGGED_BYTES = 16L * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(ScriptExecution.class);

    private final String phase;
    private final String plugin;
    private final int attempt;
    private long loggedBytes;
    private long droppedLines;

    ScriptOutputLog(String phase, String plugin, int attempt) {
        this.phase = phase;
        this.plugin = plugin;
        this.attempt = attempt;
    }

    @Override
    public synchronized void line(String text) {
        if (loggedBytes < MAX_LOGGED_BYTES) {
            loggedBytes += text.length() + 1;
            LOG.info("script-output phase={} plugin={} attempt={} line={}", phase, plugin, attempt, text);
            return;
        }
        if (droppedLines++ == 0) {
            LOG.warn("script-output-truncated phase={} plugin={} attempt={} loggedBytes={} reason=\"further output"
                    + " is not logged\"", phase, plugin, attempt, loggedBytes);
        }
    }
}
