#!/usr/bin/env bash
# Container start benchmark (issue: containers): whole-command timings of
#   bare `runc run` of a prepared bundle (the floor),
#   `berth run --rm --network none IMAGE true`,
#   `podman run --rm --network none` (when podman is installed and works),
# with rounds interleaved across tools; a breakdown of berth's own time
# (CLI before the shim, shim start to runtime exec, after the container's
# exit) from traced runs (strace, bench/breakdown.py); then a churn test
# (WORKERS parallel loops of `run --rm ... true` for SECONDS) and the PSS of
# berth's per-container shim. Prints medians and ratios.
#
# Environment: BERTH (binary; default target/release/berth), BERTH_BASE (a
# second berth, e.g. the previous commit's, timed in the same run for
# before/after ratios), ROUNDS (30), WORKERS (10), SECONDS_CHURN (30),
# KEEP=1 keeps the work dir, STATE_TMPFS (1).
#
# Runtime state lives where it does on a standard host: berth's state roots
# and runc's --root on a tmpfs of the bench's own (as /run/berth and
# /run/runc are on a host whose /run is tmpfs, which is every systemd
# Debian). STATE_TMPFS=0 keeps them in the work dir on disk instead.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$REPO/scripts/lib.sh"

ROUNDS=${ROUNDS:-30}
WORKERS=${WORKERS:-10}
SECONDS_CHURN=${SECONDS_CHURN:-30}
BERTH=${BERTH:-$REPO/target/release/berth}
BERTH_BASE=${BERTH_BASE:-}
[ -x "$BERTH" ] || die "no berth binary at $BERTH: cargo build --release, or set BERTH"
[ -z "$BERTH_BASE" ] || [ -x "$BERTH_BASE" ] || die "no berth binary at BERTH_BASE=$BERTH_BASE"
[ "$(id -u)" -eq 0 ] || die "run as root"
RUNC=$(command -v runc || echo /usr/sbin/runc)
[ -x "$RUNC" ] || die "runc missing (run scripts/setup.sh)"

