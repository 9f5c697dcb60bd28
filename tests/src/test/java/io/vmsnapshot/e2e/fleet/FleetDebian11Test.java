package io.vmsnapshot.e2e.fleet;

import java.time.Duration;

/**
 * The package on an older system: a Debian 11 (glibc 2.31) minbase userland with no Java in it, and
 * the setsid of util-linux 2.23 (RHEL 7), which has no --fork. The launcher must find a runtime that
 * runs there and start the worker without options that setsid lacks.
 */
class FleetDebian11Test extends FleetScenarios {
    @Override
    Userland userland() {
        return Userlands.debian11Amd64();
    }

    @Override
    boolean oldSetsid() {
        return true;
    }

    @Override
    Duration backupDone() {
        return Duration.ofMinutes(2);
    }

    /** The kernel's answer: tmpfs has no freeze. */
    @Override
    String freezeError() {
        return "Operation not supported";
    }
}
