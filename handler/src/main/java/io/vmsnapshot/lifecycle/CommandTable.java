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

    /** @param commands one command for every operation; the policy of each is this table's */
    public static CommandTable standard(Map<Operation, Command> commands) {
        for (Operation operation : Operation.values()) {
            if (!commands.containsKey(operation)) {
                throw new IllegalArgumentException("no command for " + operation);
            }
        }
        CommandTable table = new CommandTable();
        table.add(new CommandSpec(Operation.INSTALL, commands.get(Operation.INSTALL), false, ExitCodes.INSTALL_FAILED));
        table.add(new CommandSpec(Operation.ENABLE, commands.get(Operation.ENABLE), true, ExitCodes.FAILURE));
        table.add(new CommandSpec(Operation.DISABLE, commands.get(Operation.DISABLE), false, ExitCodes.FAILURE));
        table.add(new CommandSpec(Operation.UNINSTALL, commands.get(Operation.UNINSTALL), false, ExitCodes.FAILURE));
        table.add(new CommandSpec(Operation.UPDATE, commands.get(Operation.UPDATE), false, ExitCodes.FAILURE));
        table.add(new CommandSpec(Operation.WORKER, commands.get(Operation.WORKER), true, ExitCodes.FAILURE));
        table.add(new CommandSpec(Operation.CHECK, commands.get(Operation.CHECK), false, ExitCodes.FAILURE));
        table.add(new CommandSpec(Operation.DRY_RUN, commands.get(Operation.DRY_RUN), false, ExitCodes.FAILURE));
        table.add(new CommandSpec(Operation.STATUS, commands.get(Operation.STATUS), false, ExitCodes.FAILURE));
        return table;
    }

    private void add(CommandSpec spec) {
        specs.put(spec.operation(), spec);
    }

    public Optional<CommandSpec> find(Operation operation) {
        return Optional.ofNullable(specs.get(operation));
    }
}
