#!/usr/bin/env bash
# Compose benchmark (issue 11): `berth compose up -d` and `compose down` of
#   - a 10-service project (busybox services that exit on SIGTERM, no
#     healthchecks), and
#   - a 3-service chain gated on health (c depends on b, b on a, each
#     `condition: service_healthy`),
# against the same work done by a shell script one command at a time:
# `network create`, then one `berth run -d` per service (for the chain,
# polling `inspect` until the dependency is healthy before the next run);
# for down, one `stop` per container then one `rm` per container and
# `network rm` (and, for comparison, one `rm -f` per container).
# Also measures the floor of the issue's aim: the slowest single service
# start (one `run -d`) and 10 `run -d` started at once by the shell
# (berth's churn rate); aim: up -d <= 1.5 x (single + churn-10),
# down of 10 services < 2 s.
#
# Environment: BERTH (binary; default target/release/berth), ROUNDS (7),
# KEEP=1 keeps the work dir. Uses its own data/state roots, CNI conf dir,
# default bridge bcomp0 (10.252.0.0/24) and project bridges bcomp1..4
# (10.252.1-4.0/24), all removed at the end.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$REPO/scripts/lib.sh"

ROUNDS=${ROUNDS:-7}
BERTH=${BERTH:-$REPO/target/release/berth}
[ -x "$BERTH" ] || die "no berth binary at $BERTH: cargo build --release, or set BERTH"
[ "$(id -u)" -eq 0 ] || die "run as root"

