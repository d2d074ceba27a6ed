#!/usr/bin/env bash
# Build benchmark (issue 13): the 6-step Dockerfile of the issue (FROM the
# busybox image, ENV, 2 COPY, 2 RUN, CMD) built
#   cold (--no-cache: every RUN in a container, every layer written) and
#   cached (an unchanged rebuild: every step a cache hit),
# by `berth build` and, when installed and working, `buildah bud` (cold:
# --layers=false; cached: --layers, second run), each into its own fresh
# storage with the base image already pulled. Rounds are interleaved;
# prints every round, medians and berth/buildah ratios.
#
# Environment: BERTH (binary; default target/release/berth), ROUNDS (5),
# NETWORK (the RUN steps' network: default, none; default "default"),
# KEEP=1 keeps the work dir.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$REPO/scripts/lib.sh"

ROUNDS=${ROUNDS:-5}
NETWORK=${NETWORK:-default}
BERTH=${BERTH:-$REPO/target/release/berth}
[ -x "$BERTH" ] || die "no berth binary at $BERTH: cargo build --release, or set BERTH"
[ "$(id -u)" -eq 0 ] || die "run as root"

WORK=$(mktemp -d /tmp/berth-buildbench.XXXXXX)
B=("$BERTH" --data-root "$WORK/data" --state-root "$WORK/state" --config "$WORK/none.toml")
# Its own default bridge and subnet: the host's berth0 may belong to the
# system data root with another subnet.
printf 'default_bridge = "bbuild0"\ndefault_subnet = "10.251.0.0/24"\n' >"$WORK/none.toml"
BUILDAH=(buildah --root "$WORK/buildah-root" --runroot "$WORK/buildah-run" --storage-driver overlay)
cleanup() {
    "${B[@]}" rm -f $("${B[@]}" ps -aq 2>/dev/null) >/dev/null 2>&1 || true
    "${BUILDAH[@]}" rm --all >/dev/null 2>&1 || true
    "${BUILDAH[@]}" rmi --all --force >/dev/null 2>&1 || true
    umount -R "$WORK/buildah-root/overlay" >/dev/null 2>&1 || true
    stop_registry
    delete_bridge bbuild0
    if [ "${KEEP:-0}" = 1 ]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

now() { date +%s%N; }

bench_image "$WORK" 5300
"${B[@]}" pull -q "$IMAGE" >/dev/null

CTX="$WORK/ctx"
mkdir -p "$CTX/app"
head -c 1048576 /dev/urandom >"$CTX/app/data.bin"
printf 'hello\n' >"$CTX/app/hello.txt"
cat >"$CTX/Dockerfile" <<DF
FROM $IMAGE
ENV APP=/app
COPY app/hello.txt /app/
RUN echo built > /app/stamp && ls -l /app
COPY app/data.bin /app/
RUN sha256sum /app/data.bin > /app/sum
CMD ["cat", "/app/stamp"]
DF

have_buildah=0
if command -v buildah >/dev/null 2>&1 \
    && "${BUILDAH[@]}" pull --tls-verify=false -q "$IMAGE" >/dev/null 2>&1; then
    have_buildah=1
else
    log "buildah missing or not working here: berth only"
fi
bnet=()
[ "$NETWORK" = none ] && bnet=(--network none)

time_ms() { local t0 t1; t0=$(now); "$@" >/dev/null 2>&1 || die "failed: $*"; t1=$(now); echo $(( (t1 - t0) / 1000000 )); }

: >"$WORK/berth-cold"; : >"$WORK/berth-cached"; : >"$WORK/buildah-cold"; : >"$WORK/buildah-cached"
for r in $(seq 1 "$ROUNDS"); do
    c=$(time_ms "${B[@]}" build -q --no-cache --network "$NETWORK" -t bench:cold "$CTX")
    w=$(time_ms "${B[@]}" build -q --network "$NETWORK" -t bench:cold "$CTX")
    echo "$c" >>"$WORK/berth-cold"; echo "$w" >>"$WORK/berth-cached"
    line="round $r: berth cold ${c} ms, cached ${w} ms"
    if [ "$have_buildah" = 1 ]; then
        bc=$(time_ms "${BUILDAH[@]}" bud --tls-verify=false --layers=false "${bnet[@]}" -q -t bench:cold "$CTX")
        echo "$bc" >>"$WORK/buildah-cold"
        # buildah's layer cache (--layers) fails on some hosts: then there
        # is no cached figure for it, and the cold one still counts.
        bw=n/a
        if "${BUILDAH[@]}" bud --tls-verify=false --layers "${bnet[@]}" -q -t bench:warm "$CTX" >/dev/null 2>&1; then
            bw=$(time_ms "${BUILDAH[@]}" bud --tls-verify=false --layers "${bnet[@]}" -q -t bench:warm "$CTX")
            echo "$bw" >>"$WORK/buildah-cached"
        fi
        line="$line; buildah cold ${bc} ms, cached ${bw} ms"
    fi
    echo "$line"
done

bc=$(median <"$WORK/berth-cold"); bw=$(median <"$WORK/berth-cached")
echo
echo "median berth build (network $NETWORK): cold ${bc} ms, cached ${bw} ms"
if [ "$have_buildah" = 1 ]; then
    hc=$(median <"$WORK/buildah-cold")
    hw=n/a
    [ -s "$WORK/buildah-cached" ] && hw=$(median <"$WORK/buildah-cached")
    echo "median buildah bud:               cold ${hc} ms, cached ${hw} ms"
    awk -v a="$bc" -v b="$hc" -v c="$bw" -v d="$hw" \
        'BEGIN { printf "berth/buildah: cold %.2fx", a / b; if (d != "n/a") printf ", cached %.2fx", c / d; printf "\n" }'
fi
