#!/usr/bin/env bash
# Set up berth on a fresh Debian 12 machine, as root:
#   installs runc, CNI plugins, iptables, busybox-static, docker-registry and
#   skopeo; a Rust toolchain if cargo is missing; builds berth in release mode
#   and installs it as /usr/local/bin/berth; then runs a demo that needs no
#   internet: a loopback registry, a busybox image built here, `berth pull`,
#   `berth images`, `berth build` of a web image on top of it, and
#   `berth run -d -p 8080:80` of that image answered by curl, and
#   `berth compose up -d --wait` of compose-examples/web-proxy, curled too. Safe to run again: present packages are skipped, the
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

# --------------------------------------------------------------- demo: build
# Build a web image on top of $DEMO_IMAGE with `berth build` (a Dockerfile in
# a fresh context directory; its RUN step runs in a container), then run it.
DEMO_WEB=berth-demo/web:latest
demo_build() {
    local ctx
    ctx=$(mktemp -d /tmp/berth-demo-build.XXXXXX)
    cat >"$ctx/Dockerfile" <<EOF
FROM $DEMO_IMAGE
RUN mkdir -p /var/www && echo "hello from a berth build" > /var/www/index.html
EXPOSE 80
CMD ["httpd", "-f", "-p", "80", "-h", "/var/www"]
EOF
    log "demo: berth build -t $DEMO_WEB"
    berth build -t "$DEMO_WEB" "$ctx"
    rm -rf "$ctx"
}

# ----------------------------------------------------------------- demo: run
# Run containers: a one-shot command from $DEMO_IMAGE, then the built web
# image as a detached server on the default bridge network, published with
# `-p PORT:80` (8080 when free) and answered by curl on 127.0.0.1.
demo_run() {
    local port name=berth-demo-web body
    log "demo: berth run --rm $DEMO_IMAGE echo ..."
    berth run --rm "$DEMO_IMAGE" echo "hello from a berth container"
    port=$(free_port 8080)
    berth rm -f "$name" >/dev/null 2>&1 || true
    log "demo: berth run -d --name $name -p $port:80 $DEMO_WEB"
    berth run -d --name "$name" -p "$port:80" "$DEMO_WEB"
    berth ps
    berth port "$name"
    body=""
    for _ in $(seq 1 50); do
        body=$(curl -fsS "http://127.0.0.1:$port/" 2>/dev/null) && break
        sleep 0.1
    done
    log "demo: curl http://127.0.0.1:$port/ -> ${body:-<no answer>}"
    berth rm -f "$name" >/dev/null
    [ "$body" = "hello from a berth build" ] || die "the demo web server did not answer"
}

# ------------------------------------------------------------- demo: compose
# Bring up compose-examples/web-proxy (a proxy in front of an app, both on
# the busybox image, tagged berth-demo/busybox for the examples) with
# `compose up -d --wait`, curl the app through the proxy, and take it down.
demo_compose() {
    local port body
    berth tag "$DEMO_IMAGE" berth-demo/busybox:latest
    port=$(free_port 8080)
    log "demo: berth compose up -d --wait (compose-examples/web-proxy, port $port)"
    (cd "$REPO/compose-examples/web-proxy" && WEB_PORT=$port berth compose up -d --wait)
    body=$(curl -fsS "http://127.0.0.1:$port/cgi-bin/api" 2>/dev/null || true)
    log "demo: curl http://127.0.0.1:$port/cgi-bin/api -> ${body:-<no answer>}"
    (cd "$REPO/compose-examples/web-proxy" && berth compose down)
    [ "$body" = "hello from the app behind the proxy" ] || die "the compose demo did not answer"
}

main() {
    require_root
    install_dependencies
    build_and_install
    demo_image_pull
    demo_build
    demo_run
    demo_compose
    log "done: try 'berth --help'"
}

# Run when executed; sourcing only defines the functions (for trying one step).
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    main "$@"
fi
