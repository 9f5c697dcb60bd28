#!/bin/sh
# Start-up benchmark of the packaged handler, as the agent runs it.
#
#   scripts/bench-startup.sh [runs]      (default 20 runs per measurement)
#
# Builds the package if needed, unpacks it the agent's way into a temp sandbox (no modes kept,
# every file 0744, fresh mtimes), then measures, all in one run so that the ratios hold on a loaded
# machine:
#   - median wall time of "bin/handle.sh enable" (start to exit), first before install (the first
#     command after the agent's unzip, as update is), then after it, and its CPU time;
#   - the JVM hello floor: a class that prints one line, on the bundled runtime with the launcher's
#     flags (its default CDS archive), and enable's ratio to it, alternated with it: enable on a new
#     request each time, and on the same request again (what the agent does on every later goal state);
#   - "bin/handle.sh dry-run" without scripts and with a trivial pre- and post-script: the whole-process
#     difference is what the scripts cost, plugin host included;
#   - peak RSS of each lifecycle command and of dry-run (/usr/bin/time);
#   - the zip size;
#   - beside them, a plain "java -jar" of a small Jackson program on the system JDK.
# Enable runs on a real request (protected settings encrypted with openssl to a fresh certificate):
# it decrypts, validates, writes "transitioning" and starts the detached worker before it exits.
# Installs hyperfine and GNU time from Debian if missing.
set -eu

readonly RUNS="${1:-20}"
readonly REPO="$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd -P)"
readonly VERSION="$(sed -n 's:.*<version>\([^<]*\)</version>.*:\1:p' "$REPO/pom.xml" | head -n 1)"
# BENCH_ZIP: another build of the same version to measure (e.g. the previous one, for before/after).
readonly ZIP="${BENCH_ZIP:-$REPO/manifest/target/vmsnapshot-linux-$VERSION.zip}"
readonly NAME=Microsoft.Azure.RecoveryServices.VMSnapshotLinux

log() {
    printf 'bench: %s\n' "$*" >&2
}

ensure_tools() {
    missing=''
    command -v hyperfine >/dev/null 2>&1 || missing="$missing hyperfine"
    [ -x /usr/bin/time ] || missing="$missing time"
    [ -n "$missing" ] || return 0
    log "installing$missing"
    if ! apt-get install -y $missing >/dev/null 2>&1; then
        apt-get update >/dev/null && apt-get install -y $missing >/dev/null
    fi
}

ensure_package() {
    if [ ! -f "$ZIP" ]; then
        log "building $ZIP"
        (cd "$REPO" && mvn -q -DskipTests -pl handler,manifest -am package)
    fi
}

# The agent's unzip: no modes, no symlinks, then u+x on every file (contract §1).
unpack_like_the_agent() {
    lib="$1"
    base="$lib/$NAME-$VERSION"
    mkdir -p "$base"
    chmod 0700 "$lib"
    (cd "$base" && unzip -q "$ZIP")
    find "$base" -type f -exec chmod 0744 {} +
    find "$base" -type f -exec touch {} +
    mkdir -m 0700 "$base/config" "$base/status"
    mkdir -p "$SANDBOX/log/$NAME/events" "$SANDBOX/etc-azure"
    printf '[{"name": "%s", "version": 1.0, "handlerEnvironment": {"logFolder": "%s", "configFolder": "%s", "statusFolder": "%s", "heartbeatFile": "%s", "eventsFolder": "%s", "eventsFolder_preview": "%s"}}]' \
        "$NAME" "$SANDBOX/log/$NAME" "$base/config" "$base/status" "$base/heartbeat.log" \
        "$SANDBOX/log/$NAME/events" "$SANDBOX/log/$NAME/events" > "$base/HandlerEnvironment.json"
    write_backup_request "$lib" "$base"
    printf '%s\n' "$base"
}

