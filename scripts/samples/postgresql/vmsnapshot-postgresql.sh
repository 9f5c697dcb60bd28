#!/bin/sh
# vmsnapshot-postgresql.sh - pre- and post-script that makes Azure VM backups (VMSnapshotLinux
# extension) of a PostgreSQL server application consistent.
#
# Configure this one file as both preScriptLocation and postScriptLocation in
# /etc/azure/VMSnapshotPluginConfig.json (root-owned, mode 700); the extension says which phase
# it runs in through VMSNAPSHOT_PHASE. By hand: vmsnapshot-postgresql.sh pre|post [options].
#
# Why this is enough: PostgreSQL writes every commit to its write-ahead log (WAL) and flushes it
# before COMMIT returns, so the data directory is always recoverable to the last commit, the
# way it is after a power cut. The extension freezes every file system and snapshots all disks
# inside one frozen window, so the snapshot holds the data directory, pg_wal and every tablespace
# as of one instant: restored, the server replays the WAL and has every transaction that
# committed before the freeze. Nothing has to stay locked across the snapshot.
# pre   checks that the server answers and is safely configured, then runs CHECKPOINT, so the
#       restored server has little WAL to replay and starts fast.
# post  checks that the server still answers and reports the WAL written during the backup.
# If pg_wal or a tablespace is on a file system the backup does not freeze (MountsToSkip, a
# network mount), this is not enough: use pg_backup_start/pg_backup_stop instead.
#
# Options (preScriptParams / postScriptParams, one per array entry; give both phases the same):
#   --os-user=NAME        OS user that runs psql, for peer authentication (default postgres)
#   --host=DIR|HOST       socket directory or host (default: psql's default)
#   --port=N              server port (default: psql's default)
#   --dbname=NAME         database to connect to (default postgres)
#   --psql=PATH           psql program (default: psql from PATH)
#   --checkpoint-wait=S   how long CHECKPOINT may take before the pre-script gives up
#                         (default: 2/3 of timeoutInSeconds, at most 300)
#   --state-dir=PATH      where the pre-script leaves its WAL position for the post-script
#                         (default /run/vmsnapshot-postgresql; not on a frozen file system)
#
# Exit codes (the extension reports non-zero as Pre-/Post-ScriptExecutionFailed, with the last
# lines of output):
#   0 success   2 bad option or missing psql   3 cannot connect to the server
#   4 CHECKPOINT failed or took longer than --checkpoint-wait   1 anything else
set -u

readonly ME=vmsnapshot-postgresql
readonly EXIT_INTERNAL=1 EXIT_USAGE=2 EXIT_CONNECT=3 EXIT_QUIESCE=4

PHASE="${VMSNAPSHOT_PHASE:-}"
TASK_ID="${VMSNAPSHOT_TASK_ID:-manual}"
SCRIPT_TIMEOUT="${VMSNAPSHOT_TIMEOUT_SECONDS:-}"
OS_USER=postgres PG_HOST='' PG_PORT='' DBNAME=postgres PSQL='' CHECKPOINT_WAIT=''
STATE_DIR=/run/vmsnapshot-postgresql

say() {
    printf '%s %s: %s\n' "$ME" "${PHASE:-?}" "$*"
}

fail() {
    code="$1"
    shift
    printf '%s %s: ERROR: %s\n' "$ME" "${PHASE:-?}" "$*" >&2
    exit "$code"
}

is_count() {
    case "$1" in
        '' | *[!0-9]*) return 1 ;;
        *) [ "$1" -ge 1 ] ;;
    esac
}

parse_options() {
    for arg in "$@"; do
        case "$arg" in
            pre | post) [ -n "${VMSNAPSHOT_PHASE:-}" ] || PHASE="$arg" ;;
            --os-user=*) OS_USER="${arg#*=}" ;;
            --host=*) PG_HOST="${arg#*=}" ;;
            --port=*) PG_PORT="${arg#*=}" ;;
            --dbname=*) DBNAME="${arg#*=}" ;;
            --psql=*) PSQL="${arg#*=}" ;;
            --checkpoint-wait=*) CHECKPOINT_WAIT="${arg#*=}" ;;
            --state-dir=*) STATE_DIR="${arg#*=}" ;;
            *) fail "$EXIT_USAGE" "unknown option '$arg'; the options are listed at the top of $0" ;;
        esac
    done
    case "$PHASE" in
        pre | post) ;;
        *) fail "$EXIT_USAGE" "unknown phase '$PHASE': run by the extension (VMSNAPSHOT_PHASE) or as '$0 pre|post'" ;;
    esac
    if [ -z "$CHECKPOINT_WAIT" ]; then
        CHECKPOINT_WAIT=20
        if is_count "$SCRIPT_TIMEOUT"; then
            CHECKPOINT_WAIT=$((SCRIPT_TIMEOUT * 2 / 3))
            [ "$CHECKPOINT_WAIT" -ge 1 ] || CHECKPOINT_WAIT=1
            [ "$CHECKPOINT_WAIT" -le 300 ] || CHECKPOINT_WAIT=300
        fi
    fi
    is_count "$CHECKPOINT_WAIT" || fail "$EXIT_USAGE" "--checkpoint-wait=$CHECKPOINT_WAIT: give a whole number of seconds >= 1"
    [ -z "$PG_PORT" ] || is_count "$PG_PORT" || fail "$EXIT_USAGE" "--port=$PG_PORT: give a port number"
    if [ -z "$PSQL" ]; then
        PSQL="$(command -v psql)" || fail "$EXIT_USAGE" "no psql on PATH ($PATH); give --psql=PATH"
    fi
    [ -x "$PSQL" ] || fail "$EXIT_USAGE" "--psql=$PSQL is not an executable file"
    id -u "$OS_USER" >/dev/null 2>&1 || fail "$EXIT_USAGE" "--os-user=$OS_USER: no such user"
}

