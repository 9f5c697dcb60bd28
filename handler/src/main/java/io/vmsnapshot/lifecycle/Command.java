package io.vmsnapshot.lifecycle;

import io.vmsnapshot.error.HandlerException;
import java.io.IOException;
import java.util.List;

/**
 * One verb's behaviour, built with the collaborators it uses (see SystemWiring). Returns the exit
 * code; failures with a catalogue code are thrown.
 */
@FunctionalInterface
public interface Command {
    int run(List<String> arguments) throws HandlerException, IOException;
}