WORK=$(mktemp -d /tmp/berth-runbench.XXXXXX)
RUN="$WORK/run"
mkdir -p "$RUN"
[ "${STATE_TMPFS:-1}" = 1 ] && mount -t tmpfs -o mode=0700 berth-bench "$RUN"
B=("$BERTH" --data-root "$WORK/data" --state-root "$RUN/state" --config "$WORK/none.toml")
: >"$WORK/none.toml"
# A second berth (BERTH_BASE, e.g. the previous release) with its own roots,
# timed in the same run for before/after ratios.
BB=("${BERTH_BASE:-$BERTH}" --data-root "$WORK/base-data" --state-root "$RUN/base-state" --config "$WORK/none.toml")
cleanup() {
    "${B[@]}" rm -f $("${B[@]}" ps -aq 2>/dev/null) >/dev/null 2>&1 || true
    [ -n "$BERTH_BASE" ] && { "${BB[@]}" rm -f $("${BB[@]}" ps -aq 2>/dev/null) >/dev/null 2>&1 || true; }
    stop_registry
    for id in $("$RUNC" --root "$RUN/runc" list -q 2>/dev/null); do
        "$RUNC" --root "$RUN/runc" delete -f "$id" >/dev/null 2>&1 || true
    done
    if mountpoint -q "$WORK/ov/merged" 2>/dev/null; then umount "$WORK/ov/merged"; fi
    if mountpoint -q "$RUN"; then umount "$RUN"; fi
    if [ "${KEEP:-0}" = 1 ]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

now() { date +%s%N; }

bench_image "$WORK" 5100
"${B[@]}" pull -q "$IMAGE" >/dev/null
[ -n "$BERTH_BASE" ] && "${BB[@]}" pull -q "$IMAGE" >/dev/null

log "preparing a runc bundle from the same root filesystem"
mkdir -p "$WORK/bundle/rootfs"
tar -C "$WORK/bundle/rootfs" -xf "$WORK/bb.tar"
(cd "$WORK/bundle" && "$RUNC" spec && sed -i 's/"terminal": true/"terminal": false/; s/"sh"/"true"/' config.json)

# A second floor: the same runc with the config.json berth generates
# (Docker's seccomp profile, capabilities, masked paths, cgroup limits), so
# the cost of the security defaults shows apart from berth's own overhead.
"${B[@]}" create --name cfgsrc --network none "$IMAGE" true >/dev/null
"${B[@]}" start cfgsrc >/dev/null
sleep 0.5
cid=$("${B[@]}" ps -aq --no-trunc --filter name=^cfgsrc$)
mkdir -p "$WORK/bundle-berth"
python3 - "$WORK/data/containers/$cid/config.json" "$WORK/bundle-berth/config.json" "$WORK/bundle/rootfs" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["root"]["path"] = sys.argv[3]
c["mounts"] = [m for m in c["mounts"] if not m["destination"].startswith("/etc/")]
c["linux"].pop("cgroupsPath", None)
json.dump(c, open(sys.argv[2], "w"))
PY
# A third floor, runc with berth's config.json exactly as berth hands it
# over: the root filesystem a fresh overlay of the image's layer (a new
# upper dir per run, mounted `volatile` as berth mounts a `run --rm`
# container's) and the /etc/hosts, /etc/hostname and /etc/resolv.conf bind
# mounts kept. Mounting, unmounting and `runc delete` are not timed.
mkdir -p "$WORK/bundle-ov"
for f in hosts hostname resolv.conf; do cp "$WORK/data/containers/$cid/$f" "$WORK/bundle-ov/$f"; done
python3 - "$WORK/data/containers/$cid/config.json" "$WORK/bundle-ov/config.json" "$WORK/ov/merged" "$WORK/bundle-ov" <<'PY'
import json, os, sys
c = json.load(open(sys.argv[1]))
c["root"]["path"] = sys.argv[3]
for m in c["mounts"]:
    if m["destination"] in ("/etc/hosts", "/etc/hostname", "/etc/resolv.conf"):
        m["source"] = os.path.join(sys.argv[4], os.path.basename(m["destination"]))
c["linux"].pop("cgroupsPath", None)
json.dump(c, open(sys.argv[2], "w"))
PY
LOWER=$(echo "$WORK"/data/snapshots/layers/*/fs)
[ -d "$LOWER" ] || die "expected the image's one layer under $WORK/data/snapshots/layers"
"${B[@]}" rm -f cfgsrc >/dev/null

time_runc() { time_bundle "$WORK/bundle"; }
time_runcsec() { time_bundle "$WORK/bundle-berth"; }
time_runcov() {
    local us
    rm -rf "$WORK/ov"
    mkdir -p "$WORK/ov/upper" "$WORK/ov/work" "$WORK/ov/merged"
    mount -t overlay -o "lowerdir=$LOWER,upperdir=$WORK/ov/upper,workdir=$WORK/ov/work,volatile" \
        berth-bench-ov "$WORK/ov/merged"
    us=$(time_bundle "$WORK/bundle-ov")
    umount "$WORK/ov/merged"
    echo "$us"
}
time_bundle() {
    local id t0 t1
    id="bench-$RANDOM$RANDOM"
    t0=$(now)
    "$RUNC" --root "$RUN/runc" run --bundle "$1" "$id" </dev/null >/dev/null
    t1=$(now)
    "$RUNC" --root "$RUN/runc" delete -f "$id" >/dev/null 2>&1 || true
    echo $(((t1 - t0) / 1000))
}
time_berth() { time_run "${B[@]}"; }
time_base() { time_run "${BB[@]}"; }
time_run() { # BERTH-COMMAND... : microseconds of one run --rm true
    local t0 t1
    t0=$(now)
    "$@" run --rm --network none "$IMAGE" true </dev/null >/dev/null
    t1=$(now)
    echo $(((t1 - t0) / 1000))
}
podman_conf "$WORK"
have_podman=0
if command -v podman >/dev/null && podman pull -q --tls-verify=false "$IMAGE" >/dev/null 2>&1 &&
    podman run --rm --network none "$IMAGE" true </dev/null >/dev/null 2>&1; then
    have_podman=1
fi
time_podman() {
    local t0 t1
    t0=$(now)
    podman run --rm --network none "$IMAGE" true </dev/null >/dev/null
    t1=$(now)
    echo $(((t1 - t0) / 1000))
}

tools=(runc runcsec runcov berth)
[ -n "$BERTH_BASE" ] && tools+=(base)
[ $have_podman = 1 ] && tools+=(podman) || log "podman not installed or not working: skipped"
# Rounds are interleaved (one run of each tool per round), so a change in
# the machine's load during the run hits every tool alike; each round
# starts one tool further on, so no tool always follows the same other
# one (a run leaves work behind, the ext4 journal's commit of its deleted
# files among it, which slows whatever comes next).
declare -A samples med
for tool in "${tools[@]}"; do "time_$tool" >/dev/null; done # warm-up
for r in $(seq 0 $((ROUNDS - 1))); do
    for k in "${!tools[@]}"; do
        tool=${tools[$(((r + k) % ${#tools[@]}))]}
        samples[$tool]+="$("time_$tool") "
    done
done
for tool in "${tools[@]}"; do
    med[$tool]=$(echo "${samples[$tool]}" | tr ' ' '\n' | grep . | median)
    printf '%-7s run --rm true: median %7.1f ms over %d runs\n' "$tool" "$(awk -v u="${med[$tool]}" 'BEGIN{print u/1000}')" "$ROUNDS"
done
ratio() { awk -v a="$2" -v b="$3" -v l="$1" 'BEGIN {printf "%s = %.2f\n", l, a / b}'; }
ratio "berth/runc latency" "${med[berth]}" "${med[runc]}"
ratio "berth/(runc with berth's config) latency" "${med[berth]}" "${med[runcsec]}"
awk -v b="${med[berth]}" -v r="${med[runcsec]}" 'BEGIN {printf "berth own time over runc with its config = %.1f ms\n", (b - r) / 1000}'
awk -v b="${med[berth]}" -v r="${med[runcov]}" 'BEGIN {printf "berth own time over runc with its config on an overlay = %.1f ms\n", (b - r) / 1000}'
if [ -n "$BERTH_BASE" ]; then
    ratio "berth/base latency" "${med[berth]}" "${med[base]}"
    awk -v b="${med[base]}" -v r="${med[runcsec]}" 'BEGIN {printf "base own time over runc with its config = %.1f ms\n", (b - r) / 1000}'
    awk -v b="${med[base]}" -v r="${med[runcov]}" 'BEGIN {printf "base own time over runc with its config on an overlay = %.1f ms\n", (b - r) / 1000}'
fi
[ $have_podman = 1 ] && ratio "berth/podman latency" "${med[berth]}" "${med[podman]}"

# Where berth's time goes: ROUNDS traced runs, split at the execs of the
# shim and the runtime and at the container command's exit (breakdown.py).
# strace with a seccomp filter stops only at execve/exit_group, so the
# tracing itself costs little; the phases are medians. With BERTH_BASE the
# rounds alternate between the two (which one goes first alternating too),
# so load that changes during the run hits both alike.
traced() { # BINARY CMD... -> one JSON line of phases
    local bin=$1 trace="$WORK/trace.txt"
    shift
    strace -f --seccomp-bpf -ttt -e trace=execve,exit_group -o "$trace" \
        "$@" run --rm --network none "$IMAGE" true </dev/null >/dev/null 2>&1
    python3 "$REPO/bench/breakdown.py" "$bin" "$RUNC" <"$trace"
}
summarise() { # LABEL <JSON lines
    python3 -c '
import json, statistics, sys
rows = [json.loads(l) for l in sys.stdin]
label = sys.argv[1]
for k in rows[0]:
    print(f"{label:<6} {k:<24} median {statistics.median(r[k] for r in rows):7.2f} ms")
' "$1"
}
if command -v strace >/dev/null; then
    : >"$WORK/phases.berth"
    : >"$WORK/phases.base"
    for i in $(seq 1 "$ROUNDS"); do
        if [ -z "$BERTH_BASE" ]; then
            traced "$BERTH" "${B[@]}" >>"$WORK/phases.berth"
        elif [ $((i % 2)) = 1 ]; then
            traced "$BERTH" "${B[@]}" >>"$WORK/phases.berth"
            traced "$BERTH_BASE" "${BB[@]}" >>"$WORK/phases.base"
        else
            traced "$BERTH_BASE" "${BB[@]}" >>"$WORK/phases.base"
            traced "$BERTH" "${B[@]}" >>"$WORK/phases.berth"
        fi
    done
    summarise berth <"$WORK/phases.berth"
    [ -n "$BERTH_BASE" ] && summarise base <"$WORK/phases.base"
else
    log "strace not installed: no breakdown"
fi

churn() { # TOOL -> containers per second
    local tool=$1 end count=0 dir
    dir=$(mktemp -d "$WORK/churn.XXXX")
    end=$(($(date +%s) + SECONDS_CHURN))
    for w in $(seq 1 "$WORKERS"); do
        (
            n=0
            while [ "$(date +%s)" -lt "$end" ]; do
                "time_$tool" >/dev/null && n=$((n + 1))
            done
            echo "$n" >"$dir/$w"
        ) &
    done
    wait
    for f in "$dir"/*; do count=$((count + $(cat "$f"))); done
    awk -v c="$count" -v s="$SECONDS_CHURN" 'BEGIN {printf "%.1f\n", c / s}'
}
declare -A rate
for tool in runc runcsec berth $([ -n "$BERTH_BASE" ] && echo base) $([ $have_podman = 1 ] && echo podman); do
    rate[$tool]=$(churn "$tool")
    printf '%-7s churn (%d workers, %ds): %s containers/s\n' "$tool" "$WORKERS" "$SECONDS_CHURN" "${rate[$tool]}"
done
ratio "berth/runc churn" "${rate[berth]}" "${rate[runc]}"
# runc alone with berth's config.json: what Docker's seccomp profile (runc
# compiles it for three architectures at every start), capabilities and
# masked paths cost before berth does anything.
ratio "runcsec/runc churn" "${rate[runcsec]}" "${rate[runc]}"
ratio "berth/runcsec churn" "${rate[berth]}" "${rate[runcsec]}"
[ -n "$BERTH_BASE" ] && ratio "base/runc churn" "${rate[base]}" "${rate[runc]}"

log "shim memory"
for i in 1 2 3; do "${B[@]}" run -d --network none --name "pss$i" "$IMAGE" sleep 600 >/dev/null; done
sleep 1.5 # the shim trims its memory after 300 ms idle
for i in 1 2 3; do
    id=$("${B[@]}" ps -q --no-trunc --filter "name=^pss$i\$")
    shim=$(cat "$RUN/state/containers/$id/shim.pid")
    pss=$(awk '/^Pss:/ {print $2}' "/proc/$shim/smaps_rollup")
    printf 'shim of pss%d: PSS %s kB\n' "$i" "$pss"
done
