package io.vmsnapshot.pluginhost;

import io.vmsnapshot.error.ErrorCode;
import java.util.Objects;

/**
 * One kind of config file: the errors it causes (missing, unsafe mode or type, foreign owner, bad
 * content) and the mode bits it must not have.
 *
 * <p>Both files may be readable by others ({@code 644}, {@code 640}: the result of a default umask,
 * which upstream accepted); what matters is that nobody but root can change them. The plugin
 * config also has no execute bit, because the seed says so in as many words; the host config is not
 * in the seed, so upstream's rule ({@code 744} accepted) stands.
 *
 * @param forbiddenBits the mode bits that make the file unsafe
 * @param modeRule      the rule in words, for the finding's detail
 * @param modeFix       the chmod that fixes it
 */
record ConfigCodes(ErrorCode notFound, ErrorCode permission, ErrorCode ownership, ErrorCode invalid,
        int forbiddenBits, String modeRule, String modeFix) {
    private static final int WRITABLE_BY_GROUP_OR_OTHER = 0022;
    private static final int EXECUTABLE = 0111;

    static final ConfigCodes HOST = new ConfigCodes(ErrorCode.PLUGINHOST_CONFIG_NOT_FOUND,
            ErrorCode.PLUGINHOST_CONFIG_PERMISSION, ErrorCode.PLUGINHOST_CONFIG_OWNERSHIP,
            ErrorCode.PLUGINHOST_CONFIG_INVALID, WRITABLE_BY_GROUP_OR_OTHER,
            "it must not be writable by group or other", "chmod go-w");
    static final ConfigCodes PLUGIN = new ConfigCodes(ErrorCode.PLUGIN_CONFIG_NOT_FOUND,
            ErrorCode.PLUGIN_CONFIG_PERMISSION, ErrorCode.PLUGIN_CONFIG_OWNERSHIP, ErrorCode.PLUGIN_CONFIG_INVALID,
            WRITABLE_BY_GROUP_OR_OTHER | EXECUTABLE,
            "it must not be writable by group or other and must have no execute bit", "chmod 600");

    @Override
    public boolean equals(Object other) {
        return other instanceof ConfigCodes that && notFound == that.notFound && permission == that.permission
                && ownership == that.ownership && invalid == that.invalid && forbiddenBits == that.forbiddenBits
                && Objects.equals(modeRule, that.modeRule) && Objects.equals(modeFix, that.modeFix);
    }

    @Override
    public int hashCode() {
        return Objects.hash(notFound, permission, ownership, invalid, forbiddenBits, modeRule, modeFix);
    }

    @Override
    public String toString() {
        return "ConfigCodes[notFound=" + notFound + ", permission=" + permission + ", ownership=" + ownership
                + ", invalid=" + invalid + ", forbiddenBits=" + Integer.toOctalString(forbiddenBits) + ", modeRule="
                + modeRule + ", modeFix=" + modeFix + "]";
    }
}
