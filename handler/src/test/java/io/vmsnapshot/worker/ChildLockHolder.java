package io.vmsnapshot.worker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts {@link LockHolderMain} in a child JVM and waits until it holds the lock; kills it on close. */
public final class ChildLockHolder implements AutoCloseable {
    private final Process process;

    public ChildLockHolder(Path lockFile, boolean stubborn) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), LockHolderMain.class.getName(), lockFile.toString()));
        if (stubborn) {
            command.add("stubborn");
        }
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = reader.readLine();
        if (!"locked".equals(line)) {
            process.destroyForcibly();
            throw new IOException("the child did not take the lock: " + line);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean exitsWithin(long millis) throws InterruptedException {
        return process.waitFor(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
    }
}
