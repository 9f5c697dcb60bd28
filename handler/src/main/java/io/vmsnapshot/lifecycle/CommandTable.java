package io.vmsnapshot.lifecycle;

import io.vmsnapshot.agent.Operation;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** Which command runs for which verb, with its policy (style: dispatch is data, asserted row by row). */
public final class CommandTable {
    private final Map<Operation, CommandSpec> specs = new EnumMap<>(Operation.class);

    private CommandTable() {
    }

    public static CommandTable standard(Command check, Command dryRun) {
        CommandTable table = new CommandTable();
        table.add(new CommandSpec(Operation.INSTALL, new InstallCommand(), false, ExitCodes.INSTALL_FAILED));
        table.add(new CommandSpec(Operation.ENABLE, new EnableCommand(), true, ExitCodes.FAILURE));
        table.add(new CommandSpec(Operation.DISABLE, new DisableCommand(), false, ExitCodes.FAILURE));
        table.add(new CommandSpec(Operation.UNINSTALL, new UninstallCommand(), false, ExitCodes.FAILURE));
        table.add(new CommandSpec(Operation.UPDATE, new UpdateCommand(), false, ExitCodes.FAILURE));
        table.add(new CommandSpec(Operation.WORKER, new WorkerCommand(), true, ExitCodes.FAILURE));
        table.add(new CommandSpec(Operation.CHECK, check, false, ExitCodes.FAILURE));
        table.add(new CommandSpec(Operation.DRY_RUN, dryRun, false, ExitCodes.FAILURE));
        table.add(new CommandSpec(Operation.STATUS, new StatusCommand(), false, ExitCodes.FAILURE));
        return table;
    }

    private void add(CommandSpec spec) {
        specs.put(spec.operation(), spec);
    }

    public Optional<CommandSpec> find(Operation operation) {
        return Optional.ofNullable(specs.get(operation));
    }
}
