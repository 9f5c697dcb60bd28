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
readonly MIN_JAVA_MAJOR=17
readonly ERROR_JAVA_RUNTIME_MISSING=21
# Exit codes as the handler uses them: a failed install is 52, any other failed command 3.
readonly EXIT_INSTALL_FAILED=52
readonly EXIT_COMMAND_FAILED=3
# The architectures the package has a runtime for (runtime/<uname -m>/, see glibc_floor), and the
# oldest glibc each starts on (the build's audit holds every native file of the package to these).
readonly PACKAGED_MACHINES_IN_WORDS='x86_64 and aarch64'
readonly GLIBC_FLOOR_X86_64='@runtime.glibc.x86_64@'
readonly GLIBC_FLOOR_AARCH64='@runtime.glibc.aarch64@'

# "java on PATH" means the PATH the agent gave us. The script's own tools (sed, mv, date) may
# also come from the standard directories, so that an empty or odd PATH cannot stop the error
# status from being written; the exec'd handler gets the agent's PATH back unchanged.
readonly AGENT_PATH="${PATH:-}"
PATH="${AGENT_PATH:+$AGENT_PATH:}/usr/bin:/bin"

# The base dir is the parent of this script's dir, whatever the cwd (the agent runs us by absolute
# path). Shell builtins only, and checked. The cd is this shell's own, not a $(...) subshell's (a
# fork, as each of the few left on the way to the JVM is: every one costs enable some 0.4 ms): the
# JVM runs in the base dir anyway (see main).
case "$0" in
    */*) script_dir="${0%/*}" ;;
    *) script_dir=. ;;
esac
CDPATH='' cd -P -- "$script_dir/.." || exit "$EXIT_COMMAND_FAILED"
readonly BASE_DIR="$PWD"
machine="$(uname -m)" || machine=unknown
readonly MACHINE="$machine"

readonly BUNDLED_RUNTIME="$BASE_DIR/runtime/$MACHINE"
readonly BUNDLED_JAVA="$BUNDLED_RUNTIME/bin/java"
readonly BUNDLED_SPAWN_HELPER="$BUNDLED_RUNTIME/lib/jspawnhelper"
# What the last probe of the bundled runtime found, so that a verb pays two small forks (uname,
# getconf) instead of a JVM start to know the runtime works: written at install, and again whenever
# the machine or its C library no longer match (an in-place OS upgrade). One line:
#   <machine> <glibc version> ok|no <UTF-8 locale or -> <why not, when no>
readonly RUNTIME_RECORD="$BASE_DIR/state/runtime"
# fapolicyd's control fifo: there only while the daemon runs, and written by every
# "fapolicyd-cli --update", so a record older than it may judge the runtime by an old trust database.
readonly FAPOLICYD_FIFO=/run/fapolicyd/fapolicyd.fifo
# Relative to the base dir, the JVM's working dir (main): the AOT cache records the class path as the
# build's training run spelled it, and only a relative one is the same wherever the agent unpacks the
# package. Written in by the build, in its order (the handler jar names none: the JVM would follow it).
# Two: the JDK looks up a service on the class path at every command's start (System.Logger, for
# ProcessBuilder and Runtime.exit), which opens every jar, and BouncyCastle's three (8,082 of 9,766
# entries) cost some 5 ms; only the worker decrypts, so the lifecycle commands go without them. The
# full one extends the lean one, which a JVM accepts for a cache trained with the lean one.
readonly MAIN_CLASS=io.vmsnapshot.Main
readonly LIFECYCLE_CLASS_PATH='@launcher.lifecycle.class.path@'
readonly CLASS_PATH="$LIFECYCLE_CLASS_PATH:@launcher.bouncycastle.class.path@"
# AOT caches of this version and architecture (JDK 25, JEPs 483/514/515: the handler's classes loaded
# and linked, its method profiles), made at build time by a training run of the real commands (the
# handler's StartupTraining). Only the runtime it was made by can use it; that runtime ignores one it
# cannot use, with a warning on stderr (a slower start, nothing else); the aarch64 runtime (JDK 17)
# has none. Temurin 25.0.3 uses the cache whatever the lib jars' mtime (the
# agent's unzip resets it) and size: the first command after the unzip (update) starts as fast as
# any. The cache and the jars travel in one zip and are replaced together. Its JVM source has an
# mtime check all the same, so install gives the jars back LIB_JAR_MTIME (seconds since the epoch,
# written in by the build), should a later runtime reach it.
# Two: the JVM loads and links every class of its cache at start, used or not, and the worker's (HTTP,
# TLS, snapshots) would cost each lifecycle command some 8 MiB of memory. check and dry-run take the
# worker's: they run what its backup runs (the verified plugin host, its config's parsing, the
# precheck), which in the lifecycle cache would slow enable's start, the one the agent waits for.
readonly AOT_CACHE="$BASE_DIR/cds/$MACHINE/app.aot"
readonly WORKER_AOT_CACHE="$BASE_DIR/cds/$MACHINE/worker.aot"
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

# Sets libc: "glibc 2.28" -> 2.28; "unknown" on a C library that is not glibc (getconf knows no such
# variable).
read_glibc_version() {
    version="$(getconf GNU_LIBC_VERSION 2>/dev/null)" || version=''
    case "$version" in
        'glibc '[0-9]*) libc="${version#glibc }" ;;
        *) libc=unknown ;;
    esac
}

# True when version $1 (major.minor) is older than $2.
version_below() {
    [ "${1%%.*}" -lt "${2%%.*}" ] || { [ "${1%%.*}" -eq "${2%%.*}" ] && [ "${1#*.}" -lt "${2#*.}" ]; }
}

# The glibc floor of the runtime for machine $1; "unknown" for a machine the package has none for.
glibc_floor() {
    case "$1" in
        x86_64) printf '%s\n' "$GLIBC_FLOOR_X86_64" ;;
        aarch64) printf '%s\n' "$GLIBC_FLOOR_AARCH64" ;;
        *) printf 'unknown\n' ;;
    esac
}

# The first UTF-8 locale this VM has, or "-". The JVM can name only the file names its locale's
# character set can encode: under C/POSIX (systemd's default for the agent) a mount point or script
# parameter such as "/mnt/données" would be unusable. C.UTF-8 is what Python 3.7+ coerces C to (PEP
# 538), so upstream's scripts see the same; RHEL 7 has no C.UTF-8 but has en_US.UTF-8.
utf8_locale() {
    for candidate in C.UTF-8 C.utf8 en_US.UTF-8 en_US.utf8; do
        if [ "$(LC_ALL="$candidate" locale charmap 2>/dev/null)" = UTF-8 ]; then
            printf '%s\n' "$candidate"
            return 0
        fi
    done
    printf -- '-\n'
}

# One line of text safe inside the JSON string of the error status and on a record line.
one_line() {
    printf '%s' "$1" | tr -d '"\\' | tr '\n\r\t' '   ' | cut -c1-240
}

# Prints "ok" or "no <why>" for the bundled runtime of this machine: whether it exists here, the
# C library is new enough, and it really starts (a runtime that only the dynamic loader could
# judge, a foreign or non-executable file, a noexec mount all fail here, not in front of the agent).
probe_bundled_runtime() {
    libc="$1"
    floor="$(glibc_floor "$MACHINE")"
    if [ "$floor" = unknown ]; then
        printf 'no architecture %s is not in this package (it serves %s)\n' "$MACHINE" "$PACKAGED_MACHINES_IN_WORDS"
        return 0
    fi
    if [ "$libc" != unknown ] && version_below "$libc" "$floor"; then
        printf 'no glibc %s on this VM; the bundled runtime needs %s\n' "$libc" "$floor"
        return 0
    fi
    if [ ! -f "$BUNDLED_JAVA" ] && [ -f "$BUNDLED_RUNTIME.tar.xz" ]; then
        if ! why="$(unpack_bundled_runtime 2>&1)"; then
            printf 'no the bundled runtime for %s could not be unpacked from %s (%s)\n' "$MACHINE" \
                "$BUNDLED_RUNTIME.tar.xz" "$(one_line "$why")"
            return 0
        fi
    fi
    if [ ! -f "$BUNDLED_JAVA" ]; then
        printf 'no the bundled runtime for %s is missing from %s\n' "$MACHINE" "$BUNDLED_RUNTIME"
        return 0
    fi
    ensure_bundled_runtime_executable
    if output="$("$BUNDLED_JAVA" -Xshare:auto -XX:-UsePerfData -version 2>&1 </dev/null)"; then
        printf 'ok\n'
        return 0
    else
        status=$?
    fi
    first_line="$(printf '%s\n' "$output" | sed -n '1p')"
    why="the bundled runtime for $MACHINE did not start (exit $status: $(one_line "$first_line"))"
    # dash says 2 for an EPERM from exec (fapolicyd's denial), bash 126; EACCES is 126 in both.
    case "$status:$first_line" in
        126:* | *'Permission denied'* | *'Operation not permitted'*) why="$why; $(exec_denial_causes)" ;;
    esac
    printf 'no %s\n' "$why"
}

# Why the kernel may refuse to run a file whose mode allows it, as far as this VM shows.
exec_denial_causes() {
    causes=''
    if [ -e "$FAPOLICYD_FIFO" ]; then
        causes="fapolicyd runs and does not trust the package; trust it with: fapolicyd-cli --file add $BASE_DIR/bin/ \
&& fapolicyd-cli --file add $BASE_DIR/lib/ && fapolicyd-cli --file add $BUNDLED_RUNTIME/ && fapolicyd-cli --update"
    fi
    if [ "$(cat /sys/fs/selinux/enforce 2>/dev/null)" = 1 ]; then
        causes="${causes:+$causes; }SELinux is enforcing: look for AVC denials of $BUNDLED_JAVA in the audit log"
    fi
    printf '%s\n' "${causes:-is the extension's directory on a noexec file system?}"
}

# The aarch64 runtime travels packed (the zip's size budget): unpacked once, next to the archive,
# into a temporary directory renamed into place, so a half-unpacked runtime is never taken for one.
# xz and tar where the VM has them, else the agent's own Python 3 (every VM the agent serves has
# one; its tarfile reads xz), so a minimal image without xz-utils is served too.
unpack_bundled_runtime() {
    partial="$BUNDLED_RUNTIME.partial.$$"
    rm -rf "$partial"
    mkdir -p "$partial" || return 1
    if command -v xz >/dev/null 2>&1 && command -v tar >/dev/null 2>&1; then
        xz -dc "$BUNDLED_RUNTIME.tar.xz" | tar -xf - -C "$partial" || { rm -rf "$partial"; return 1; }
    elif python="$(python3_with_lzma)"; then
        "$python" -c 'import sys, tarfile
with tarfile.open(sys.argv[1], "r:xz") as archive:
    archive.extractall(sys.argv[2], **({"filter": "tar"} if hasattr(tarfile, "tar_filter") else {}))' \
            "$BUNDLED_RUNTIME.tar.xz" "$partial" || { rm -rf "$partial"; return 1; }
    else
        rm -rf "$partial"
        echo "neither xz and tar nor a Python 3 with lzma is installed"
        return 1
    fi
    rm -rf "$BUNDLED_RUNTIME" && mv "$partial" "$BUNDLED_RUNTIME" || { rm -rf "$partial"; return 1; }
}

python3_with_lzma() {
    for python in python3 /usr/libexec/platform-python /usr/bin/python3; do
        if command -v "$python" >/dev/null 2>&1 && "$python" -c 'import lzma, tarfile' >/dev/null 2>&1; then
            command -v "$python"
            return 0
        fi
    done
    return 1
}

# Sets record_verdict, record_locale and record_reason from the runtime record, probing (and
# recording) first when the record is missing, stale, or the verb is install.
read_runtime_record() {
    read_glibc_version
    record_machine='' record_libc='' record_verdict='' record_locale='' record_reason=''
    if [ "$1" != install ] && [ -f "$RUNTIME_RECORD" ]; then
        read -r record_machine record_libc record_verdict record_locale record_reason < "$RUNTIME_RECORD" || true
    fi
    if [ "$record_machine" = "$MACHINE" ] && [ "$record_libc" = "$libc" ] && [ -n "$record_locale" ] &&
        ! { [ -e "$FAPOLICYD_FIFO" ] && [ "$FAPOLICYD_FIFO" -nt "$RUNTIME_RECORD" ]; }; then
        return 0
    fi
    probe="$(probe_bundled_runtime "$libc")"
    record_verdict="${probe%% *}"
    record_reason=''
    [ "$record_verdict" = ok ] || record_reason="${probe#no }"
    record_locale="$(utf8_locale)"
    # Best effort: a record that cannot be written only means the next verb probes again.
    if { [ -d "$BASE_DIR/state" ] || mkdir -p "$BASE_DIR/state"; } 2>/dev/null; then
        tmp="$RUNTIME_RECORD.$$.tmp"
        if printf '%s %s %s %s %s\n' "$MACHINE" "$libc" "$record_verdict" "$record_locale" "$record_reason" > "$tmp" 2>/dev/null; then
            mv -f "$tmp" "$RUNTIME_RECORD" 2>/dev/null || rm -f "$tmp"
        else
            rm -f "$tmp"
        fi
    fi
}

# Gives the JVM a UTF-8 character set for file names and arguments when the agent's locale has none
# (LC_CTYPE only, so messages, sorting and the language of the operator commands stay as they were).
use_utf8_ctype() {
    current="${LC_ALL:-${LC_CTYPE:-${LANG:-}}}"
    case "$current" in
        *[Uu][Tt][Ff]-8* | *[Uu][Tt][Ff]8*) return 0 ;;
    esac
    [ "$record_locale" != - ] || return 0
    if [ -n "${LC_ALL:-}" ]; then
        LANG="$LC_ALL"
        export LANG
        unset LC_ALL
    fi
    LC_CTYPE="$record_locale"
    export LC_CTYPE
}

# Sets java to the java to use: the bundled runtime when its record says it starts here, else
# $JAVA_HOME's, else the first java on the agent's PATH; the last two only if Java 17 or newer.
# Returns 1, java empty, when there is none.
find_java() {
    java=''
    if [ "$record_verdict" = ok ]; then
        ensure_bundled_runtime_executable
        java="$BUNDLED_JAVA"
        return 0
    fi
    log "the bundled runtime cannot run here: $record_reason; looking for a Java $MIN_JAVA_MAJOR or newer"
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && is_recent_java "$JAVA_HOME/bin/java"; then
        java="$JAVA_HOME/bin/java"
        return 0
    fi
    path_java="$(find_on_agent_path)" || return 1
    if is_recent_java "$path_java"; then
        java="$path_java"
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
# JVM warnings (e.g. an unusable AOT cache) go to stderr, never into the handler's stdout.
# One C1 compiler thread: on a 2-core VM a second one only competes with the command it compiles for.
# slf4j's provider named, not looked up: its service look-up reads every jar of the class path (and
# its notice of the named one, an INFO line, stays out of the log).
# One flag per word, none with spaces.
readonly JVM_FLAGS='-XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:+UseSerialGC -Xmx64m -Xss512k -XX:-UsePerfData -Xlog:disable -Xlog:all=warning:stderr -Dslf4j.provider=org.slf4j.simple.SimpleServiceProvider -Dslf4j.internal.verbosity=WARN'

# Only at install: on a frozen file system even a touch would block (see main), and install is when
# the agent has just unzipped the package.
restore_lib_jar_mtimes() {
    touch -c -d "@$LIB_JAR_MTIME" "$BASE_DIR"/lib/*.jar ||
        log "could not restore the mtime of the lib jars; a runtime that checks it would not use the AOT cache (slower start only)"
}

main() {
    verb="${1:-}"
    read_runtime_record "$verb"
    if ! find_java; then
        message="No Java runtime can run the extension on this VM: $record_reason; and no Java $MIN_JAVA_MAJOR or newer was found in JAVA_HOME or on the PATH. Install Java $MIN_JAVA_MAJOR or newer (for example the distribution's OpenJDK 17 headless package) and run the backup again."
        log "$message"
        write_error_status "$ERROR_JAVA_RUNTIME_MISSING" "$message" \
            "$(operation_name "${verb:-unknown}")" || log "could not write the status file"
        exit "$(failure_exit_code "$verb")"
    fi
    use_utf8_ctype
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
    # Each AOT cache holds the class path it was trained with: the lifecycle commands' the one
    # without BouncyCastle, the worker's (which check and dry-run take too) the full one. Anything
    # else (a verb spelled otherwise, none) gets the full one: no command may lack a class it needs.
    # The build's training names its kind third: "cds-training <scratch dir> lifecycle|worker".
    case "$verb" in
        install | enable | disable | uninstall | update | status) class_path="$LIFECYCLE_CLASS_PATH" ;;
        cds-training) if [ "${3:-}" = lifecycle ]; then class_path="$LIFECYCLE_CLASS_PATH"; else class_path="$CLASS_PATH"; fi ;;
        *) class_path="$CLASS_PATH" ;;
    esac
    set -- "-Dvmsnapshot.home=$BASE_DIR" "-Dvmsnapshot.machine=$MACHINE" "-Djava.io.tmpdir=$JAVA_TMP_DIR" \
        -cp "$class_path" "$MAIN_CLASS" "$@"
    if [ "$java" = "$BUNDLED_JAVA" ]; then
        if [ "$verb" = install ]; then
            restore_lib_jar_mtimes
        fi
        case "$verb" in
            # The operator commands that run the plugin host: trained with the worker's backup.
            worker | check | dry-run) cache="$WORKER_AOT_CACHE" ;;
            # The build's training makes the caches, and the JVM takes no cache while it makes one.
            cds-training) cache='' ;;
            *) cache="$AOT_CACHE" ;;
        esac
        if [ -n "$cache" ] && [ -f "$cache" ]; then
            set -- "-XX:AOTCache=$cache" "$@"
        fi
    fi
    PATH="$AGENT_PATH"
    export PATH
    # VMSNAPSHOT_JVM_OPTIONS: extra JVM flags (diagnostics, e.g. -Xlog:aot); later flags win.
    # shellcheck disable=SC2086
    exec "$java" $JVM_FLAGS ${VMSNAPSHOT_JVM_OPTIONS:-} "$@"
}

main "$@"
