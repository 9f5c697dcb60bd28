#!/bin/sh
# Backup benchmark of the packaged handler, as the agent runs it.
#
#   scripts/bench-backup.sh [rounds]      (default 10 backups per measurement)
#   BENCH_DISKS=none scripts/bench-backup.sh    (skip the snapshot phase by disk count; default 1,8,64)
#
# Drives the built package through the agent simulator (io.vmsnapshot.e2e.backup.BackupBench in
# the tests module's test classes) against a local Azurite, with trivial pre/post scripts and real
# ext4 and xfs loop mounts frozen, and prints:
#   - enable -> final status (median of the rounds), and where it goes: the agent's launch of enable,
#     enable's JVM start, settings, status, worker launch, the worker's JVM start, lock, settings,
#     plugin host, each phase, the reports (from the extension log's lines and the telemetry; the
#     extension log of the whole run is left in tests/target/bench/extension.log);
#   - the freeze window minus the snapshot calls, next to the fsfreeze floor of the same mounts
#     (fsfreeze -f, fsfreeze -u) measured in the same run;
#   - the snapshot phase for 1, 8 and 64 disks;
#   - the worker's peak RSS (VmHWM) and CPU time, sampled from /proc while it runs.
# Needs root (loop devices, FIFREEZE). Builds the package if it is missing; the benchmark always
# runs the current test classes against the zip as built.
set -eu

readonly ROUNDS="${1:-10}"
readonly REPO="$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd -P)"
readonly VERSION="$(sed -n 's:.*<version>\([^<]*\)</version>.*:\1:p' "$REPO/pom.xml" | head -n 1)"
# BENCH_ZIP: another build of the same version to measure (e.g. the previous one, for before/after).
readonly ZIP="${BENCH_ZIP:-$REPO/manifest/target/vmsnapshot-linux-$VERSION.zip}"

log() {
    printf 'bench: %s\n' "$*" >&2
}

ensure_built() {
    if [ ! -f "$ZIP" ]; then
        log "building the package"
        (cd "$REPO" && mvn -q -B -DskipTests -pl tests -am verify)
    fi
}

# The system JDK: the bundled runtime is trimmed to what the handler needs, the fixtures need more.
find_java() {
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
        printf '%s\n' "$JAVA_HOME/bin/java"
    else
        command -v java
    fi
}

main() {
    if [ "$(id -u)" -ne 0 ]; then
        log "needs root: it mounts loop devices and freezes them"
        exit 1
    fi
    ensure_built
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    # The tests module's test classpath (fixtures, simulator, handler classes), as the reactor
    # resolves it: the handler is never installed into the local repository.
    (cd "$REPO" && mvn -q -B -pl tests -am -DskipTests test-compile dependency:build-classpath \
        -Dmdep.outputFile="$work/classpath" -Dmdep.includeScope=test)
    mkdir -p "$REPO/tests/target/bench"
    "$(find_java)" -cp "$REPO/tests/target/test-classes:$(cat "$work/classpath")" \
        -Dvmsnapshot.repo="$REPO" -Dvmsnapshot.zip="$ZIP" -Dvmsnapshot.version="$VERSION" \
        -Dvmsnapshot.work="$REPO/tests/target/bench" -Dvmsnapshot.bench.disks="${BENCH_DISKS:-1,8,64}" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
        io.vmsnapshot.e2e.backup.BackupBench "$ROUNDS"
}

main "$@"
