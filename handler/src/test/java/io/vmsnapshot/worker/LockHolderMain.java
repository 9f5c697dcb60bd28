package io.vmsnapshot.worker;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A stand-in worker in its own JVM: takes the worker lock, says "locked" on stdout, and on SIGTERM
 * either exits (releasing the lock, as a worker does after thaw and post) or, with {@code stubborn},
 * keeps holding it (a worker whose post-scripts hang).
 */
public final class LockHolderMain {
    private LockHolderMain() {
    }

    public static void main(String[] args) throws Exception {
        Path lockFile = Path.of(args[0]);
        boolean stubborn = args.length > 1 && args[1].equals("stubborn");
        Optional<WorkerLock> lock = WorkerLock.tryAcquire(lockFile, ProcessHandle.current().pid());
        if (lock.isEmpty()) {
            System.out.println("busy");
            System.exit(1);
        }
        if (stubborn) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> sleep(60_000)));
        }
        System.out.println("locked");
        System.out.flush();
        sleep(120_000);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
