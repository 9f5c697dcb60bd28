package io.vmsnapshot.freeze;

/** A held freeze. Thaw it exactly once; {@link #close()} thaws if {@link #thaw()} was not called. */
public interface FreezeSession extends AutoCloseable {
    /** Thaws (in reverse order) and says how the freeze ended; later calls return the same result. */
    ThawResult thaw();

    @Override
    default void close() {
        thaw();
    }
}
