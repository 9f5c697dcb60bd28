package io.vmsnapshot.lifecycle;

import io.vmsnapshot.agent.Operation;
import io.vmsnapshot.logging.Redactor;
import io.vmsnapshot.report.AgentFileAccess;
import io.vmsnapshot.report.StatusReporter;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.error.Messages;
import io.vmsnapshot.status.StatusType;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one verb and turns every failure into an exit code and, where the agent reads one, an
 * error status: the one place that catches. Never a stack trace as the only output.
 */
public final class Handler {
    private static final Logger LOG = LoggerFactory.getLogger(Handler.class);

    private final CommandTable table;
    private final AgentFileAccess agentFiles;
    private final Map<String, String> env;
    private final Redactor redactor;
    private final PrintStream out;
    private final PrintStream err;
    private final String version;

    /**
     * @param env the agent's environment, for the sequence number of a failed enable's status
     * @param out the operator's terminal (usage)
     * @param err what the agent records of a failed command (CommandExecution.log)
     */
    public Handler(CommandTable table, AgentFileAccess agentFiles, Map<String, String> env, Redactor redactor,
                   PrintStream out, PrintStream err, String version) {
        this.table = Objects.requireNonNull(table, "table");
        this.agentFiles = Objects.requireNonNull(agentFiles, "agentFiles");
        this.env = Map.copyOf(env);
        this.redactor = Objects.requireNonNull(redactor, "redactor");
        this.out = Objects.requireNonNull(out, "out");
        this.err = Objects.requireNonNull(err, "err");
        this.version = Objects.requireNonNull(version, "version");
    }

    public int run(List<String> arguments) {
        Optional<CommandSpec> spec = arguments.isEmpty() ? Optional.empty()
                : Operation.fromVerb(arguments.get(0)).flatMap(table::find);
        if (spec.isEmpty()) {
            out.println("usage: handle.sh <" + String.join("|",
                    Arrays.stream(Operation.values()).map(Operation::verb).toList()) + ">");
            LOG.error("unknown-verb arguments={}", arguments);
            return ExitCodes.USAGE;
        }
        CommandSpec command = spec.get();
        List<String> rest = arguments.subList(1, arguments.size());
        LOG.info("command-start verb={} version={}", command.operation().verb(), version);
        try {
            int exitCode = command.command().run(rest);
            LOG.info("command-end verb={} exitCode={}", command.operation().verb(), exitCode);
            beat(command.operation(), exitCode);
            return exitCode;
        } catch (HandlerException e) {
            LOG.error("command-failed verb={} code={} detail={}", command.operation().verb(),
                    e.errorCode().upstreamName(), e.detail());
            reportFailure(command, rest, e.errorCode(), e.detail());
            // The agent copies our output into CommandExecution.log: redacted like the status.
            err.println("error: " + redactor.redact(
                    Messages.forLocale(null).describe(e.errorCode(), e.detail())));
            return command.failExitCode();
        } catch (IOException | RuntimeException e) {
            LOG.error("command-crashed verb=" + command.operation().verb(), e);
            reportFailure(command, rest, ErrorCode.SYSTEM_ERROR, e.toString());
            err.println("error: " + redactor.redact(
                    Messages.forLocale(null).describe(ErrorCode.SYSTEM_ERROR, e.toString())));
            return command.failExitCode();
        }
    }

    /** Every agent command leaves the heartbeat saying what the extension did last (disable says NotReady itself). */
    private void beat(Operation operation, int exitCode) {
        if (operation != Operation.INSTALL && operation != Operation.ENABLE && operation != Operation.UPDATE) {
            return;
        }
        try {
            agentFiles.open().reporter().heartbeat(exitCode == ExitCodes.SUCCESS,
                    "en-US", operation.statusName() + (exitCode == ExitCodes.SUCCESS ? " succeeded" : " failed"));
        } catch (HandlerException e) {
            LOG.warn("heartbeat-skipped reason={}", e.detail());
        }
    }

    private void reportFailure(CommandSpec command, List<String> rest, ErrorCode code, String detail) {
        if (!command.reportsStatus()) {
            return;
        }
        int seq = sequenceNumberOf(command.operation(), rest);
        StatusReporter reporter;
        try {
            reporter = agentFiles.open().reporter();
        } catch (HandlerException e) {
            reporter = agentFiles.fallbackReporter();
        }
        try {
            reporter.report(seq, command.operation(), StatusType.ERROR, code, Messages.forLocale(null),
                    redactor.redact(detail));
        } catch (IOException e) {
            LOG.error("status-write-failed seq={} error={}", seq, e.toString());
        }
    }

    private int sequenceNumberOf(Operation operation, List<String> rest) {
        String value = operation == Operation.WORKER && !rest.isEmpty() ? rest.get(0)
                : env.getOrDefault("ConfigSequenceNumber", "0");
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
