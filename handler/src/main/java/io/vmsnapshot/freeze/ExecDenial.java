package io.vmsnapshot.freeze;

import java.io.IOException;

/**
 * Names the usual causes when the kernel refuses to run an executable of the package that exists
 * and is executable: on RHEL-like VMs fapolicyd (EPERM) and SELinux (EACCES) refuse an exec that the
 * file's mode allows, and so does a noexec mount. Without this the status said only "error=13".
 */
final class ExecDenial {
    private ExecDenial() {
    }

    /** @return a clause to append to the failure's detail; empty when the start failed for another reason */
    static String explain(IOException e) {
        String message = String.valueOf(e.getMessage());
        boolean denied = message.contains("error=13,") || message.contains("error=1,")
                || message.contains("Permission denied") || message.contains("Operation not permitted");
        return denied ? "; the kernel refused to run it: fapolicyd (not trusting the package's files), SELinux"
                + " or a noexec mount denies it; 'bin/handle.sh check' says which runs here and how to allow it" : "";
    }
}
