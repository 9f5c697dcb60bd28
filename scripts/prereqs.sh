#!/usr/bin/env bash
# Installs the machine tools the build and the tests use, only those missing: a green run on a
# machine that happened to have them must not hide a missing install step.
set -euo pipefail

# command -> Debian package that provides it
readonly -a NEEDED=(
    "losetup:mount"
    "fsfreeze:util-linux"
    "setsid:util-linux"
    "mkfs.ext4:e2fsprogs"
    "mkfs.xfs:xfsprogs"
    "openssl:openssl"
    "gcc:gcc"
    "npm:npm"
)

missing_packages() {
    local entry cmd pkg
    for entry in "${NEEDED[@]}"; do
        cmd="${entry%%:*}"
        pkg="${entry##*:}"
        command -v "$cmd" >/dev/null 2>&1 || PATH="$PATH:/usr/sbin:/sbin" command -v "$cmd" >/dev/null 2>&1 || echo "$pkg"
    done
    # static linking of the freeze helper needs the C library's archive
    [ -f /usr/lib/x86_64-linux-gnu/libc.a ] || [ -f /usr/lib/aarch64-linux-gnu/libc.a ] || echo libc6-dev
}

main() {
    local packages
    packages="$(missing_packages | sort -u | tr '\n' ' ')"
    if [ -n "${packages// }" ]; then
        echo "prereqs: installing $packages"
        if [ "$(id -u)" -ne 0 ]; then
            echo "prereqs: need root to install: $packages" >&2
            exit 1
        fi
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $packages
    fi
    [ -e /dev/loop-control ] || modprobe loop 2>/dev/null || true
}

main "$@"
