#!/bin/sh
# vmsnapshot-mariadb.sh - pre- and post-script that makes Azure VM backups (VMSnapshotLinux
# extension) of a MariaDB or MySQL server application consistent.
#
# Configure this one file as both preScriptLocation and postScriptLocation in
# /etc/azure/VMSnapshotPluginConfig.json (root-owned, mode 700); the extension says which phase
# it runs in through VMSNAPSHOT_PHASE. By hand: vmsnapshot-mariadb.sh pre|post [options].
#
# pre   starts a background client session (the "holder") that takes FLUSH TABLES WITH READ LOCK,
#       waits until the server confirms the lock, and returns: from then on every write waits,
#       MyISAM/Aria tables are flushed and closed, and InnoDB has nothing in flight. The session
#       outlives this script: the extension freezes the file systems and takes the snapshot while
#       the lock is held.
# post  tells the holder to UNLOCK TABLES and ends it. The extension runs the post phase
#       whenever the pre phase started, even when the snapshot failed.
# Safety: if the post-script never comes (the VM or the extension died), the lock goes away by
#       itself after --hold-max seconds: the holder reads its SQL from a FIFO that a
#       "sleep <hold-max>" keeps open; when the sleep ends, the client reads end-of-file, quits,
#       and the server drops the lock with the session. The server also drops the session if
#       it stays idle longer than that (wait_timeout), should the client hang.
#
# Options (preScriptParams / postScriptParams, one per array entry; give both phases the same):
#   --socket=PATH         server socket (default: the client's default)
#   --defaults-file=PATH  client option file with [client] user= and password=; must be owned by
#                         root with mode 600 (default: connect as OS root via unix_socket auth)
#   --user=NAME           database user (default: the client's default)
#   --client=PATH         client program (default: mariadb, else mysql, from PATH)
#   --lock-wait=SECONDS   how long FTWRL may wait behind running statements before the
#                         pre-script gives up (default: 2/3 of timeoutInSeconds, at most 30).
#                         Writes wait while FTWRL waits: keep it short.
#   --hold-max=SECONDS    safety timeout of the lock, counted from the pre-script's start
#                         (default 300); longer than pre + freeze + snapshot + post ever take.
#   --state-dir=PATH      where the holder's FIFO and state live (default /run/vmsnapshot-mariadb);
#                         must not be on a file system the backup freezes (/run is tmpfs).
#
# Exit codes (the extension reports non-zero as Pre-/Post-ScriptExecutionFailed, with the last
# lines of output):
#   0 success   2 bad option or missing client   3 cannot connect to the server
#   4 the lock could not be taken (e.g. a long statement kept FTWRL waiting past --lock-wait)
#   5 post: the lock had already been lost (safety timeout, server restart) - the snapshot may
#     not be application consistent; raise --hold-max   6 post: the lock could not be released
#   1 anything else
set -u

readonly ME=vmsnapshot-mariadb
readonly EXIT_INTERNAL=1 EXIT_USAGE=2 EXIT_CONNECT=3 EXIT_QUIESCE=4 EXIT_LOST=5 EXIT_RELEASE=6

PHASE="${VMSNAPSHOT_PHASE:-}"
TASK_ID="${VMSNAPSHOT_TASK_ID:-manual}"
ATTEMPT="${VMSNAPSHOT_ATTEMPT:-1}"
SCRIPT_TIMEOUT="${VMSNAPSHOT_TIMEOUT_SECONDS:-}"
SOCKET='' DEFAULTS_FILE='' DB_USER='' CLIENT='' LOCK_WAIT='' HOLD_MAX=300
STATE_DIR=/run/vmsnapshot-mariadb

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
            --socket=*) SOCKET="${arg#*=}" ;;
            --defaults-file=*) DEFAULTS_FILE="${arg#*=}" ;;
            --user=*) DB_USER="${arg#*=}" ;;
            --client=*) CLIENT="${arg#*=}" ;;
            --lock-wait=*) LOCK_WAIT="${arg#*=}" ;;
            --hold-max=*) HOLD_MAX="${arg#*=}" ;;
            --state-dir=*) STATE_DIR="${arg#*=}" ;;
            *) fail "$EXIT_USAGE" "unknown option '$arg'; the options are listed at the top of $0" ;;
        esac
    done
    case "$PHASE" in
        pre | post) ;;
        *) fail "$EXIT_USAGE" "unknown phase '$PHASE': run by the extension (VMSNAPSHOT_PHASE) or as '$0 pre|post'" ;;
    esac
    if [ -z "$LOCK_WAIT" ]; then
        LOCK_WAIT=20
        if is_count "$SCRIPT_TIMEOUT"; then
            LOCK_WAIT=$((SCRIPT_TIMEOUT * 2 / 3))
            [ "$LOCK_WAIT" -ge 1 ] || LOCK_WAIT=1
            [ "$LOCK_WAIT" -le 30 ] || LOCK_WAIT=30
        fi
    fi
    is_count "$LOCK_WAIT" || fail "$EXIT_USAGE" "--lock-wait=$LOCK_WAIT: give a whole number of seconds >= 1"
    is_count "$HOLD_MAX" || fail "$EXIT_USAGE" "--hold-max=$HOLD_MAX: give a whole number of seconds >= 1"
    if [ -z "$CLIENT" ]; then
        CLIENT="$(command -v mariadb || command -v mysql)" \
            || fail "$EXIT_USAGE" "no mariadb or mysql client on PATH ($PATH); give --client=PATH"
    fi
    [ -x "$CLIENT" ] || fail "$EXIT_USAGE" "--client=$CLIENT is not an executable file"
    if [ -n "$DEFAULTS_FILE" ]; then
        [ -f "$DEFAULTS_FILE" ] || fail "$EXIT_USAGE" "--defaults-file=$DEFAULTS_FILE does not exist"
        # It holds a password that works while every write of the server is stopped.
        case "$(stat -L -c '%u %a' "$DEFAULTS_FILE")" in
            '0 600' | '0 400') ;;
            *) fail "$EXIT_USAGE" "$DEFAULTS_FILE must be owned by root with mode 600 (chown root $DEFAULTS_FILE; chmod 600 $DEFAULTS_FILE)" ;;
        esac
    fi
}

