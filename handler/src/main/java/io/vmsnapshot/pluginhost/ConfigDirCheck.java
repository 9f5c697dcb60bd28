package io.vmsnapshot.pluginhost;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Whether "the plugin config is not there" can be believed. Absent means "no pre/post configured",
 * which is no error; but in a directory that someone other than root can write, anyone could have
 * deleted the customer's config, and the backups would silently stop being application consistent.
 * Then the absence is reported as the config's permission (317) or ownership (318) problem.
 */
final class ConfigDirCheck {
    private static final int WRITABLE_BY_GROUP_OR_OTHER = 0022;

    private final int handlerUid;

    ConfigDirCheck(int handlerUid) {
        this.handlerUid = handlerUid;
    }

    /** @param config the plugin config that was not found */
    void checkAbsence(Path config) throws HandlerException {
        Path dir = config.toAbsolutePath().getParent();
        Stat stat;
        try {
            stat = Stat.of(dir);
        } catch (IOException e) {
            return; // no directory: nothing was configured there, nobody removed anything
        }
        if (!stat.isDirectory()) {
            return;
        }
        if (stat.uid() != handlerUid) {
            throw new HandlerException(ErrorCode.PLUGIN_CONFIG_OWNERSHIP, config + ": does not exist, and " + dir
                    + " is owned by uid " + stat.uid() + ", so that user could have removed it (chown " + handlerUid
                    + " " + dir + ")");
        }
        if (stat.grants(WRITABLE_BY_GROUP_OR_OTHER)) {
            throw new HandlerException(ErrorCode.PLUGIN_CONFIG_PERMISSION, config + ": does not exist, and " + dir
                    + " has mode " + stat.permissions() + ", so anyone could have removed it (chmod go-w " + dir + ")");
        }
    }
}