# Runs one SQL text as the OS user; prints the unaligned result, errors go to $ERR_FILE.
sql() {
    set -- "$PSQL" -X -q -A -t -v ON_ERROR_STOP=1 -d "$DBNAME" -c "$1"
    [ -n "$PG_HOST" ] && set -- "$@" -h "$PG_HOST"
    [ -n "$PG_PORT" ] && set -- "$@" -p "$PG_PORT"
    # The extension runs us as root; psql runs as the database's OS user (peer authentication),
    # from a directory that user can read.
    (cd / && PGCONNECT_TIMEOUT=10 runuser -u "$OS_USER" -- "$@") 2>"$ERR_FILE"
}

connect_or_fail() {
    if ! facts="$(sql "SELECT pg_is_in_recovery(), current_setting('fsync'), current_setting('full_page_writes'), current_setting('server_version')")"; then
        fail "$EXIT_CONNECT" "cannot query the server as OS user $OS_USER: $(tail -n 2 "$ERR_FILE" | tr '\n' ' ')"
    fi
}

prepare_state_dir() {
    [ -L "$STATE_DIR" ] && fail "$EXIT_USAGE" "--state-dir=$STATE_DIR is a symbolic link; give the real path"
    # shellcheck disable=SC2174 # only the state dir itself must be 700; its parents exist or get umask 077
    mkdir -p -m 700 "$STATE_DIR" || fail "$EXIT_INTERNAL" "cannot create $STATE_DIR"
    case "$(stat -c '%u %a' "$STATE_DIR")" in
        '0 700') ;;
        *) fail "$EXIT_USAGE" "$STATE_DIR must be a directory owned by root with mode 700" ;;
    esac
    ERR_FILE="$STATE_DIR/psql.err"
}

do_pre() {
    connect_or_fail
    IFS='|' read -r in_recovery fsync full_page_writes version <<EOT
$facts
EOT
    [ "$fsync" = on ] || say "warning: fsync is $fsync: commits are not durable, a restore may lose them"
    [ "$full_page_writes" = on ] || say "warning: full_page_writes is off"
    rm -f "$STATE_DIR/pre-lsn"
    started="$(date +%s%3N)"
    # A standby turns CHECKPOINT into a restartpoint, which serves the same purpose.
    if ! sql "SET statement_timeout = '${CHECKPOINT_WAIT}s'; CHECKPOINT" >/dev/null; then
        fail "$EXIT_QUIESCE" "CHECKPOINT failed: $(tail -n 2 "$ERR_FILE" | tr '\n' ' ')(--checkpoint-wait=$CHECKPOINT_WAIT)"
    fi
    took=$(($(date +%s%3N) - started))
    if [ "$in_recovery" = f ]; then
        lsn="$(sql 'SELECT pg_current_wal_lsn()')" || lsn=''
        [ -z "$lsn" ] || printf '%s %s\n' "$TASK_ID" "$lsn" >"$STATE_DIR/pre-lsn"
        say "PostgreSQL $version: CHECKPOINT done in $took ms at WAL $lsn; ready for the snapshot"
    else
        say "PostgreSQL $version (standby): restartpoint done in $took ms; ready for the snapshot"
    fi
}

do_post() {
    connect_or_fail
    outcome="snapshot: ${VMSNAPSHOT_SNAPSHOT_OUTCOME:-unknown}"
    pre="$(cat "$STATE_DIR/pre-lsn" 2>/dev/null || true)"
    rm -f "$STATE_DIR/pre-lsn"
    case "$pre" in
        "$TASK_ID "*)
            lsn="${pre#* }"
            if bytes="$(sql "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '$lsn')")"; then
                say "server is up; $bytes bytes of WAL written during the backup ($outcome)"
                return 0
            fi
            ;;
    esac
    say "server is up ($outcome)"
}

main() {
    parse_options "$@"
    umask 077
    prepare_state_dir
    case "$PHASE" in
        pre) do_pre ;;
        post) do_post ;;
    esac
}

main "$@"
