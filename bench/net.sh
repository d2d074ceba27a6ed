#!/usr/bin/env bash
# Networking benchmark (issue 8): whole-command timings of
#   `berth run --rm IMAGE true` on the default bridge network vs
#   `--network none` (rounds interleaved; the difference is what network
#   setup and teardown cost), with the time of each CNI plugin's ADD (from
#   `run -d --debug`) and DEL (from `stop --debug`);
# then HTTP through a published port: `wrk -t2 -c10 -d10s` (ApacheBench
# `ab -n REQUESTS` when wrk is missing) against busybox httpd in a berth
# container behind `-p PORT:80` vs the same busybox httpd on the host and
# in a podman container behind -p (its own root), same machine, same run;
# and, where the host has IPv6, berth behind `-p [::1]:PORT:80`, which
# DNAT cannot serve: the shim's userland proxy carries it (docker-proxy's
# job in Docker).
#
# Environment: BERTH (binary; default target/release/berth), ROUNDS (20),
# REQUESTS (20000, ab only), CONCURRENCY (10), DURATION (10s, wrk only),
# PODMAN=0 skips podman, KEEP=1 keeps the work dir. Uses its
# own data/state roots, CNI config dir, bridge (bbench0) and subnet
# (10.250.0.0/24), all removed at the end.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$REPO/scripts/lib.sh"

ROUNDS=${ROUNDS:-20}
REQUESTS=${REQUESTS:-20000}
CONCURRENCY=${CONCURRENCY:-10}
DURATION=${DURATION:-10s}
BERTH=${BERTH:-$REPO/target/release/berth}
[ -x "$BERTH" ] || die "no berth binary at $BERTH: cargo build --release, or set BERTH"
[ "$(id -u)" -eq 0 ] || die "run as root"
command -v ab >/dev/null || die "ab missing (apt-get install apache2-utils)"

