package io.vmsnapshot;

/** The only class that touches the process's world: environment, file system, clock, exit. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.err.println("vmsnapshot-linux: not wired yet");
        System.exit(2);
    }
}