# A real backup request, as the agent writes it: protected settings CMS-encrypted (openssl) to a
# fresh tenant certificate in the lib dir. Enable then decrypts, validates, writes "transitioning"
# and starts a worker: the path the issue's 150 ms goal is about.
write_backup_request() {
    lib="$1"
    base="$2"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$lib/key.pem" -out "$lib/cert.pem" -subj /CN=bench \
        -days 1 >/dev/null 2>&1
    thumb="$(openssl x509 -in "$lib/cert.pem" -noout -fingerprint -sha1 | sed 's/.*=//; s/://g')"
    cp "$lib/cert.pem" "$lib/$thumb.crt"
    cp "$lib/key.pem" "$lib/$thumb.prv"
    public_object="$(printf '%s' '{"backupMetadata":[{"Key":"k","Value":"v"}],"snapshotTaskToken":"bench-token","includedDisks":{"dataDiskLunList":[0],"isOSDiskIncluded":true},"dynamicConfigsFromCRP":[]}' | base64 -w0)"
    protected_object="$(printf '%s' '{"blobSASUri":[]}' | base64 -w0)"
    protected="$(printf '{"objectStr":"%s"}' "$protected_object" | openssl cms -encrypt -outform DER -des3 "$lib/cert.pem" | base64 -w0)"
    printf '{"runtimeSettings":[{"handlerSettings":{"publicSettings":{"commandToExecute":"snapshot","taskId":"bench-task","locale":"en-us","vmType":"microsoft.compute/virtualmachines","objectStr":"%s"},"protectedSettings":"%s","protectedSettingsCertThumbprint":"%s"}}]}' \
        "$public_object" "$protected" "$thumb" > "$SANDBOX/pristine.settings"
    cp "$SANDBOX/pristine.settings" "$base/config/0.settings"
    # Before each measured enable: the previous run's worker has finished, the request is new again.
    cat > "$SANDBOX/prepare.sh" <<EOF2
#!/bin/sh
while pgrep -f "$base.* worker" >/dev/null; do sleep 0.02; done
rm -f "$base/mrseq" "$base/state/tasks.json"
cp "$SANDBOX/pristine.settings" "$base/config/0.settings"
EOF2
    chmod +x "$SANDBOX/prepare.sh"
}

# Median wall time in ms of a shell command line, via hyperfine.
median_ms() {
    csv="$SANDBOX/hyperfine.csv"
    hyperfine --shell=none --ignore-failure --warmup 3 --runs "$RUNS" --export-csv "$csv" --style none \
        --prepare "$SANDBOX/prepare.sh" -- "$1" >/dev/null 2>&1
    awk -F, 'NR == 2 { printf "%.1f", $4 * 1000 }' "$csv"
}

# Median wall time in ms of two command lines, measured alternately, one run of each in turn (one
# hyperfine call per run: hyperfine given two commands runs all of the first before the second), so
# that a change of the machine's load hits both alike; prints "<first> <second>". $3, if given, runs
# before each of them (not timed): the enable pair needs a new request every time, or every enable
# after the first would only find its sequence number done.
median_pair_ms() {
    : > "$SANDBOX/pair-1"
    : > "$SANDBOX/pair-2"
    round=0
    while [ "$round" -lt $((RUNS + 3)) ]; do
        for which in 1 2; do
            if [ "$which" = 1 ]; then command_line="$1"; else command_line="$2"; fi
            if [ -n "${3:-}" ]; then "$3"; fi
            hyperfine --shell=none --ignore-failure --runs 1 --export-csv "$SANDBOX/pair.csv" --style none \
                -- "$command_line" >/dev/null 2>&1
            # The first three rounds warm the page cache and are not counted.
            if [ "$round" -ge 3 ]; then
                awk -F, 'NR == 2 { printf "%.3f\n", $2 * 1000 }' "$SANDBOX/pair.csv" >> "$SANDBOX/pair-$which"
            fi
        done
        round=$((round + 1))
    done
    printf '%s %s' "$(median_of "$SANDBOX/pair-1")" "$(median_of "$SANDBOX/pair-2")"
}

# The median of the numbers in file $1, one per line.
median_of() {
    sort -n "$1" | awk '{ v[NR] = $1 } END { if (NR % 2) m = v[(NR + 1) / 2]; else m = (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f", m }'
}

# A class that prints one line: what any JVM start costs on this machine.
build_hello() {
    dir="$SANDBOX/hello"
    mkdir -p "$dir"
    printf 'public class Hello { public static void main(String[] a) { System.out.println("hello"); } }\n' \
        > "$dir/Hello.java"
    javac --release 17 -d "$dir" "$dir/Hello.java"
    printf '%s\n' "$dir"
}

