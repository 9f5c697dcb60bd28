#!/usr/bin/env bash
# Runs every test: unit tests, then the end-to-end tests that drive the built package through the
# agent simulator against real loop-mounted file systems, a real Azurite (from npm) and the host
# snapshot emulator. Installs what the tests need first, so a fresh machine passes too.
set -euo pipefail
readonly REPO="$(cd "$(dirname "$0")/.." && pwd)"

main() {
    "$REPO/scripts/prereqs.sh"
    cd "$REPO"
    mvn -B -ntp verify "$@"
}

main "$@"
