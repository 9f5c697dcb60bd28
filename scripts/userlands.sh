#!/usr/bin/env bash
# Makes the foreign userlands the fleet tests run the package in, once per machine, outside any
# clone: a Debian 11 (bullseye) amd64 minbase and a Debian 12 (bookworm) arm64 minbase run through
# qemu-user and binfmt_misc. Installs debootstrap and qemu-user-static when missing and registers
# qemu-aarch64 with the F flag (the interpreter is opened at registration, so it works inside a
# chroot that does not hold it).
#
# Each userland is built in a temporary directory and renamed into place only when complete, so an
# interrupted build is never taken for a good one; the directory name carries a version that changes
# whenever what goes into a userland changes. Every mount a build needs (debootstrap mounts /proc
# and /sys in its target) lives in a private mount namespace that ends with the build.
#
# Usage: scripts/userlands.sh [debian-11-amd64] [debian-12-arm64]   (default: both)
# Prints "<name> <path>" for each userland ready; exits non-zero with the reason otherwise.
set -euo pipefail

readonly CACHE_DIR="${VMSNAPSHOT_USERLAND_CACHE:-/var/cache/vmsnapshot-tests}"
readonly MIRROR="http://deb.debian.org/debian"
# Bump a version when the recipe of that userland changes: the old directory is then simply unused.
readonly DEBIAN_11_AMD64="debian-11-bullseye-amd64-minbase-v1"
readonly DEBIAN_12_ARM64="debian-12-bookworm-arm64-minbase-v2"
readonly QEMU_AARCH64=/usr/bin/qemu-aarch64-static
readonly BINFMT_DIR=/proc/sys/fs/binfmt_misc
# Debian's own registration (qemu-user-static's /usr/lib/binfmt.d/qemu-aarch64.conf), flags OCF -> F.
readonly BINFMT_AARCH64_MAGIC='\x7f\x45\x4c\x46\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00'
readonly BINFMT_AARCH64_MASK='\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff'

log() {
    printf 'userlands: %s\n' "$*" >&2
}

die() {
    log "$*"
    exit 1
}

install_missing_tools() {
    local packages=()
    command -v debootstrap >/dev/null 2>&1 || PATH="$PATH:/usr/sbin:/sbin" command -v debootstrap >/dev/null 2>&1 \
        || packages+=(debootstrap)
    [ -x "$QEMU_AARCH64" ] || packages+=(qemu-user-static)
    if [ "${#packages[@]}" -gt 0 ]; then
        [ "$(id -u)" -eq 0 ] || die "need root to install ${packages[*]}"
        log "installing ${packages[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
    fi
}

# qemu-aarch64 registered with F, or registered now. An entry without F would look for its
# interpreter inside each chroot: the arm64 userland carries qemu at Debian's paths for that case.
ensure_binfmt_aarch64() {
    if [ ! -e "$BINFMT_DIR/register" ]; then
        mount -t binfmt_misc binfmt_misc "$BINFMT_DIR" || die "cannot mount $BINFMT_DIR"
    fi
    if [ -e "$BINFMT_DIR/qemu-aarch64" ]; then
        grep -q '^enabled' "$BINFMT_DIR/qemu-aarch64" || die "binfmt_misc qemu-aarch64 is registered but disabled"
        return 0
    fi
    log "registering qemu-aarch64 in binfmt_misc (flags F)"
    printf ':qemu-aarch64:M::%s:%s:%s:OCF' "$BINFMT_AARCH64_MAGIC" "$BINFMT_AARCH64_MASK" "$QEMU_AARCH64" \
        > "$BINFMT_DIR/register" || die "cannot register qemu-aarch64 in $BINFMT_DIR"
}

# A leftover temporary directory of an interrupted build. Its mounts died with the build's
# namespace; should one be visible anyway, leave the directory alone rather than delete through it.
remove_stale_build() {
    local dir="$1"
    if grep -qF " $dir/" /proc/self/mountinfo; then
        die "$dir has mounts; unmount them, then remove it"
    fi
    rm -rf -- "$dir"
}

