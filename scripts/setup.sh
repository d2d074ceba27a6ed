#!/usr/bin/env bash
# Set up berth on a fresh Debian 12 machine, as root:
#   installs runc, CNI plugins, iptables, busybox-static, docker-registry and
#   skopeo; a Rust toolchain if cargo is missing; builds berth in release mode
#   and installs it as /usr/local/bin/berth; then runs a demo that needs no
#   internet: a loopback registry, a busybox image built here, `berth pull`,
#   `berth images`. Safe to run again: present packages are skipped, the
#   build is incremental, the demo cleans up its registry.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$REPO/scripts/lib.sh"

install_dependencies() {
    ensure_packages "${RUNTIME_PACKAGES[@]}" "${BUILD_PACKAGES[@]}"
    ensure_rust
}

build_and_install() {
    log "building berth (release)"
    (cd "$REPO" && cargo build --release)
    install -m 0755 "$REPO/target/release/berth" /usr/local/bin/berth
    log "installed /usr/local/bin/berth ($(/usr/local/bin/berth version))"
}

# ---------------------------------------------------------------- demo: pull
# A loopback registry with a busybox image built from busybox-static, pulled
# and listed with berth. Uses the default data root (or $BERTH_DATA_ROOT), so
# the image stays available to later berth commands as $DEMO_IMAGE.
DEMO_IMAGE=""
demo_image_pull() {
    local work port
    work=$(mktemp -d /tmp/berth-demo.XXXXXX)
    port=$(free_port 5000)
    # shellcheck disable=SC2064
    trap "stop_registry; rm -rf '$work'" EXIT
    log "demo: docker-registry on 127.0.0.1:$port"
    start_registry "$work/registry" "$port"

    log "demo: building a busybox image layout offline"
    busybox_layer "$work/layer.tar"
    oci_image "$work/layout" latest "$work/layer.tar"
    DEMO_IMAGE="127.0.0.1:$port/demo/busybox:latest"
    skopeo_push "$work/layout" latest "$DEMO_IMAGE"

    log "demo: berth pull $DEMO_IMAGE"
    berth --insecure-registry "127.0.0.1:$port" pull "$DEMO_IMAGE"
    log "demo: berth images"
    berth images
    stop_registry
    rm -rf "$work"
    trap - EXIT
}
# Later demos (running a web server from $DEMO_IMAGE) go in their own
# functions below and are called from main after demo_image_pull.

main() {
    require_root
    install_dependencies
    build_and_install
    demo_image_pull
    log "done: try 'berth --help'"
}

# Run when executed; sourcing only defines the functions (for trying one step).
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    main "$@"
fi
