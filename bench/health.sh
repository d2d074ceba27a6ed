#!/usr/bin/env bash
# Healthcheck and crash-loop cost of berth's per-container shim (issue 9):
#   1. a container whose healthcheck runs every INTERVAL: the shim's PSS
#      (/proc/PID/smaps_rollup) at 0, 100, 500 and PROBES probes, counted
#      from a file each probe appends one byte to (read from the
#      container's upper dir, so counting adds no exec);
#   2. podman's conmon for the same container, when podman runs here (its
#      healthchecks need systemd timers: without systemd they never run,
#      so conmon is measured idle and the script says so);
#   3. a crash loop: `--restart always` on `false` for LOOP_SECONDS, the
#      runs made and the CPU the shim and its children (runc, the
#      container) used, against the runs Docker's back-off allows (100 ms
#      doubling to 1 min, reset after 10 s up) in that time.
#
#   Between 1 and 2, a healthcheck every second: the shim's PSS sampled
#   every 100 ms for SAMPLE_SECONDS from the moment `run -d` returns
#   (median, maximum, share above 1 MiB), the first 1.5 s (start-up and the
#   first probe) reported apart; conmon sampled the same way from the
#   moment `podman run -d` returns.
#
# Environment: BERTH (binary; default target/release/berth), INTERVAL
# (100ms), PROBES (1000), SAMPLE_SECONDS (30), CONMON_SECONDS (5),
# LOOP_SECONDS (60), KEEP=1 keeps the work dir.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$REPO/scripts/lib.sh"

INTERVAL=${INTERVAL:-100ms}
PROBES=${PROBES:-1000}
LOOP_SECONDS=${LOOP_SECONDS:-60}
SAMPLE_SECONDS=${SAMPLE_SECONDS:-30}
CONMON_SECONDS=${CONMON_SECONDS:-5}
BERTH=${BERTH:-$REPO/target/release/berth}
[ -x "$BERTH" ] || die "no berth binary at $BERTH: cargo build --release, or set BERTH"
[ "$(id -u)" -eq 0 ] || die "run as root"

