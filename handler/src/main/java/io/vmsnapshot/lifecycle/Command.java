package io.vmsnapshot.lifecycle;

import io.vmsnapshot.error.HandlerException;
import java.io.IOException;
import java.util.List;

/** One verb's behaviour. Returns the exit code; failures with a catalogue code are thrown. */
@FunctionalInterface
public interface Command {
    int run(HandlerContext context, List<String> arguments) throws HandlerException, IOException;
}
