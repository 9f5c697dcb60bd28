#!/bin/sh
# Launcher of the VMSnapshotLinux extension handler: every command in HandlerManifest.json
# ("bin/handle.sh <verb>") and the backup worker ("bin/handle.sh worker ...") come through here.
# It finds a Java runtime, picks JVM flags for a short-lived process and execs the handler; the
# verb and every other argument are passed through unchanged. Without any usable Java it writes
# the error status itself, since nothing else could.
#
# POSIX sh (dash): the agent runs it as "/bin/sh -c <base>/bin/handle.sh <verb>" with the
# daemon's environment (often systemd's minimal PATH, no JAVA_HOME) and cwd = the base dir.
set -eu

readonly HANDLER_VERSION='@project.version@'
readonly HANDLER_NAME='@extension.publisher@.@extension.type@'
readonly MAIN_JAR_NAME="vmsnapshot-handler-${HANDLER_VERSION}.jar"
readonly MIN_JAVA_MAJOR=17
readonly ERROR_JAVA_RUNTIME_MISSING=21
readonly JAVA_RUNTIME_MISSING_MESSAGE='No Java runtime was found for the extension. Uninstall the extension; the next backup reinstalls it with its bundled runtime.'
# Exit codes as the handler uses them: a failed install is 52, any other failed command 3.
readonly EXIT_INSTALL_FAILED=52
readonly EXIT_COMMAND_FAILED=3

# "java on PATH" means the PATH the agent gave us. The script's own tools (sed, mv, date) may
# also come from the standard directories, so that an empty or odd PATH cannot stop the error
# status from being written; the exec'd handler gets the agent's PATH back unchanged.
readonly AGENT_PATH="${PATH:-}"
PATH="${AGENT_PATH:+$AGENT_PATH:}/usr/bin:/bin"

# The base dir is the parent of this script's dir, whatever the cwd (the agent runs us by absolute
# path). Shell builtins only, and checked: "readonly X=$(...)" would swallow a failure.
case "$0" in
    */*) script_dir="${0%/*}" ;;
    *) script_dir=. ;;
esac
base_dir="$(CDPATH='' cd -- "$script_dir/.." && pwd -P)" || exit "$EXIT_COMMAND_FAILED"
readonly BASE_DIR="$base_dir"

readonly BUNDLED_JAVA="$BASE_DIR/runtime/bin/java"
readonly BUNDLED_SPAWN_HELPER="$BASE_DIR/runtime/lib/jspawnhelper"
# Relative to the base dir, the JVM's working dir (main): the app CDS archive holds the class path as
# the build's training run spelled it, and the JVM maps the archive only for that very string. Only
# a relative one is the same wherever the agent unpacks the package.
readonly MAIN_JAR="lib/$MAIN_JAR_NAME"
# App class-data-sharing archive of this version, dumped at build time by a training run of the
# real commands (the handler's StartupTraining). The JVM maps it only while every lib jar has the
# size and mtime it had then; the agent's unzip sets every mtime to "now", so install gives them back
# LIB_JAR_MTIME (seconds since the epoch, written in by the build). Until then, or if that fails,
# the JVM ignores the archive: a slower start, nothing else.
readonly APP_CDS_ARCHIVE="$BASE_DIR/cds/app.jsa"
readonly LIB_JAR_MTIME='@cds.jar.mtime@'
readonly JAVA_TMP_DIR="$BASE_DIR/tmp"


log() {
    printf 'handle.sh: %s\n' "$*" >&2
}

# Prints the major version of the java at $1 ("1.8.0_412" -> 1, "17.0.15" -> 17), or nothing.
java_major_version() {
    "$1" -version 2>&1 | sed -n '1s/^[^"]*"\([0-9][0-9]*\).*/\1/p'
}

is_recent_java() {
    major="$(java_major_version "$1")" || return 1
    [ -n "$major" ] && [ "$major" -ge "$MIN_JAVA_MAJOR" ]
}

# A zip unpacked without modes leaves the runtime's executables non-executable; the agent adds u+x
# to every file, but an unzip by other means may not.
ensure_bundled_runtime_executable() {
    for f in "$BUNDLED_JAVA" "$BUNDLED_SPAWN_HELPER"; do
        if [ -f "$f" ] && [ ! -x "$f" ]; then
            chmod u+x "$f"
        fi
    done
}

find_on_agent_path() {
    old_ifs="$IFS"
    IFS=:
    for dir in $AGENT_PATH; do
        if [ -n "$dir" ] && [ -f "$dir/java" ] && [ -x "$dir/java" ]; then
            IFS="$old_ifs"
            printf '%s\n' "$dir/java"
            return 0
        fi
    done
    IFS="$old_ifs"
    return 1
}

# Prints the java to use: the bundled runtime, else $JAVA_HOME's, else the first java on the
# agent's PATH; the last two only if they are Java 17 or newer.
find_java() {
    ensure_bundled_runtime_executable
    if [ -x "$BUNDLED_JAVA" ]; then
        printf '%s\n' "$BUNDLED_JAVA"
        return 0
    fi
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && is_recent_java "$JAVA_HOME/bin/java"; then
        printf '%s\n' "$JAVA_HOME/bin/java"
        return 0
    fi
    path_java="$(find_on_agent_path)" || return 1
    if is_recent_java "$path_java"; then
        printf '%s\n' "$path_java"
        return 0
    fi
    return 1
}

