package io.vmsnapshot.e2e.freeze;

import io.vmsnapshot.freeze.FreezeRecordStore;
import io.vmsnapshot.freeze.FreezeSession;
import io.vmsnapshot.freeze.HelperFreezer;
import io.vmsnapshot.freeze.Mount;
import io.vmsnapshot.freeze.MountTable;
import io.vmsnapshot.freeze.SystemHelperLauncher;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Stands in for the handler's worker in {@link ParentDeathTest}: a separate JVM that freezes one
 * mount through the real helper, says "frozen" on stdout, and holds the freeze until it is killed.
 * Arguments: helper binary, run directory, mount point.
 */
public final class FreezeHolder {
    private FreezeHolder() {
    }

    public static void main(String[] args) throws Exception {
        Path mountPoint = Path.of(args[2]);
        Mount mount = new MountTable(Path.of("/proc/self/mountinfo")).read().stream()
                .filter(m -> m.mountPoint().equals(mountPoint))
                .reduce((first, last) -> last)
                .orElseThrow();
        FreezeSession session = new HelperFreezer(Path.of(args[0]), new SystemHelperLauncher(),
                new FreezeRecordStore(Path.of(args[1])), Path.of("/proc"), Clock.systemUTC(),
                Duration.ofSeconds(30), Duration.ofSeconds(30)).freeze(List.of(mount), Duration.ofSeconds(120));
        System.out.println("frozen");
        System.out.flush();
        Thread.sleep(Duration.ofSeconds(120).toMillis());
        session.thaw();
    }
}
