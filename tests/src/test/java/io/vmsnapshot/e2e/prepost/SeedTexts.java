package io.vmsnapshot.e2e.prepost;

import java.util.Map;
import java.util.Objects;

/**
 * The seed document's texts of its ten errors, kept here as the seed has them (not read from the
 * handler's bundles, which are what is under test): an English fragment from the seed's rendering,
 * and the Chinese message verbatim from the seed file, which a {@code zh-CN} operator or backup
 * request must see.
 */
final class SeedTexts {
    private static final Map<String, String> ENGLISH = Map.of(
            "Pre-ScriptExecutionFailed", "The pre-script returned an error, so the backup may not be application consistent.",
            "Post-ScriptExecutionFailed", "The post-script returned an error that may affect the application's state.",
            "Pre-ScriptNotFound", "The pre-script was not found at the location given in",
            "Post-ScriptNotFound", "The post-script was not found at the location given in",
            "IncorrectPluginhostFile", "The Pluginhost file shipped with the VMSnapshotLinux extension is corrupt",
            "IncorrectJSONConfigFile", "post-scripts cannot run",
            "InsufficientPermissionforPre-Script", "root must own the file and it must have mode 700",
            "InsufficientPermissionforPost-Script", "root must own the file and it must have mode 700",
            "Pre-ScriptTimeout", "The pre-script timed out while taking the application-consistent backup.",
            "Post-ScriptTimeout", "The post-script timed out while taking the application-consistent backup.");
    private static final Map<String, String> CHINESE = Map.of(
            "Pre-ScriptExecutionFailed", "操作前脚本返回错误,因此备份可能不是应用程序一致的。",
            "Post-ScriptExecutionFailed", "操作后脚本返回了可能影响应用程序状态的错误。",
            "Pre-ScriptNotFound", "在 VMSnapshotPluginConfig.json 配置文件中指定的位置找不到操作前脚本。",
            "Post-ScriptNotFound", "在 VMSnapshotPluginConfig.json 配置文件中指定的位置找不到操作后脚本",
            "IncorrectPluginhostFile", "VmSnapshotLinux 扩展随附的 Pluginhost 文件已损坏,因此操作前脚本和操作后脚本无法执行,将不会创建应用程序一致性的备份。",
            "IncorrectJSONConfigFile", "VMSnapshotPluginConfig.json 文件不正确,因此操作前脚本和操作后脚本无法执行,将不会创建应用程序一致性的备份",
            "InsufficientPermissionforPre-Script", "对于正在执行的脚本,root 用户应是该文件的所有者,并且应该对文件设置“700”权限,即,只有所有者才拥有“读取”、“写入”和“执行”权限",
            "InsufficientPermissionforPost-Script", "对于正在执行的脚本,root 用户应是该文件的所有者,并且应该对文件设置“700”权限,即,只有所有者才拥有“读取”、“写入”和“执行”权限",
            "Pre-ScriptTimeout", "执行应用程序一致的备份时操作前脚本超时。",
            "Post-ScriptTimeout", "执行应用程序一致的备份时操作后脚本超时。");

    private SeedTexts() {
    }

    static String english(String seedName) {
        return Objects.requireNonNull(ENGLISH.get(seedName), seedName);
    }

    static String chinese(String seedName) {
        return Objects.requireNonNull(CHINESE.get(seedName), seedName);
    }
}