# Prints the statusFolder named in HandlerEnvironment.json (one-line JSON written by the agent).
status_folder() {
    env_file="$BASE_DIR/HandlerEnvironment.json"
    [ -f "$env_file" ] || return 1
    folder="$(sed -n 's/.*"statusFolder"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$env_file")"
    [ -n "$folder" ] || return 1
    printf '%s\n' "$folder"
}

sequence_number() {
    case "${ConfigSequenceNumber:-}" in
        '' | *[!0-9]*) printf '0\n' ;;
        *) printf '%s\n' "$ConfigSequenceNumber" ;;
    esac
}

# "install" -> "Install": the operation named in the status, as the handler names it. Only known
# verbs: whatever else came in must not end up inside the JSON.
operation_name() {
    case "$1" in
        install | enable | disable | uninstall | update | worker)
            first="$(printf '%s' "$1" | cut -c1 | tr '[:lower:]' '[:upper:]')"
            printf '%s%s\n' "$first" "$(printf '%s' "$1" | cut -c2-)" ;;
        *) printf 'Unknown\n' ;;
    esac
}

# Writes <statusFolder>/<seq>.status in the agent's format, atomically (temp file + rename in the
# same folder, so the agent never reads half a file).
write_error_status() {
    code="$1"
    message="$2"
    operation="$3"
    folder="$(status_folder)" || { log "HandlerEnvironment.json has no statusFolder; no status written"; return 1; }
    seq="$(sequence_number)"
    timestamp="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    tmp="$folder/.$seq.status.$$.tmp"
    printf '[{"version":1.0,"timestampUTC":"%s","status":{"name":"%s","operation":"%s","status":"error","code":%s,"formattedMessage":{"lang":"en-US","message":"%s"},"substatus":[]}}]\n' \
        "$timestamp" "$HANDLER_NAME" "$operation" "$code" "$message" > "$tmp" || { rm -f "$tmp"; return 1; }
    mv -f "$tmp" "$folder/$seq.status"
}

failure_exit_code() {
    if [ "$1" = install ]; then
        printf '%s\n' "$EXIT_INSTALL_FAILED"
    else
        printf '%s\n' "$EXIT_COMMAND_FAILED"
    fi
}

# JVM flags for a process that lives well under a second (the lifecycle commands) and for the
# worker, which must not touch a file on a frozen file system by itself (no hsperfdata mmap).
# JVM warnings (e.g. an unusable CDS archive) go to stderr, never into the handler's stdout.
# One C1 compiler thread: on a 2-core VM a second one only competes with the command it compiles for.
# One flag per word, none with spaces.
readonly JVM_FLAGS='-XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:+UseSerialGC -Xmx64m -Xss512k -XX:-UsePerfData -Xshare:auto -Xlog:disable -Xlog:all=warning:stderr'

# Only at install: on a frozen file system even a touch would block (see main), and install is when
# the agent has just unzipped the package.
restore_lib_jar_mtimes() {
    touch -c -d "@$LIB_JAR_MTIME" "$BASE_DIR"/lib/*.jar ||
        log "could not restore the mtime of the lib jars; the app CDS archive stays unused (slower start only)"
}

main() {
    verb="${1:-}"
    if ! java="$(find_java)"; then
        log "$JAVA_RUNTIME_MISSING_MESSAGE"
        write_error_status "$ERROR_JAVA_RUNTIME_MISSING" "$JAVA_RUNTIME_MISSING_MESSAGE" \
            "$(operation_name "${verb:-unknown}")" || log "could not write the status file"
        exit "$(failure_exit_code "$verb")"
    fi
    # Only when missing: on a frozen file system even a mkdir of an existing dir or a chmod to the
    # same mode blocks (the kernel waits for the thaw before it looks), and the start that must
    # thaw what a killed freeze helper left frozen would then wait forever.
    if [ ! -d "$JAVA_TMP_DIR" ]; then
        mkdir -p "$JAVA_TMP_DIR"
        chmod 0700 "$JAVA_TMP_DIR"
    fi
    # The package root is this script's base dir whatever the cwd: an operator runs
    # "<base>/bin/handle.sh dry-run" from anywhere, and the agent's variable is not set then. The
    # handler names every path absolutely and gives each child process its own working dir.
    cd "$BASE_DIR"
    set -- "-Dvmsnapshot.home=$BASE_DIR" "-Djava.io.tmpdir=$JAVA_TMP_DIR" -jar "$MAIN_JAR" "$@"
    if [ "$java" = "$BUNDLED_JAVA" ]; then
        if [ "$verb" = install ]; then
            restore_lib_jar_mtimes
        fi
        if [ -f "$APP_CDS_ARCHIVE" ]; then
            set -- "-XX:SharedArchiveFile=$APP_CDS_ARCHIVE" "$@"
        fi
    fi
    PATH="$AGENT_PATH"
    export PATH
    # VMSNAPSHOT_JVM_OPTIONS: extra JVM flags (diagnostics, e.g. -Xlog:cds); later flags win.
    # shellcheck disable=SC2086
    exec "$java" $JVM_FLAGS ${VMSNAPSHOT_JVM_OPTIONS:-} "$@"
}

main "$@"