# The customer's config dir with a trivial pre- and post-script, as the README says to install them.
write_trivial_scripts() {
    dir="$1"
    mkdir -p "$dir"
    chmod 0755 "$dir"
    printf '#!/bin/sh\nexit 0\n' > "$dir/pre.sh"
    printf '#!/bin/sh\nexit 0\n' > "$dir/post.sh"
    chmod 0700 "$dir/pre.sh" "$dir/post.sh"
    printf '{"pluginName":"ScriptRunner","preScriptLocation":"%s","postScriptLocation":"%s","preScriptParams":[],"postScriptParams":[],"preScriptNoOfRetries":0,"postScriptNoOfRetries":0,"timeoutInSeconds":30,"continueBackupOnFailure":true,"fsFreezeEnabled":true}\n' \
        "$dir/pre.sh" "$dir/post.sh" > "$dir/VMSnapshotPluginConfig.json"
    chmod 0600 "$dir/VMSnapshotPluginConfig.json"
}

# Mean CPU time (user + system) of the last median_ms measurement: what a loaded machine (other
# builds, a busy VM) disturbs far less than wall time, so two builds compare in the same run.
last_cpu_ms() {
    awk -F, 'NR == 2 { printf "%.1f", ($5 + $6) * 1000 }' "$SANDBOX/hyperfine.csv"
}

# Peak RSS in MiB of one run.
peak_rss_mib() {
    /usr/bin/time -f '%M' -o "$SANDBOX/rss" /bin/sh -c "$1" >/dev/null 2>&1 || true
    # GNU time puts "Command exited with non-zero status N" before the number.
    tail -n 1 "$SANDBOX/rss" | awk '{ printf "%.1f", $1 / 1024 }'
}

# A small Jackson program run with a plain "java -jar", the baseline the launcher is compared with.
build_jackson_program() {
    dir="$SANDBOX/jackson"
    mkdir -p "$dir/src" "$dir/classes"
    cat > "$dir/src/Hello.java" <<'EOF'
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

public class Hello {
    public static void main(String[] args) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<?, ?> value = json.readValue("{\"status\":{\"status\":\"success\",\"code\":0}}", Map.class);
        System.out.println(json.writeValueAsString(value));
    }
}
EOF
    cp "$BASE/lib/"jackson-*.jar "$dir/"
    javac -d "$dir/classes" -cp "$dir/*" "$dir/src/Hello.java"
    class_path="$(cd "$dir" && ls jackson-*.jar | tr '\n' ' ')"
    printf 'Main-Class: Hello\nClass-Path: %s\n' "$class_path" > "$dir/manifest.txt"
    jar cfm "$dir/hello.jar" "$dir/manifest.txt" -C "$dir/classes" .
    printf '%s\n' "$dir/hello.jar"
}