WORK=$(mktemp -d /tmp/berth-netbench.XXXXXX)
STATE=$(mktemp -d /run/bnbXXXXXX)
BRIDGE=bbench0
cat >"$WORK/berth.toml" <<EOF
default_bridge = "$BRIDGE"
default_subnet = "10.250.0.0/24"
cni_netconfpath = "$WORK/cni"
EOF
B=("$BERTH" --data-root "$WORK/data" --state-root "$STATE" --config "$WORK/berth.toml")
HOST_HTTPD_PID=""
P=()
PODMAN_BRIDGE=""
cleanup() {
    if [ ${#P[@]} -gt 0 ]; then
        "${P[@]}" rm -f -a >/dev/null 2>&1 || true
        [ -n "$PODMAN_BRIDGE" ] && ip link delete "$PODMAN_BRIDGE" 2>/dev/null || true
    fi
    "${B[@]}" rm -f $("${B[@]}" ps -aq 2>/dev/null) >/dev/null 2>&1 || true
    [ -n "$HOST_HTTPD_PID" ] && kill "$HOST_HTTPD_PID" 2>/dev/null || true
    stop_registry
    delete_bridge "$BRIDGE"
    rm -rf "$STATE"
    if [ "${KEEP:-0}" = 1 ]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

now() { date +%s%N; }

bench_image "$WORK" 5200
"${B[@]}" pull -q "$IMAGE" >/dev/null
stop_registry

# Warm up: creates the default network and its bridge.
"${B[@]}" run --rm "$IMAGE" true
"${B[@]}" run --rm --network none "$IMAGE" true

log "run --rm true: bridge vs none, $ROUNDS rounds interleaved"
: >"$WORK/bridge.ms"
: >"$WORK/none.ms"
for _ in $(seq "$ROUNDS"); do
    t=$(now); "${B[@]}" run --rm "$IMAGE" true; echo $((($(now) - t) / 1000000)) >>"$WORK/bridge.ms"
    t=$(now); "${B[@]}" run --rm --network none "$IMAGE" true; echo $((($(now) - t) / 1000000)) >>"$WORK/none.ms"
done
mb=$(median <"$WORK/bridge.ms")
mn=$(median <"$WORK/none.ms")
printf '%-28s %8s ms\n' "run --rm (bridge)" "$mb" "run --rm (--network none)" "$mn"
printf '%-28s %8s ms\n' "network setup + teardown" "$(awk -v a="$mb" -v b="$mn" 'BEGIN{print a-b}')"

log "per plugin (median of 5): ADD from run -d --debug, DEL from stop --debug"
: >"$WORK/plugins"
for _ in 1 2 3 4 5; do
    id=$("${B[@]}" --debug run -d "$IMAGE" sleep 60 2>>"$WORK/plugins")
    "${B[@]}" --debug stop -t 0 "$id" >/dev/null 2>>"$WORK/plugins"
    "${B[@]}" rm -f "$id" >/dev/null
done
# Lines look like: DEBU[0000.1234] cni ADD bridge (abcdef012345): 12.345ms
grep -o 'cni [A-Z]* [a-z-]* ([0-9a-f]*): [0-9.]*[mµn]*s' "$WORK/plugins" |
    awk '{
        v = $5; u = v; sub(/[0-9.]+/, "", u); sub(/[a-zµ]+$/, "", v);
        ms = (u == "ms") ? v : (u == "µs" ? v / 1000 : (u == "s" ? v * 1000 : v / 1e6));
        print $2 " " $3 " " ms
    }' | sort -k1,2 | awk '
        { k = $1 " " $2; n[k]++; s[k] = s[k] " " $3 }
        END { for (k in n) print k, s[k] }' |
    while read -r cmd plugin rest; do
        m=$(echo "$rest" | tr ' ' '\n' | grep . | median)
        printf '  %-4s %-10s %8.1f ms\n' "$cmd" "$plugin" "$m"
    done | sort

log "HTTP: $(command -v wrk >/dev/null && echo "wrk -t2 -c$CONCURRENCY -d$DURATION" || echo "ab -n $REQUESTS -c $CONCURRENCY"), busybox httpd on the host vs in berth (and podman) behind -p"
mkdir -p "$WORK/www"
echo "hello from berth" >"$WORK/www/index.html"
hport=$(free_port 8300)
/bin/busybox httpd -f -p "127.0.0.1:$hport" -h "$WORK/www" &
HOST_HTTPD_PID=$!
cport=$(free_port $((hport + 1)))
"${B[@]}" run -d --name web -p "127.0.0.1:$cport:80" "$IMAGE" \
    sh -c 'mkdir -p /www && echo "hello from berth" > /www/index.html && exec httpd -f -p 80 -h /www' >/dev/null
for p in "$hport" "$cport"; do
    for _ in $(seq 50); do curl -fsS "http://127.0.0.1:$p/" >/dev/null 2>&1 && break; sleep 0.1; done
done
# The shim's proxy: the same httpd behind -p [::1]:PORT:80.
xport=""
if python3 -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null; then
    xport=$(free_port $((cport + 2)))
    "${B[@]}" run -d --name web6 -p "[::1]:$xport:80" "$IMAGE" \
        sh -c 'mkdir -p /www && echo "hello from berth" > /www/index.html && exec httpd -f -p 80 -h /www' >/dev/null
    for _ in $(seq 50); do curl -fsS "http://[::1]:$xport/" >/dev/null 2>&1 && break; sleep 0.1; done
fi
# req/s against PORT on ADDR (default 127.0.0.1).
rps() {
    local url="http://${2:-127.0.0.1}:$1/"
    if command -v wrk >/dev/null; then
        wrk -t2 -c"$CONCURRENCY" -d"$DURATION" "$url" 2>/dev/null | awk '/Requests\/sec/ {print $2}'
    else
        ab -q -n "$REQUESTS" -c "$CONCURRENCY" "$url" 2>/dev/null | awk '/Requests per second/ {print $4}'
    fi
}
# The same httpd in podman behind -p (its own root; PODMAN=0 skips it).
pport=""
if [ "${PODMAN:-1}" = 1 ] && command -v podman >/dev/null; then
    # (`--ulimit host` still failed with "error setting rlimit type 7".)
    podman_conf "$WORK"
    P=(podman --root "$WORK/podman-root" --runroot "$STATE/podman-run" --cni-config-dir "$WORK/podman-cni")
    [ -e /sys/class/net/cni-podman0 ] || PODMAN_BRIDGE=cni-podman0
    tar -C "$WORK/layout" -cf "$WORK/layout.tar" .
    "${P[@]}" load -q -i "$WORK/layout.tar" >/dev/null
    pimg=$("${P[@]}" images -q | head -1)
    pport=$(free_port $((cport + 1)))
    if "${P[@]}" run -d --name pweb -p "127.0.0.1:$pport:80" "$pimg" \
        sh -c 'mkdir -p /www && echo "hello from berth" > /www/index.html && exec httpd -f -p 80 -h /www' >/dev/null; then
        for _ in $(seq 50); do curl -fsS "http://127.0.0.1:$pport/" >/dev/null 2>&1 && break; sleep 0.1; done
    else
        echo "podman could not run the container here: its line is skipped" >&2
        pport=""
    fi
fi
h1=$(rps "$hport"); c1=$(rps "$cport"); h2=$(rps "$hport"); c2=$(rps "$cport")
host=$(echo "$h1 $h2" | tr ' ' '\n' | median)
ctr=$(echo "$c1 $c2" | tr ' ' '\n' | median)
printf '%-28s %10s req/s\n' "host httpd" "$host" "berth httpd (-p)" "$ctr"
awk -v h="$host" -v c="$ctr" 'BEGIN { printf "%-28s %9.1f %%\n", "loss through -p (berth)", (h - c) * 100 / h }'
if [ -n "$xport" ]; then
    x1=$(rps "$xport" "[::1]"); x2=$(rps "$xport" "[::1]")
    prox=$(echo "$x1 $x2" | tr ' ' '\n' | median)
    printf '%-28s %10s req/s\n' "berth httpd (-p [::1], proxy)" "$prox"
    awk -v h="$host" -v c="$prox" 'BEGIN { printf "%-28s %9.1f %%\n", "loss through the shim proxy", (h - c) * 100 / h }'
fi
if [ -n "$pport" ]; then
    p1=$(rps "$pport"); p2=$(rps "$pport")
    pod=$(echo "$p1 $p2" | tr ' ' '\n' | median)
    printf '%-28s %10s req/s\n' "podman httpd (-p)" "$pod"
    awk -v h="$host" -v c="$pod" 'BEGIN { printf "%-28s %9.1f %%\n", "loss through -p (podman)", (h - c) * 100 / h }'
fi
