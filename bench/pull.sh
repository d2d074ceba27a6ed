#!/usr/bin/env bash
# Pull benchmark: a ~100 MB, 5-layer image of incompressible data on a
# loopback docker-registry, pulled ROUNDS times each by skopeo (into a fresh
# OCI layout: download + verify only), berth (into a fresh data root:
# download + verify + unpack) and podman when it is installed and works.
# Prints each round, the medians and the berth/skopeo ratio.
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
for tool in skopeo /usr/bin/docker-registry curl; do
    command -v "$tool" >/dev/null || die "missing $tool (run scripts/setup.sh)"
done
[ "$(id -u)" -eq 0 ] || die "run as root (berth pull unpacks layers with their owners)"

WORK=$(mktemp -d /tmp/berth-bench.XXXXXX)
cleanup() {
    stop_registry
    if [ "${KEEP:-0}" = 1 ]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

now() { date +%s.%N; }

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
wire=$(du -sm "$WORK/registry/storage" | awk '{print $1}')
log "registry holds ${wire} MB"

declare -A times
run_round() { # TOOL ROUND
    local tool=$1 i=$2 t0 t1 dir="$WORK/$1-$2"
    mkdir -p "$dir"
    t0=$(now)
    case $tool in
        skopeo)
            skopeo --insecure-policy copy --quiet --src-tls-verify=false \
                "docker://$IMAGE" "oci:$dir/layout:bench" ;;
        berth)
            "$BERTH" --data-root "$dir/data" --state-root "$dir/state" \
                --config "$WORK/none.toml" --insecure-registry "127.0.0.1:$port" pull -q "$IMAGE" >/dev/null ;;
        podman)
            podman --root "$dir/root" --runroot "$dir/run" pull -q --tls-verify=false "$IMAGE" >/dev/null ;;
    esac
    t1=$(now)
    rm -rf "$dir"
    awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f\n", b - a}'
}

# An empty config file keeps the host's /etc/berth/berth.toml out of the numbers.
: >"$WORK/none.toml"
tools=(skopeo berth)
if command -v podman >/dev/null && podman info >/dev/null 2>&1; then
    tools+=(podman)
else
    log "podman not installed or not working: skipped"
fi

for tool in "${tools[@]}"; do
    for i in $(seq 1 "$ROUNDS"); do
        s=$(run_round "$tool" "$i")
        printf '%-7s round %d: %ss\n' "$tool" "$i" "$s"
        times[$tool]+="$s "
    done
done

echo
printf '%-7s %10s %12s\n' tool median MB/s
for tool in "${tools[@]}"; do
    m=$(echo "${times[$tool]}" | tr ' ' '\n' | grep . | median)
    printf '%-7s %9.3fs %12.1f\n' "$tool" "$m" "$(awk -v s="$wire" -v t="$m" 'BEGIN {print s / t}')"
    eval "median_$tool=$m"
done
# shellcheck disable=SC2154
awk -v b="$median_berth" -v s="$median_skopeo" \
    'BEGIN {printf "\nberth/skopeo = %.2f (berth also unpacks; skopeo only stores blobs)\n", b / s}'
