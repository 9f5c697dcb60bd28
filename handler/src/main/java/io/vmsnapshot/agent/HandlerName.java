package io.vmsnapshot.agent;

import java.nio.file.Path;

/** The handler's full name, {@code <Publisher>.<Type>}, as the agent names our directory. */
public final class HandlerName {
    public static final String DEFAULT = "Microsoft.Azure.RecoveryServices.VMSnapshotLinux";

    private HandlerName() {
    }

    /** The agent unzips into {@code <Name>-<Version>}; a name never contains '-' (contract §1). */
    public static String fromPackageRoot(Path packageRoot) {
        Path fileName = packageRoot.getFileName();
        if (fileName == null) {
            return DEFAULT;
        }
        String dir = fileName.toString();
        int dash = dir.indexOf('-');
        return dash > 0 ? dir.substring(0, dash) : DEFAULT;
    }

    public static String versionFromPackageRoot(Path packageRoot) {
        Path fileName = packageRoot.getFileName();
        String dir = fileName == null ? "" : fileName.toString();
        int dash = dir.indexOf('-');
        return dash > 0 ? dir.substring(dash + 1) : "";
    }
}