# The state dir holds the FIFO through which the holder gets its SQL: only root may reach it.
prepare_state_dir() {
    [ -L "$STATE_DIR" ] && fail "$EXIT_USAGE" "--state-dir=$STATE_DIR is a symbolic link; give the real path"
    # shellcheck disable=SC2174 # only the state dir itself must be 700; its parents exist or get umask 077
    mkdir -p -m 700 "$STATE_DIR" || fail "$EXIT_INTERNAL" "cannot create $STATE_DIR"
    case "$(stat -c '%u %a' "$STATE_DIR")" in
        '0 700') ;;
        *) fail "$EXIT_USAGE" "$STATE_DIR must be a directory owned by root with mode 700" ;;
    esac
    STATE_DIR="$(cd "$STATE_DIR" && pwd -P)"
    FIFO="$STATE_DIR/fifo" OUT="$STATE_DIR/out" ERR="$STATE_DIR/err"
}

# True when process $1 has our FIFO open: a pid file alone may name a recycled pid.
holds_fifo() {
    [ -n "$1" ] || return 1
    for fd in /proc/"$1"/fd/*; do
        [ "$(readlink "$fd" 2>/dev/null)" = "$FIFO" ] && return 0
    done
    return 1
}

pid_of() {
    cat "$STATE_DIR/$1.pid" 2>/dev/null || true
}

now_ms() {
    date +%s%3N
}

# Ends the keeper (the holder then reads end-of-file and quits) and the holder itself.
end_session() {
    keeper="$(pid_of keeper)" holder="$(pid_of holder)"
    holds_fifo "$keeper" && kill "$keeper" 2>/dev/null
    waited=0
    while holds_fifo "$holder" && [ "$waited" -lt 250 ]; do
        sleep 0.02
        waited=$((waited + 1))
    done
    if holds_fifo "$holder"; then
        kill "$holder" 2>/dev/null
        sleep 0.2
        holds_fifo "$holder" && kill -9 "$holder" 2>/dev/null
        sleep 0.1
        holds_fifo "$holder" && return 1
    fi
    rm -f "$STATE_DIR/holder.pid" "$STATE_DIR/keeper.pid" "$STATE_DIR/locked-at" "$FIFO"
    return 0
}

connection_args() {
    # The option file must come first, as the client requires.
    [ -n "$DEFAULTS_FILE" ] && printf '%s\n' "--defaults-file=$DEFAULTS_FILE"
    [ -n "$SOCKET" ] && printf '%s\n' "--socket=$SOCKET"
    [ -n "$DB_USER" ] && printf '%s\n' "--user=$DB_USER"
    printf '%s\n' --batch --skip-column-names --unbuffered --connect-timeout=10
}

classify_failure() {
    if grep -qE 'ERROR (1045|2002|2003|2005|2013)|Access denied|Can.t connect' "$ERR"; then
        return "$EXIT_CONNECT"
    fi
    return "$EXIT_QUIESCE"
}

do_pre() {
    prepare_state_dir
    if [ -e "$STATE_DIR/holder.pid" ]; then
        # An earlier attempt, or a backup whose post-script never ran: never stack two locks.
        say "ending the session left by task $(cat "$STATE_DIR/task" 2>/dev/null || echo '?')"
        end_session || fail "$EXIT_INTERNAL" "cannot end the earlier holder $(pid_of holder)"
    fi
    rm -f "$FIFO" "$OUT" "$ERR" "$STATE_DIR/locked-at"
    mkfifo -m 600 "$FIFO" || fail "$EXIT_INTERNAL" "cannot create the FIFO $FIFO"
    printf '%s attempt %s\n' "$TASK_ID" "$ATTEMPT" >"$STATE_DIR/task"
    echo "$HOLD_MAX" >"$STATE_DIR/hold-max"
    started="$(now_ms)"
    # Read-write: opening a FIFO this way never blocks, so nothing below can hang on a holder
    # that failed to start.
    exec 3<>"$FIFO"
    # shellcheck disable=SC2046 # one option per line, none contains blanks
    (IFS='
'; exec "$CLIENT" $(connection_args)) <"$FIFO" >"$OUT" 2>"$ERR" 3>&- &
    echo "$!" >"$STATE_DIR/holder.pid"
    # shellcheck disable=SC2217 # the keeper must hold none of this script's streams open
    sleep "$HOLD_MAX" >"$FIFO" </dev/null 2>/dev/null 3>&- &
    echo "$!" >"$STATE_DIR/keeper.pid"
    printf "SET SESSION lock_wait_timeout = %d;\nSET SESSION wait_timeout = %d;\n\
FLUSH TABLES WITH READ LOCK;\nSELECT CONCAT('LOCKED ', CONNECTION_ID());\n" "$LOCK_WAIT" "$((HOLD_MAX + 30))" >&3
    exec 3>&-
    deadline=$(($(date +%s) + LOCK_WAIT + 15))
    holder="$(pid_of holder)"
    until grep -q '^LOCKED ' "$OUT"; do
        # An exited holder not yet reaped still answers kill -0; its open files are gone at once.
        if [ ! -e "/proc/$holder/fd/0" ] || [ "$(date +%s)" -ge "$deadline" ]; then
            reason="$(grep 'ERROR' "$ERR" | tail -n 1)"
            end_session
            classify_failure
            code=$?
            [ -n "$reason" ] || reason="no answer from the server within $((LOCK_WAIT + 15)) s"
            [ "$code" -eq "$EXIT_QUIESCE" ] && reason="$reason (it waits for running writes and table locks; --lock-wait=$LOCK_WAIT)"
            fail "$code" "could not take FLUSH TABLES WITH READ LOCK: $reason"
        fi
        sleep 0.02
    done
    locked="$(now_ms)"
    echo "$locked" >"$STATE_DIR/locked-at"
    say "FLUSH TABLES WITH READ LOCK held by connection $(sed -n 's/^LOCKED //p' "$OUT") (holder pid $holder)" \
        "after $((locked - started)) ms; released by the post-script, or by itself after $HOLD_MAX s"
}

do_post() {
    if [ ! -d "$STATE_DIR" ] || [ ! -e "$STATE_DIR/holder.pid" ]; then
        say "no lock to release: the pre-script did not take one (snapshot: ${VMSNAPSHOT_SNAPSHOT_OUTCOME:-unknown})"
        return 0
    fi
    prepare_state_dir
    holder="$(pid_of holder)"
    locked_at="$(cat "$STATE_DIR/locked-at" 2>/dev/null || true)"
    taken_by="$(cat "$STATE_DIR/task" 2>/dev/null || echo '?')"
    case "$taken_by" in
        "$TASK_ID "*) ;;
        *) say "warning: the lock was taken by task $taken_by, not $TASK_ID; releasing it anyway" ;;
    esac
    if ! holds_fifo "$holder"; then
        end_session
        if [ -z "$locked_at" ]; then
            say "no lock to release: the pre-script did not finish taking it"
            return 0
        fi
        held=$(($(now_ms) - locked_at))
        fail "$EXIT_LOST" "the lock taken $held ms ago was already gone: its safety timeout" \
            "(--hold-max=$(cat "$STATE_DIR/hold-max" 2>/dev/null)) expired or the server ended the session;" \
            "the snapshot may not be application consistent - raise --hold-max"
    fi
    exec 3<>"$FIFO"
    printf "UNLOCK TABLES;\nSELECT 'UNLOCKED';\n" >&3
    exec 3>&-
    waited=0
    until grep -q '^UNLOCKED$' "$OUT" || [ "$waited" -ge 500 ]; do
        sleep 0.02
        waited=$((waited + 1))
    done
    confirmed=no
    grep -q '^UNLOCKED$' "$OUT" && confirmed=yes
    held=$(($(now_ms) - ${locked_at:-$(now_ms)}))
    end_session || fail "$EXIT_RELEASE" "UNLOCK TABLES got no answer and the holder $holder cannot be ended:" \
        "kill it, or KILL its connection in the server"
    if [ "$confirmed" = yes ]; then
        say "released FLUSH TABLES WITH READ LOCK after $held ms (task $TASK_ID, snapshot: ${VMSNAPSHOT_SNAPSHOT_OUTCOME:-unknown})"
    else
        say "UNLOCK TABLES got no answer; ended the session instead, which releases the lock (held $held ms)"
    fi
}

main() {
    parse_options "$@"
    umask 077
    case "$PHASE" in
        pre) do_pre ;;
        post) do_post ;;
    esac
}

main "$@"