# build <name> <function>: runs <function> <tmpdir> and renames <tmpdir> to <name> when it succeeds.
build() {
    local name="$1" recipe="$2"
    local target="$CACHE_DIR/$name"
    if [ -d "$target" ]; then
        printf '%s %s\n' "$name" "$target"
        return 0
    fi
    local stale
    for stale in "$CACHE_DIR/.$name".*; do
        [ -e "$stale" ] && remove_stale_build "$stale"
    done
    local tmp="$CACHE_DIR/.$name.$$"
    mkdir -p "$tmp"
    local started=$SECONDS
    log "building $name (once per machine)"
    # In the background so that errexit holds inside the recipe ("if ! recipe" would switch it off).
    local rc=0
    "$recipe" "$tmp" > "$CACHE_DIR/$name.log" 2>&1 &
    wait $! || rc=$?
    if [ "$rc" -ne 0 ]; then
        tail -n 30 "$CACHE_DIR/$name.log" >&2
        remove_stale_build "$tmp"
        die "building $name failed; log: $CACHE_DIR/$name.log"
    fi
    mv -T -- "$tmp" "$target"
    log "built $name in $((SECONDS - started)) s"
    printf '%s %s\n' "$name" "$target"
}

recipe_debian_11_amd64() {
    local root="$1"
    unshare --mount --propagation private \
        debootstrap --variant=minbase bullseye "$root" "$MIRROR"
    check_userland "$root"
}

# First stage natively (download and unpack), second stage (dpkg configure) under qemu-aarch64.
# xz-utils as on every Arm64 image Azure offers (the launcher unpacks the aarch64 runtime with it;
# minbase alone has neither xz nor the agent's Python, which a real VM always has).
recipe_debian_12_arm64() {
    local root="$1"
    debootstrap --foreign --arch=arm64 --variant=minbase --include=xz-utils bookworm "$root" "$MIRROR"
    install -D -m 0755 "$QEMU_AARCH64" "$root$QEMU_AARCH64"
    mkdir -p "$root/usr/libexec/qemu-binfmt"
    ln -sf "$QEMU_AARCH64" "$root/usr/libexec/qemu-binfmt/aarch64-binfmt-P"
    unshare --mount --propagation private \
        chroot "$root" /debootstrap/debootstrap --second-stage
    [ "$(chroot "$root" /usr/bin/uname -m)" = aarch64 ] || die "the arm64 userland does not run as aarch64"
    check_userland "$root"
}

# What the package's launcher needs from a system: a POSIX sh, coreutils, sed, grep, util-linux's
# setsid, getconf and locale (libc-bin) and the dynamic loader.
check_userland() {
    local root="$1" tool
    for tool in /bin/sh /usr/bin/env /bin/sed /bin/grep /usr/bin/setsid /usr/bin/getconf /usr/bin/locale; do
        [ -x "$root$tool" ] || die "$tool missing in $root"
    done
    chroot "$root" /bin/sh -c 'getconf GNU_LIBC_VERSION && setsid --version' >&2
    rm -rf "$root/var/cache/apt/archives/"*.deb "$root/var/lib/apt/lists/"*_Packages 2>/dev/null || true
}

main() {
    [ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap, chroot, binfmt_misc)"
    local wanted=("$@")
    [ "${#wanted[@]}" -gt 0 ] || wanted=(debian-11-amd64 debian-12-arm64)
    install_missing_tools
    mkdir -p "$CACHE_DIR"
    # One build at a time per machine: two test runs must not both build, nor one rename the other's.
    exec 9>"$CACHE_DIR/.lock"
    flock 9
    local which
    for which in "${wanted[@]}"; do
        case "$which" in
            debian-11-amd64) build "$DEBIAN_11_AMD64" recipe_debian_11_amd64 ;;
            debian-12-arm64)
                ensure_binfmt_aarch64
                build "$DEBIAN_12_ARM64" recipe_debian_12_arm64 ;;
            *) die "unknown userland: $which" ;;
        esac
    done
}

main "$@"
