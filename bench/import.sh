#!/usr/bin/env bash
# import/export benchmark: a ~100 MB root filesystem tarball (busybox, 60 MB
# of random data in 2 MB files, 40 MB of base64 text in 10 KB files) imported
# ROUNDS times by berth and by podman, each into a fresh root, then a
# container of the imported image exported by each to a file. Prints each
# round, the medians and the berth/podman ratios.
#
# Environment: BERTH (binary, default target/release/berth, else berth on
# PATH), ROUNDS (3), KEEP=1 keeps the work dir.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$REPO/scripts/lib.sh"

ROUNDS=${ROUNDS:-3}
if [ -z "${BERTH:-}" ]; then
    if [ -x "$REPO/target/release/berth" ]; then
        BERTH="$REPO/target/release/berth"
    else
        BERTH=$(command -v berth || true)
    fi
fi
[ -n "$BERTH" ] && [ -x "$BERTH" ] || die "no berth binary: cargo build --release, or set BERTH"
command -v podman >/dev/null || die "missing podman (run scripts/setup.sh)"
[ "$(id -u)" -eq 0 ] || die "run as root (import unpacks files with their owners)"

WORK=$(mktemp -d /tmp/berth-bench-import.XXXXXX)
cleanup() {
    if [ "${KEEP:-0}" = 1 ]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

now() { date +%s.%N; }

: >"$WORK/none.toml"
log "building a ~100 MB root filesystem tarball"
busybox_layer "$WORK/base.tar"
root="$WORK/rootfs"
mkdir -p "$root/data/bin" "$root/data/text"
tar -C "$root" -xf "$WORK/base.tar"
for i in $(seq 1 30); do
    head -c $((2 * 1024 * 1024)) /dev/urandom >"$root/data/bin/r$i.bin"
done
head -c $((30 * 1024 * 1024)) /dev/urandom | base64 -w 100 | split -b 10240 -a 4 - "$root/data/text/t"
tar --owner=0 --group=0 --numeric-owner -C "$root" -cf "$WORK/rootfs.tar" .
rm -rf "$root" "$WORK/base.tar"
size=$(du -m "$WORK/rootfs.tar" | awk '{print $1}')
log "rootfs.tar: ${size} MB, $(tar -tf "$WORK/rootfs.tar" | wc -l) entries"

b() { # ROUND ARGS...
    local i=$1
    shift
    "$BERTH" --data-root "$WORK/b$i/data" --state-root "$WORK/b$i/state" \
        --config "$WORK/none.toml" "$@"
}
p() { # ROUND ARGS...
    local i=$1
    shift
    podman --root "$WORK/p$i/root" --runroot "$WORK/p$i/run" "$@"
}

declare -A times
timed() { # KEY CMD...
    local key=$1 t0 t1
    shift
    t0=$(now)
    "$@" >/dev/null
    t1=$(now)
    times[$key]+="$(echo "$t1 - $t0" | bc) "
}

for i in $(seq 1 "$ROUNDS"); do
    timed berth-import b "$i" import "$WORK/rootfs.tar" bench:1
    timed podman-import p "$i" import -q "$WORK/rootfs.tar" bench:1
    bc_id=$(b "$i" create --network none bench:1 /bin/true)
    pc_id=$(p "$i" create --network none bench:1 /bin/true)
    timed berth-export b "$i" export -o "$WORK/b$i.tar" "$bc_id"
    timed podman-export p "$i" export -o "$WORK/p$i.tar" "$pc_id"
    printf 'round %d: import berth %.2fs podman %.2fs; export berth %.2fs (%d MB) podman %.2fs (%d MB)\n' \
        "$i" "$(echo "${times[berth-import]}" | awk '{print $NF}')" \
        "$(echo "${times[podman-import]}" | awk '{print $NF}')" \
        "$(echo "${times[berth-export]}" | awk '{print $NF}')" "$(du -m "$WORK/b$i.tar" | awk '{print $1}')" \
        "$(echo "${times[podman-export]}" | awk '{print $NF}')" "$(du -m "$WORK/p$i.tar" | awk '{print $1}')"
    b "$i" rm -f "$bc_id" >/dev/null
    p "$i" rm -f "$pc_id" >/dev/null
    p "$i" rmi -a -f >/dev/null 2>&1 || true
    umount -R "$WORK/p$i/root/overlay" 2>/dev/null || true
    rm -rf "$WORK/b$i" "$WORK/b$i.tar" "$WORK/p$i.tar"
    rm -rf "$WORK/p$i" 2>/dev/null || true
done

med() { echo "${times[$1]}" | tr ' ' '\n' | grep . | median; }
bi=$(med berth-import) pi=$(med podman-import) be=$(med berth-export) pe=$(med podman-export)
log "medians over $ROUNDS rounds (${size} MB tarball)"
printf 'import: berth %.2fs  podman %.2fs  berth/podman %.2f\n' "$bi" "$pi" "$(echo "$bi / $pi" | bc -l)"
printf 'export: berth %.2fs  podman %.2fs  berth/podman %.2f\n' "$be" "$pe" "$(echo "$be / $pe" | bc -l)"
