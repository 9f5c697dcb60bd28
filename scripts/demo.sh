#!/usr/bin/env bash
# The main job, for a newcomer: builds the package if needed, then runs one complete backup in a
# local sandbox the way the Azure VM agent drives it (agent-style unzip, encrypted settings,
# pre/post scripts, loop-mounted disks frozen when run as root, snapshots in a local Azurite from
# npm), prints the result and a phase timeline in milliseconds, and cleans up after itself.
set -euo pipefail
readonly REPO="$(cd "$(dirname "$0")/.." && pwd)"

build_if_needed() {
    local zip
    zip="$(ls "$REPO"/manifest/target/vmsnapshot-linux-*.zip 2>/dev/null | head -n 1 || true)"
    if [ -z "$zip" ] || [ ! -d "$REPO/tests/target/lib" ] || [ ! -d "$REPO/tests/target/test-classes" ] \
        || [ -n "$(find "$REPO/handler/src" "$REPO/scripts" "$REPO/tests/src" "$REPO/manifest" -newer "$zip" -type f -print -quit)" ]; then
        echo "demo: building the package (mvn package, tests skipped)"
        (cd "$REPO" && mvn -q -B -ntp -DskipTests package)
    fi
}

main() {
    if [ "$(id -u)" -eq 0 ]; then
        "$REPO/scripts/prereqs.sh"
    fi
    build_if_needed
    cd "$REPO"
    exec java -cp "tests/target/test-classes:tests/target/lib/*" \
        -Dvmsnapshot.repo="$REPO" \
        -Dvmsnapshot.zip="$(ls "$REPO"/manifest/target/vmsnapshot-linux-*.zip | head -n 1)" \
        -Dvmsnapshot.version="$(basename "$(ls "$REPO"/manifest/target/vmsnapshot-linux-*.zip | head -n 1)" .zip | sed 's/^vmsnapshot-linux-//')" \
        -Dvmsnapshot.work="$REPO/tests/target/e2e" \
        -Dvmsnapshot.freezeHelper="$REPO/handler/target/native/x86_64/vmsnapshot-freeze" \
        io.vmsnapshot.e2e.Demo
}

main "$@"
