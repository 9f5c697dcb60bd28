package io.vmsnapshot.worker;

/** Where the worker registers what must run when it is told to stop (SIGTERM); Main adds JVM hooks. */
@FunctionalInterface
public interface ShutdownHooks {
    ShutdownHooks NONE = hook -> { };

    void add(Runnable hook);
}
