#!/usr/bin/env bash
# Archive benchmark: `save` and `load` of a ~100 MB, 5-layer image of
# incompressible data, berth against podman on the same machine in the same
# run. Both first pull the image from a loopback docker-registry; then, ROUNDS
# times each (tools interleaved per round):
#   save: berth save -o FILE / podman save -o FILE (docker-archive);
#   load: berth load -i <berth's archive> into a fresh data root /
#         podman load -i <podman's archive> into a fresh root;
#   load of podman's archive by berth (Docker layout, plain layers), too.
# Prints each round, the medians, MB/s of archive and the berth/podman ratios.
#
# Environment: BERTH (binary, default target/release/berth, else berth on
# PATH), SIZE_MB (100), LAYERS (5), ROUNDS (3), KEEP=1 keeps the work dir.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$REPO/scripts/lib.sh"

SIZE_MB=${SIZE_MB:-100}
LAYERS=${LAYERS:-5}
ROUNDS=${ROUNDS:-3}
if [ -z "${BERTH:-}" ]; then
    if [ -x "$REPO/target/release/berth" ]; then
        BERTH="$REPO/target/release/berth"
    else
        BERTH=$(command -v berth || true)
    fi
fi
[ -n "$BERTH" ] && [ -x "$BERTH" ] || die "no berth binary: cargo build --release, or set BERTH"
for tool in skopeo podman /usr/bin/docker-registry curl; do
    command -v "$tool" >/dev/null || die "missing $tool (run scripts/setup.sh)"
done
[ "$(id -u)" -eq 0 ] || die "run as root (berth load unpacks layers with their owners)"

WORK=$(mktemp -d /tmp/berth-bench.XXXXXX)
cleanup() {
    stop_registry
    # podman's overlay driver may leave its private mounts behind.
    findmnt -rn -o TARGET | grep "^$WORK/" | sort -r | xargs -r umount -l 2>/dev/null || true
    if [ "${KEEP:-0}" = 1 ]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f\n", b - a}'; }

log "building a ${SIZE_MB} MB image in $LAYERS layers of random data"
per_layer=$((SIZE_MB / LAYERS))
tars=()
for i in $(seq 1 "$LAYERS"); do
    d="$WORK/l$i"
    mkdir -p "$d/data"
    head -c "$((per_layer * 1024 * 1024))" /dev/urandom >"$d/data/blob$i.bin"
    tar --owner=0 --group=0 --numeric-owner -C "$d" -cf "$WORK/l$i.tar" .
    rm -rf "$d"
    tars+=("$WORK/l$i.tar")
done
oci_image "$WORK/layout" bench "${tars[@]}"
rm -f "${tars[@]}"

port=$(free_port 5000)
start_registry "$WORK/registry" "$port"
IMAGE="127.0.0.1:$port/bench/random:latest"
log "pushing to $IMAGE"
skopeo_push "$WORK/layout" bench "$IMAGE"

# An empty config file keeps the host's /etc/berth/berth.toml out of the numbers.
: >"$WORK/none.toml"
berth() { # DIR ARGS...
    local dir=$1
    shift
    "$BERTH" --data-root "$dir/data" --state-root "$dir/state" --config "$WORK/none.toml" \
        --insecure-registry "127.0.0.1:$port" "$@"
}
podman_in() { # DIR ARGS...
    local dir=$1
    shift
    podman --root "$dir/root" --runroot "$dir/run" --events-backend none \
        --cgroup-manager cgroupfs "$@"
}

log "pulling into berth and podman"
berth "$WORK/berth-src" pull -q "$IMAGE" >/dev/null
podman_in "$WORK/podman-src" pull -q --tls-verify=false "$IMAGE" >/dev/null

declare -A times
time_it() { # NAME CMD...
    local name=$1 t0 t1
    shift
    t0=$(now)
    "$@" >/dev/null
    t1=$(now)
    s=$(elapsed "$t0" "$t1")
    printf '%-20s %ss\n' "$name" "$s"
    times[$name]+="$s "
}

for i in $(seq 1 "$ROUNDS"); do
    rm -f "$WORK/berth.tar" "$WORK/podman.tar"
    time_it berth-save berth "$WORK/berth-src" save -o "$WORK/berth.tar" "$IMAGE"
    time_it podman-save podman_in "$WORK/podman-src" save -q -o "$WORK/podman.tar" "$IMAGE"
    sync
    time_it berth-load berth "$WORK/berth-dst-$i" load -q -i "$WORK/berth.tar"
    time_it podman-load podman_in "$WORK/podman-dst-$i" load -q -i "$WORK/podman.tar"
    time_it berth-load-podman berth "$WORK/berth-x-$i" load -q -i "$WORK/podman.tar"
    findmnt -rn -o TARGET | grep "^$WORK/podman-dst-$i" | sort -r | xargs -r umount -l 2>/dev/null || true
    rm -rf "$WORK/berth-dst-$i" "$WORK/podman-dst-$i" "$WORK/berth-x-$i"
done

mb() { du -m "$1" | awk '{print $1}'; }
declare -A size=([berth-save]=$(mb "$WORK/berth.tar") [berth-load]=$(mb "$WORK/berth.tar")
    [podman-save]=$(mb "$WORK/podman.tar") [podman-load]=$(mb "$WORK/podman.tar")
    [berth-load-podman]=$(mb "$WORK/podman.tar"))
echo
printf '%-20s %10s %8s %10s\n' measure median MB MB/s
declare -A med
for name in berth-save podman-save berth-load podman-load berth-load-podman; do
    m=$(echo "${times[$name]}" | tr ' ' '\n' | grep . | median)
    med[$name]=$m
    printf '%-20s %9.3fs %8s %10.1f\n' "$name" "$m" "${size[$name]}" \
        "$(awk -v s="${size[$name]}" -v t="$m" 'BEGIN {print s / t}')"
done
echo
awk -v b="${med[berth-save]}" -v p="${med[podman-save]}" 'BEGIN {printf "save: berth/podman = %.2f\n", b / p}'
awk -v b="${med[berth-load]}" -v p="${med[podman-load]}" 'BEGIN {printf "load: berth/podman = %.2f (each its own archive)\n", b / p}'
awk -v b="${med[berth-load-podman]}" -v p="${med[podman-load]}" \
    'BEGIN {printf "load of podman'"'"'s archive: berth/podman = %.2f\n", b / p}'
