#!/usr/bin/env bash
# Unpacks the aarch64 JDK whose jmods the build links into the package's Arm64 runtime, once, under
# the build cache outside the clone; prints its home. Debian 11's OpenJDK 17: of the JDKs that
# Debian's registry serves for arm64 it needs the oldest glibc (2.29; Debian 12's needs 2.34). apt
# checks the packages against the signed archive index. The build finds it at $CACHE/jdk-aarch64.
set -euo pipefail
readonly VERSION='17.0.12+7-2~deb11u1'
# The build looks for it there (manifest/pom.xml, runtime.jdk.aarch64).
readonly CACHE=/var/cache/vmsnapshot-build
readonly TARGET="$CACHE/openjdk-17-arm64-${VERSION//[~+]/_}"
readonly JDK_HOME="usr/lib/jvm/java-17-openjdk-arm64"

apt_private() {
    apt-get -o Dir::Etc::sourcelist="$CACHE/apt/sources.list" -o Dir::Etc::sourceparts=/dev/null \
        -o Dir::State::Lists="$CACHE/apt/lists" -o Dir::Cache::archives="$CACHE/apt/archives" \
        -o Dir::State::status=/dev/null -o APT::Architectures::=arm64 -o APT::Sandbox::User=root \
        -o Debug::NoLocking=1 -qq "$@"
}

main() {
    if [ ! -f "$TARGET/$JDK_HOME/jmods/java.base.jmod" ] || [ ! -f "$TARGET/$JDK_HOME/release" ]; then
        mkdir -p "$CACHE/apt/lists/partial" "$CACHE/apt/archives/partial"
        cat > "$CACHE/apt/sources.list" <<SOURCES
deb [arch=arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bullseye main
SOURCES
        apt_private update
        local work
        work="$(mktemp -d "$CACHE/.openjdk-arm64.XXXXXX")"
        (cd "$work" && apt_private download "openjdk-17-jre-headless:arm64=$VERSION" "openjdk-17-jdk-headless:arm64=$VERSION")
        mkdir "$work/root"
        for deb in "$work"/*.deb; do
            dpkg-deb -x "$deb" "$work/root"
        done
        rm -rf "$TARGET"
        mv "$work/root" "$TARGET"
        rm -rf "$work"
    fi
    ln -sfn "$TARGET/$JDK_HOME" "$CACHE/jdk-aarch64"
    printf '%s\n' "$CACHE/jdk-aarch64"
}

main "$@"
