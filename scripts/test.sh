#!/usr/bin/env bash
# The full check, the same locally and in CI (.ci/run): install test
# dependencies, then `cargo fmt --check`, `cargo clippy --all-targets -D
# warnings` and `cargo test` (unit tests and the e2e suite). Every step runs;
# the script exits non-zero if any failed. Run as root: the e2e tests unpack
# layers and start containers, and with CI=true a test that lacks root or a
# tool fails instead of skipping.
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$REPO/scripts/lib.sh"
cd "$REPO"

if [ "$(id -u)" -eq 0 ]; then
    ensure_packages "${RUNTIME_PACKAGES[@]}" "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}" || die "installing packages failed"
else
    log "not root: skipping package installation (root-only e2e tests will skip, or fail with CI=true)"
fi
ensure_rust

# e2e tests mostly wait on registries and child processes: two per core.
THREADS=${BERTH_TEST_THREADS:-$(($(nproc) * 2))}

failed=()
step() {
    local name=$1
    shift
    log "$name: $*"
    if ! "$@"; then
        failed+=("$name")
    fi
}

step fmt cargo fmt --all -- --check
step clippy cargo clippy --all-targets -- -D warnings
step test cargo test -- --test-threads="$THREADS"

if [ "${#failed[@]}" -ne 0 ]; then
    log "FAILED: ${failed[*]}"
    exit 1
fi
log "all checks passed"
