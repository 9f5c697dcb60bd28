package io.vmsnapshot.report;

import io.vmsnapshot.status.StatusType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A stand-in for enable or the worker in its own JVM: says "ready", waits for the go file (so that
 * all writers start together, whatever their JVM start-up took), then puts {@code count} tasks
 * named {@code <prefix>-<n>} one after the other.
 */
public final class TaskRegistryWriterMain {
    private TaskRegistryWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        TaskRegistry registry = new TaskRegistry(Path.of(args[0]));
        String prefix = args[1];
        int count = Integer.parseInt(args[2]);
        Path go = Path.of(args[3]);
        System.out.println("ready");
        System.out.flush();
        while (!Files.exists(go)) {
            Thread.sleep(5);
        }
        for (int n = 0; n < count; n++) {
            registry.put(new TaskRecord(prefix + "-" + n, n, StatusType.SUCCESS, 1, "ok", "en-us", n));
        }
    }
}
