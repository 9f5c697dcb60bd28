#!/usr/bin/env bash
# Installs what the end-to-end tests need beyond the build machine's defaults: xfsprogs (mkfs.xfs)
# for the freeze tests on XFS loop mounts. Idempotent; needs root (as CI and the dev machines run).
set -euo pipefail

readonly PACKAGES=(xfsprogs e2fsprogs util-linux)

missing() {
  command -v mkfs.xfs >/dev/null 2>&1 || return 0
  command -v mkfs.ext4 >/dev/null 2>&1 || return 0
  command -v losetup >/dev/null 2>&1 || return 0
  command -v fsfreeze >/dev/null 2>&1 || return 0
  return 1
}

if missing; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${PACKAGES[@]}" >/dev/null
fi
command -v mkfs.xfs >/dev/null