WORK=$(mktemp -d /tmp/berth-healthbench.XXXXXX)
RUN="$WORK/run"
mkdir -p "$RUN"
mount -t tmpfs -o mode=0700 berth-bench "$RUN"
: >"$WORK/none.toml"
B=("$BERTH" --data-root "$WORK/data" --state-root "$RUN/state" --config "$WORK/none.toml")
have_podman=0
cleanup() {
    "${B[@]}" rm -f $("${B[@]}" ps -aq 2>/dev/null) >/dev/null 2>&1 || true
    [ $have_podman = 1 ] && podman rm -f berth-healthbench >/dev/null 2>&1 || true
    stop_registry
    if mountpoint -q "$RUN"; then umount "$RUN"; fi
    if [ "${KEEP:-0}" = 1 ]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# pss PID : "TOTAL kB (file F, anon A)" from smaps_rollup.
pss() {
    awk '/^Pss:/ {t = $2} /^Pss_File:/ {f = $2} /^Pss_Anon:/ {a = $2}
        END {printf "%s kB (file %s, anon %s)", t, f, a}' "/proc/$1/smaps_rollup"
}
shim_of() { cat "$RUN/state/containers/$1/shim.pid"; }
# sample_pss PID SECONDS T0 OUT : every 100 ms for SECONDS, "MS PSS" lines
# (milliseconds since T0, from `date +%s%N`; PSS in kB) appended to OUT.
sample_pss() {
    local end=$(($(date +%s) + $2))
    while [ "$(date +%s)" -lt "$end" ] && [ -e "/proc/$1/smaps_rollup" ]; do
        awk -v t0="$3" -v now="$(date +%s%N)" \
            '/^Pss:/ {printf "%d %s\n", (now - t0) / 1000000, $2}' "/proc/$1/smaps_rollup" >>"$4"
        sleep 0.1
    done
}
# pss_summary OUT : median, max, share above 1 MiB of the samples after the
# first 1.5 s, and the maximum of the first 1.5 s.
pss_summary() {
    awk '$1 >= 1500 {print $2}' "$1" >"$1.steady"
    printf 'first 1.5 s: max %s kB over %s samples; after: median %s kB, max %s kB, above 1 MiB in %s of %s samples\n' \
        "$(awk '$1 < 1500 {print $2}' "$1" | sort -n | tail -1)" "$(awk '$1 < 1500' "$1" | wc -l)" \
        "$(median <"$1.steady")" "$(sort -n "$1.steady" | tail -1)" \
        "$(awk '$1 > 1024' "$1.steady" | wc -l)" "$(wc -l <"$1.steady")"
}
# cpu_ticks PID : utime+stime of PID and of the children it reaped.
cpu_ticks() { awk '{print $14 + $15 + $16 + $17}' "/proc/$1/stat"; }

bench_image "$WORK" 5300
"${B[@]}" pull -q "$IMAGE" >/dev/null

log "healthcheck every $INTERVAL: shim PSS over $PROBES probes"
id=$("${B[@]}" run -d --network none --name hb --health-cmd 'echo -n . >>/probes' \
    --health-interval "$INTERVAL" --health-timeout 5s "$IMAGE" sleep 100000)
shim=$(shim_of "$id")
probes_file="$WORK/data/snapshots/containers/$id/upper/probes"
probes() { stat -c %s "$probes_file" 2>/dev/null || echo 0; }
sleep 0.5 # the shim trims its memory after 300 ms idle
printf '%6s probes: shim PSS %s\n' "$(probes)" "$(pss "$shim")"
for want in 100 500 "$PROBES"; do
    [ "$want" -le "$PROBES" ] || continue
    while [ "$(probes)" -lt "$want" ]; do sleep 0.2; done
    printf '%6s probes: shim PSS %s (health %s)\n' "$(probes)" "$(pss "$shim")" \
        "$("${B[@]}" inspect -f '{{.State.Health.Status}}' hb)"
done
"${B[@]}" rm -f hb >/dev/null

# The issue's case, a probe every second: between probes the shim gives
# back what a probe touched, so its PSS over time (sampled every 100 ms)
# is mostly its idle size; the maximum is the moment of a probe.
log "healthcheck every 1s: shim PSS sampled every 100 ms for ${SAMPLE_SECONDS}s"
id=$("${B[@]}" run -d --network none --name hb1 --health-cmd true \
    --health-interval 1s --health-timeout 5s "$IMAGE" sleep 100000)
t0=$(date +%s%N)
shim=$(shim_of "$id")
: >"$WORK/pss1.txt"
sample_pss "$shim" "$SAMPLE_SECONDS" "$t0" "$WORK/pss1.txt"
printf 'shim PSS, %s\n' "$(pss_summary "$WORK/pss1.txt")"
echo "first 1.5 s, ms after run returned and kB: $(awk '$1 < 1500 {printf "%s:%s ", $1, $2}' "$WORK/pss1.txt")"
# How long a probe takes (its Start to End, the last 5 results).
"${B[@]}" inspect -f '{{range .State.Health.Log}}{{.Start}} {{.End}}{{"\n"}}{{end}}' hb1 |
    while read -r s e; do
        if [ -n "$s" ]; then echo "$(date -d "$e" +%s.%N) $(date -d "$s" +%s.%N)"; fi
    done | awk '{ printf "%.1f\n", ($1 - $2) * 1000 }' | sort -n >"$WORK/probe-ms.txt"
printf 'probe Start to End (last %s): median %s ms, max %s ms\n' "$(wc -l <"$WORK/probe-ms.txt")" \
    "$(median <"$WORK/probe-ms.txt")" "$(tail -1 "$WORK/probe-ms.txt")"
"${B[@]}" rm -f hb1 >/dev/null

podman_conf "$WORK"
if command -v podman >/dev/null && podman pull -q --tls-verify=false "$IMAGE" >/dev/null 2>&1 &&
    podman run -d --name berth-healthbench --network none --health-cmd 'echo -n . >>/probes' \
        --health-interval 1s --conmon-pidfile "$WORK/conmon.pid" "$IMAGE" sleep 100000 \
        >/dev/null 2>"$WORK/podman.err"; then
    t0=$(date +%s%N)
    have_podman=1
    conmon=$(cat "$WORK/conmon.pid")
    : >"$WORK/conmon.txt"
    sample_pss "$conmon" "$CONMON_SECONDS" "$t0" "$WORK/conmon.txt"
    printf 'podman conmon PSS %s\nconmon PSS sampled as the shim'"'"'s for %s s, %s\n' "$(pss "$conmon")" \
        "$CONMON_SECONDS" "$(pss_summary "$WORK/conmon.txt")"
    ran=$(podman exec berth-healthbench sh -c 'cat /probes 2>/dev/null | wc -c')
    printf 'probes run by podman in %s s: %s%s\n' "$CONMON_SECONDS" "$ran" \
        "$([ "$ran" = 0 ] && echo ' (no systemd here: podman schedules healthchecks with systemd timers)')"
    podman rm -f berth-healthbench >/dev/null
else
    log "podman not installed or not working: skipped ($(head -c 200 "$WORK/podman.err" 2>/dev/null))"
fi

log "crash loop: --restart always on false for ${LOOP_SECONDS}s"
hz=$(getconf CLK_TCK)
id=$("${B[@]}" run -d --network none --name loop --restart always "$IMAGE" false)
shim=$(shim_of "$id")
t0=$(cpu_ticks "$shim")
sleep "$LOOP_SECONDS"
t1=$(cpu_ticks "$shim")
# RestartCount counts a restart as it is decided (as moby does): while the
# container waits out its back-off, the count already names the run to come.
read -r status count < <("${B[@]}" inspect -f '{{.State.Status}} {{.RestartCount}}' loop)
if [ "$status" = restarting ]; then runs=$count; else runs=$((count + 1)); fi
printf 'shim PSS %s after the loop\n' "$(pss "$shim")"
"${B[@]}" rm -f loop >/dev/null
# Docker's back-off for a container that exits at once: runs at 0, then
# 0.1, 0.2, 0.4, ... s later (doubling, at most 60 s).
docker_runs=$(awk -v s="$LOOP_SECONDS" 'BEGIN { t = 0; d = 0.1; n = 1;
    while (t + d <= s) { t += d; n++; d = (d * 2 > 60) ? 60 : d * 2 } print n }')
awk -v r="$runs" -v dr="$docker_runs" -v c="$((t1 - t0))" -v hz="$hz" -v s="$LOOP_SECONDS" 'BEGIN {
    cpu = c / hz
    printf "runs in %ss: %d (Docker back-off allows %d)\n", s, r, dr
    printf "CPU of shim + runc + container: %.2f s (%.1f%% of one core, %.0f ms per run)\n",
        cpu, 100 * cpu / s, 1000 * cpu / r }'