main() {
    ensure_tools
    ensure_package
    # Under /var/lib, not /tmp: the trivial scripts must sit in directories only root can write.
    SANDBOX="$(mktemp -d /var/lib/vmsnapshot-bench.XXXXXX)"
    trap 'rm -rf "$SANDBOX"' EXIT
    BASE="$(unpack_like_the_agent "$SANDBOX/waagent")"
    export ConfigSequenceNumber=0 AZURE_GUEST_AGENT_EXTENSION_PATH="$BASE" AZURE_GUEST_AGENT_EXTENSION_VERSION="$VERSION"
    export VMSNAPSHOT_AGENT_DIR="$SANDBOX/waagent" VMSNAPSHOT_CONFIG_DIR="$SANDBOX/etc-azure"
    export VMSNAPSHOT_WIRESERVER_URL=http://127.0.0.1:9 VMSNAPSHOT_FREEZE_MOUNTS=''
    cd "$BASE"

    # The first command after the agent's unzip (update runs before install), then after install.
    enable_first="$(median_ms "$BASE/bin/handle.sh enable")"
    install_rss="$(peak_rss_mib "$BASE/bin/handle.sh install")"
    enable_installed="$(median_ms "$BASE/bin/handle.sh enable")"
    enable_cpu="$(last_cpu_ms)"
    java="$BASE/runtime/$(uname -m)/bin/java"
    flags="-XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:+UseSerialGC -Xmx64m -Xss512k -XX:-UsePerfData -Xlog:disable"
    hello="$(build_hello)"
    # Alternated with enable in one hyperfine run: the ratio is the figure on a loaded machine. First a
    # new request each time (decided, "transitioning" written, worker started), then the same one again,
    # as the agent runs enable on every later goal state.
    set -- $(median_pair_ms "$java $flags -cp $hello Hello" "$BASE/bin/handle.sh enable" "$SANDBOX/prepare.sh")
    hello_floor="$1"
    enable_paired="$2"
    set -- $(median_pair_ms "$java $flags -cp $hello Hello" "$BASE/bin/handle.sh enable")
    hello_floor_same="$1"
    enable_same="$2"
    jackson_jar="$(build_jackson_program)"
    jackson_plain="$(median_ms "java -jar $jackson_jar")"
    # dry-run without any script config, and with trivial scripts: alternated in one hyperfine run.
    scripts="$SANDBOX/etc-azure-scripts"
    write_trivial_scripts "$scripts"
    set -- $(median_pair_ms "env VMSNAPSHOT_CONFIG_DIR=$SANDBOX/etc-azure $BASE/bin/handle.sh dry-run" \
        "env VMSNAPSHOT_CONFIG_DIR=$scripts $BASE/bin/handle.sh dry-run")
    dry_none="$1"
    dry_scripts="$2"

    printf '\n%-66s %12s\n' "measurement ($RUNS runs, median wall time)" value
    printf '%-66s %9s ms\n' "bin/handle.sh enable, first command after the unzip (before install)" "$enable_first"
    printf '%-66s %9s ms\n' "bin/handle.sh enable after install" "$enable_installed"
    printf '%-66s %9s ms\n' "  its CPU time (user + system, mean)" "$enable_cpu"
    printf '%-66s %9s ms\n' "JVM hello floor (bundled runtime, launcher flags), alternated" "$hello_floor"
    printf '%-66s %9s ms\n' "bin/handle.sh enable, new request, alternated with it" "$enable_paired"
    printf '%-66s %9sx\n' "  enable / hello floor" "$(awk -v e="$enable_paired" -v h="$hello_floor" 'BEGIN { printf "%.2f", e / h }')"
    printf '%-66s %9s ms\n' "JVM hello floor, alternated" "$hello_floor_same"
    printf '%-66s %9s ms\n' "bin/handle.sh enable, same sequence number again, alternated" "$enable_same"
    printf '%-66s %9sx\n' "  enable / hello floor" "$(awk -v e="$enable_same" -v h="$hello_floor_same" 'BEGIN { printf "%.2f", e / h }')"
    printf '%-66s %9s ms\n' "bin/handle.sh dry-run, no scripts configured" "$dry_none"
    printf '%-66s %9s ms\n' "bin/handle.sh dry-run, trivial pre + post (alternated)" "$dry_scripts"
    printf '%-66s %9s ms\n' "  what the trivial scripts cost (difference)" "$(awk -v a="$dry_scripts" -v b="$dry_none" 'BEGIN { printf "%.1f", a - b }')"
    printf '%-66s %9s ms\n' "Jackson program: plain java -jar (system JDK, default flags)" "$jackson_plain"
    for verb in install enable disable update uninstall; do
        if [ "$verb" = install ]; then rss="$install_rss"; else rss="$(peak_rss_mib "$BASE/bin/handle.sh $verb")"; fi
        printf '%-66s %8s MiB\n' "peak RSS, bin/handle.sh $verb" "$rss"
    done
    printf '%-66s %8s MiB\n' "peak RSS, bin/handle.sh dry-run (trivial pre + post)" \
        "$(peak_rss_mib "env VMSNAPSHOT_CONFIG_DIR=$scripts $BASE/bin/handle.sh dry-run")"
    printf '%-66s %8s MiB\n' "peak RSS, plain java -jar Jackson program" "$(peak_rss_mib "java -jar $jackson_jar")"
    printf '%-66s %8s MiB\n' "zip size ($(basename "$ZIP"))" "$(du -m "$ZIP" | cut -f1)"
    printf '%-66s %8s MiB\n' "unpacked size" "$(du -sm "$BASE" | cut -f1)"
    "$SANDBOX/prepare.sh"
}

main "$@"