WORK=$(mktemp -d /tmp/berth-composebench.XXXXXX)
STATE=$(mktemp -d /run/bcbXXXXXX)
cat >"$WORK/berth.toml" <<EOF
default_bridge = "bcomp0"
default_subnet = "10.252.0.0/24"
cni_netconfpath = "$WORK/cni"
EOF
B=("$BERTH" --data-root "$WORK/data" --state-root "$STATE" --config "$WORK/berth.toml")
cleanup() {
    local ids
    ids=$("${B[@]}" ps -aq 2>/dev/null || true)
    # shellcheck disable=SC2086
    [ -n "$ids" ] && "${B[@]}" rm -f $ids >/dev/null 2>&1 || true
    for n in $("${B[@]}" network ls -q --filter label=bench=compose 2>/dev/null || true); do
        "${B[@]}" network rm "$n" >/dev/null 2>&1 || true
    done
    stop_registry
    delete_bridge bcomp0 bcomp1 bcomp2 bcomp3 bcomp4
    rm -rf "$STATE"
    if [ "${KEEP:-0}" = 1 ]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

now() { date +%s%N; }
ms_since() { echo $((($(now) - $1) / 1000000)); }

bench_image "$WORK" 5300
"${B[@]}" pull -q "$IMAGE" >/dev/null
stop_registry

# A service that exits on SIGTERM at once (the trap runs while `wait`s).
LOOP="trap 'exit 0' TERM; while :; do sleep 1 & wait; done"
HC=(--health-cmd true --health-interval 5s --health-start-period 10s --health-start-interval 100ms)

mkdir -p "$WORK/ten" "$WORK/chain"
{
    echo "name: cbten"
    echo "services:"
    for i in $(seq 1 10); do
        echo "  s$i:"
        echo "    image: $IMAGE"
        echo "    command: [\"sh\", \"-c\", \"$LOOP\"]"
    done
    cat <<EOF
networks:
  default:
    labels: {bench: compose}
    driver_opts: {com.docker.network.bridge.name: bcomp1}
    ipam: {config: [{subnet: 10.252.1.0/24}]}
EOF
} >"$WORK/ten/compose.yaml"
{
    echo "name: cbchain"
    echo "services:"
    prev=""
    for s in a b c; do
        echo "  $s:"
        echo "    image: $IMAGE"
        echo "    command: [\"sh\", \"-c\", \"$LOOP\"]"
        echo "    healthcheck: {test: [\"CMD\", \"true\"], interval: 5s, start_period: 10s, start_interval: 100ms}"
        [ -n "$prev" ] && echo "    depends_on: {$prev: {condition: service_healthy}}"
        prev=$s
    done
    cat <<EOF
networks:
  default:
    labels: {bench: compose}
    driver_opts: {com.docker.network.bridge.name: bcomp2}
    ipam: {config: [{subnet: 10.252.2.0/24}]}
EOF
} >"$WORK/chain/compose.yaml"

net_create() { # NAME BRIDGE SUBNET
    "${B[@]}" network create --label bench=compose -o "com.docker.network.bridge.name=$2" \
        --subnet "$3" "$1" >/dev/null
}
wait_healthy() { # NAME
    until [ "$("${B[@]}" inspect -f '{{.State.Health.Status}}' "$1")" = healthy ]; do
        sleep 0.05
    done
}

# Warm up: the default network, the image's first unpack, page cache.
"${B[@]}" run -d --name warm "$IMAGE" sh -c "$LOOP" >/dev/null
"${B[@]}" rm -f warm >/dev/null

: >"$WORK/results"
record() { echo "$1 $2" >>"$WORK/results"; }

for r in $(seq "$ROUNDS"); do
    log "round $r/$ROUNDS (load: $(cut -d' ' -f1-3 /proc/loadavg))"
    # compose, 10 services
    t=$(now); (cd "$WORK/ten" && "${B[@]}" compose up -d 2>/dev/null); record compose-up-10 "$(ms_since "$t")"
    t=$(now); (cd "$WORK/ten" && "${B[@]}" compose down 2>/dev/null); record compose-down-10 "$(ms_since "$t")"
    # shell, 10 services one by one
    t=$(now)
    net_create cbsh bcomp3 10.252.3.0/24
    for i in $(seq 1 10); do "${B[@]}" run -d --name "cbsh-s$i" --network cbsh "$IMAGE" sh -c "$LOOP" >/dev/null; done
    record shell-run-10 "$(ms_since "$t")"
    t=$(now)
    for i in $(seq 1 10); do "${B[@]}" stop "cbsh-s$i" >/dev/null; done
    for i in $(seq 1 10); do "${B[@]}" rm "cbsh-s$i" >/dev/null; done
    "${B[@]}" network rm cbsh >/dev/null
    record shell-stop-rm-10 "$(ms_since "$t")"
    net_create cbsh bcomp3 10.252.3.0/24
    for i in $(seq 1 10); do "${B[@]}" run -d --name "cbsh-s$i" --network cbsh "$IMAGE" sh -c "$LOOP" >/dev/null; done
    t=$(now)
    for i in $(seq 1 10); do "${B[@]}" rm -f "cbsh-s$i" >/dev/null; done
    "${B[@]}" network rm cbsh >/dev/null
    record shell-rm-f-10 "$(ms_since "$t")"
    # the floor: one start, and 10 at once (berth's churn rate)
    net_create cbsh bcomp3 10.252.3.0/24
    t=$(now); "${B[@]}" run -d --name cbsh-one --network cbsh "$IMAGE" sh -c "$LOOP" >/dev/null; record single-run "$(ms_since "$t")"
    "${B[@]}" rm -f cbsh-one >/dev/null
    t=$(now)
    for i in $(seq 1 10); do "${B[@]}" run -d --name "cbsh-p$i" --network cbsh "$IMAGE" sh -c "$LOOP" >/dev/null & done
    wait
    record parallel-run-10 "$(ms_since "$t")"
    for i in $(seq 1 10); do "${B[@]}" rm -f "cbsh-p$i" >/dev/null; done
    "${B[@]}" network rm cbsh >/dev/null
    # compose, health chain
    t=$(now); (cd "$WORK/chain" && "${B[@]}" compose up -d 2>/dev/null); record compose-up-chain "$(ms_since "$t")"
    t=$(now); (cd "$WORK/chain" && "${B[@]}" compose down 2>/dev/null); record compose-down-chain "$(ms_since "$t")"
    # shell, health chain
    t=$(now)
    net_create cbsh bcomp4 10.252.4.0/24
    "${B[@]}" run -d --name cbsh-a --network cbsh "${HC[@]}" "$IMAGE" sh -c "$LOOP" >/dev/null
    wait_healthy cbsh-a
    "${B[@]}" run -d --name cbsh-b --network cbsh "${HC[@]}" "$IMAGE" sh -c "$LOOP" >/dev/null
    wait_healthy cbsh-b
    "${B[@]}" run -d --name cbsh-c --network cbsh "${HC[@]}" "$IMAGE" sh -c "$LOOP" >/dev/null
    record shell-run-chain "$(ms_since "$t")"
    t=$(now)
    for s in c b a; do "${B[@]}" stop "cbsh-$s" >/dev/null; done
    for s in c b a; do "${B[@]}" rm "cbsh-$s" >/dev/null; done
    "${B[@]}" network rm cbsh >/dev/null
    record shell-stop-rm-chain "$(ms_since "$t")"
done

echo
echo "compose bench: $ROUNDS rounds, $BERTH ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
declare -A med
for k in compose-up-10 shell-run-10 compose-down-10 shell-stop-rm-10 shell-rm-f-10 \
    single-run parallel-run-10 compose-up-chain shell-run-chain compose-down-chain shell-stop-rm-chain; do
    med[$k]=$(awk -v k="$k" '$1 == k {print $2}' "$WORK/results" | median)
    printf '%-20s median %6s ms   rounds: %s\n' "$k" "${med[$k]}" \
        "$(awk -v k="$k" '$1 == k {printf "%s ", $2}' "$WORK/results")"
done
aim=$(awk -v a="${med[single-run]}" -v b="${med[parallel-run-10]}" 'BEGIN {printf "%d", 1.5 * (a + b)}')
echo
echo "10 services: up -d ${med[compose-up-10]} ms (shell one by one ${med[shell-run-10]} ms);" \
    "aim <= 1.5 x (single ${med[single-run]} + churn-10 ${med[parallel-run-10]}) = $aim ms"
echo "10 services: down ${med[compose-down-10]} ms (shell stop+rm ${med[shell-stop-rm-10]} ms," \
    "rm -f ${med[shell-rm-f-10]} ms); aim < 2000 ms"
echo "health chain: up -d ${med[compose-up-chain]} ms (shell ${med[shell-run-chain]} ms);" \
    "down ${med[compose-down-chain]} ms (shell ${med[shell-stop-rm-chain]} ms)"
