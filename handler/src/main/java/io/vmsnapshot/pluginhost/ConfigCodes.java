package io.vmsnapshot.pluginhost;

import io.vmsnapshot.error.ErrorCode;

/** The errors one kind of config file causes: missing, unsafe mode or type, foreign owner, bad content. */
record ConfigCodes(ErrorCode notFound, ErrorCode permission, ErrorCode ownership, ErrorCode invalid) {
    static final ConfigCodes HOST = new ConfigCodes(ErrorCode.PLUGINHOST_CONFIG_NOT_FOUND,
            ErrorCode.PLUGINHOST_CONFIG_PERMISSION, ErrorCode.PLUGINHOST_CONFIG_OWNERSHIP,
            ErrorCode.PLUGINHOST_CONFIG_INVALID);
    static final ConfigCodes PLUGIN = new ConfigCodes(ErrorCode.PLUGIN_CONFIG_NOT_FOUND,
            ErrorCode.PLUGIN_CONFIG_PERMISSION, ErrorCode.PLUGIN_CONFIG_OWNERSHIP, ErrorCode.PLUGIN_CONFIG_INVALID);
}
