#!/usr/bin/env bash
# Installs the machine tools the build and the tests use, only those missing: a green run on a
# machine that happened to have them must not hide a missing install step.
set -euo pipefail

# Prints $2 when this machine is of architecture $1 (the native package), else $3 (the cross one).
for_arch() {
    if [ "$(uname -m)" = "$1" ]; then echo "$2"; else echo "$3"; fi
}

# command -> Debian package that provides it
readonly -a NEEDED=(
    "losetup:mount"
    "fsfreeze:util-linux"
    "setsid:util-linux"
    "mkfs.ext4:e2fsprogs"
    "mkfs.xfs:xfsprogs"
    "openssl:openssl"
    "xz:xz-utils"
    "file:file"
    "x86_64-linux-gnu-objdump:binutils-x86-64-linux-gnu"
    "aarch64-linux-gnu-objdump:binutils-aarch64-linux-gnu"
    "setarch:util-linux"
    "tar:tar"
    "npm:npm"
    # holds Azure Site Recovery's freeze lock in the tests exactly as upstream's Python takes it
    "python3:python3-minimal"
    # the freeze helper and the runtimes are built for both architectures the package serves
    "x86_64-linux-gnu-gcc:$(for_arch x86_64 gcc gcc-x86-64-linux-gnu)"
    "aarch64-linux-gnu-gcc:$(for_arch aarch64 gcc gcc-aarch64-linux-gnu)"
    "x86_64-linux-gnu-strip:binutils-x86-64-linux-gnu"
    "aarch64-linux-gnu-strip:binutils-aarch64-linux-gnu"
)

missing_packages() {
    local entry cmd pkg
    for entry in "${NEEDED[@]}"; do
        cmd="${entry%%:*}"
        pkg="${entry##*:}"
        command -v "$cmd" >/dev/null 2>&1 || PATH="$PATH:/usr/sbin:/sbin" command -v "$cmd" >/dev/null 2>&1 || echo "$pkg"
    done
    # static linking of the freeze helper needs each architecture's C library archive; on an
    # x86-64 machine the native one comes with libc6-dev, the other with the cross package
    [ -f /usr/lib/x86_64-linux-gnu/libc.a ] || [ -f /usr/x86_64-linux-gnu/lib/libc.a ] || for_arch x86_64 libc6-dev libc6-dev-amd64-cross
    [ -f /usr/lib/aarch64-linux-gnu/libc.a ] || [ -f /usr/aarch64-linux-gnu/lib/libc.a ] || for_arch aarch64 libc6-dev libc6-dev-arm64-cross
}

# The x86-64 runtime is linked from Temurin's JDK 25 (glibc 2.17 floor); no registry this project
# uses serves it, so it can only be named here. The build fails the same way without it.
check_temurin() {
    local home="${VMSNAPSHOT_JDK_X86_64:-/usr/lib/jvm/temurin-25-jdk-amd64}"
    if [ ! -x "$home/bin/jlink" ]; then
        echo "prereqs: no Temurin JDK 25 at $home: the x86-64 runtime is linked from it (set VMSNAPSHOT_JDK_X86_64 to its home)" >&2
        exit 1
    fi
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
    check_temurin
    "$(dirname "$0")/aarch64-jdk.sh" >/dev/null
}

main "$@"
