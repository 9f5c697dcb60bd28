package io.vmsnapshot.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vmsnapshot.logging.LogHold;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class HeartbeatKeeperTest {
    /** A hold that says which writes it was asked to run, and whether it ran them. */
    private static final class RecordingHold implements LogHold {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final CountDownLatch asked = new CountDownLatch(1);
        final boolean held;

        RecordingHold(boolean held) {
            this.held = held;
        }

        @Override
        public void hold() {
        }

        @Override
        public void release() {
        }

        @Override
        public boolean unlessHeld(Runnable write) {
            calls.add(held ? "skipped" : "ran");
            if (!held) {
                write.run();
            }
            asked.countDown();
            return !held;
        }
    }

    @Test
    void start_writesTheHeartbeatThroughTheHoldsOneStepCheckAndWrite() throws Exception {
        RecordingHold hold = new RecordingHold(false);
        List<String> beats = new CopyOnWriteArrayList<>();

        try (HeartbeatKeeper keeper = HeartbeatKeeper.start(() -> beats.add("beat"), hold)) {
            hold.asked.await();
        }

        assertEquals(List.of("ran"), hold.calls.subList(0, 1));
        assertEquals("beat", beats.get(0));
    }

    @Test
    void start_whileTheLogIsHeld_writesNoHeartbeat() throws Exception {
        RecordingHold hold = new RecordingHold(true);
        List<String> beats = new CopyOnWriteArrayList<>();

        try (HeartbeatKeeper keeper = HeartbeatKeeper.start(() -> beats.add("beat"), hold)) {
            hold.asked.await();
        }

        assertEquals(List.of(), beats);
    }
}
