# shellcheck shell=bash
# Shared by scripts/setup.sh, scripts/test.sh and bench/pull.sh: package and
# toolchain installation that does nothing when everything is present, and a
# loopback docker-registry plus an offline busybox OCI image for demos.

# Oldest rustc that builds the dependency tree (clap 4, tokio, reqwest 0.12).
BERTH_MIN_RUST="1.80.0"

log() { printf '\n==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

require_root() {
    [ "$(id -u)" -eq 0 ] || die "run this as root (it installs packages and needs root for containers)"
}

# ensure_packages PKG... : apt-get update + install only the missing ones.
ensure_packages() {
    local missing=() p
    for p in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$p")
        fi
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        log "packages present: $*"
        return 0
    fi
    log "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y --no-install-recommends "${missing[@]}"
}

# Packages berth needs at run time, and to build images offline for demos.
# tini provides /usr/bin/tini-static for `run --init`.
RUNTIME_PACKAGES=(runc containernetworking-plugins iptables busybox-static docker-registry skopeo
    iproute2 ca-certificates curl tar gzip procps tini)
# Extra packages for building and for the test suite (htpasswd for registry
# auth; python3 drives pseudo-terminals in the e2e tests; podman checks
# that archives from `save` and `load` interoperate).
BUILD_PACKAGES=(build-essential pkg-config)
TEST_PACKAGES=(apache2-utils python3 podman time)

version_ge() { # version_ge A B : A >= B
    [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

# A Rust toolchain new enough for the crate, with rustfmt and clippy. An
# existing rustup toolchain is used as is; Debian's cargo (bookworm: 0.66 /
# rustc 1.63) is too old, so a missing one is installed with rustup.
ensure_rust() {
    if ! command -v cargo >/dev/null 2>&1 && [ -f "$HOME/.cargo/env" ]; then
        # shellcheck disable=SC1091
        . "$HOME/.cargo/env"
    fi
    if command -v cargo >/dev/null 2>&1; then
        local v
        v=$(rustc --version | awk '{print $2}')
        if version_ge "$v" "$BERTH_MIN_RUST"; then
            log "rust $v present"
        elif command -v rustup >/dev/null 2>&1; then
            log "rust $v is older than $BERTH_MIN_RUST: rustup update stable"
            rustup update stable
            rustup default stable
        else
            die "rustc $v is older than $BERTH_MIN_RUST and not managed by rustup; remove Debian's cargo/rustc or install rustup"
        fi
    else
        log "installing Rust with rustup (Debian's cargo is too old)"
        ensure_packages curl ca-certificates
        curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs |
            sh -s -- -y --profile minimal --default-toolchain stable -c rustfmt,clippy
        # shellcheck disable=SC1091
        . "$HOME/.cargo/env"
    fi
    if command -v rustup >/dev/null 2>&1; then
        if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
            rustup component add rustfmt clippy
        fi
    fi
}

# free_port : print a loopback TCP port nothing listens on (from 5000 up).
free_port() { # free_port [FIRST]: the first port from FIRST (5000) on that nothing listens on
    local p first=${1:-5000}
    for p in $(seq "$first" $((first + 999))); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    die "no free port in $first-$((first + 999))"
}

# start_registry DIR PORT : docker-registry on 127.0.0.1:PORT storing in DIR;
# sets REGISTRY_PID. The caller stops it with stop_registry.
start_registry() {
    local dir=$1 port=$2
    mkdir -p "$dir/storage"
    cat >"$dir/config.yml" <<YAML
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $dir/storage
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
health:
  storagedriver:
    enabled: false
YAML
    /usr/bin/docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 &
    REGISTRY_PID=$!
    local i
    for i in $(seq 1 100); do
        if curl -fsS -o /dev/null "http://127.0.0.1:$port/v2/"; then
            return 0
        fi
        kill -0 "$REGISTRY_PID" 2>/dev/null || break
        sleep 0.1
    done
    cat "$dir/registry.log" >&2
    die "docker-registry did not start on 127.0.0.1:$port"
}

stop_registry() {
    if [ -n "${REGISTRY_PID:-}" ]; then
        kill "$REGISTRY_PID" 2>/dev/null || true
        wait "$REGISTRY_PID" 2>/dev/null || true
        REGISTRY_PID=
    fi
}

# delete_bridge BRIDGE... : delete each bridge and the per-network iptables
# rules berth installed for it (tagged `berth-net <id>`, naming the bridge
# in -i/-o): berth keeps the default network's rules while its bridge lives.
delete_bridge() {
    local br bin table line
    for br in "$@"; do
        ip link delete "$br" 2>/dev/null || true
        for bin in iptables ip6tables; do
            command -v "$bin-save" >/dev/null || continue
            for table in nat filter; do
                "$bin-save" -t "$table" 2>/dev/null | grep -F 'berth-net ' |
                    grep -E -- "-[io] $br( |\$)" | sed 's/^-A /-D /' |
                    while read -r line; do
                        eval "$bin -w -t $table $line" 2>/dev/null || true
                    done || true # grep finding nothing fails the pipeline
            done
        done
    done
}

sha256_of() { sha256sum "$1" | awk '{print "sha256:" $1}'; }

# oci_blob LAYOUT FILE : move FILE into LAYOUT/blobs/sha256, print its digest.
oci_blob() {
    local layout=$1 file=$2 d
    d=$(sha256_of "$file")
    mkdir -p "$layout/blobs/sha256"
    mv "$file" "$layout/blobs/sha256/${d#sha256:}"
    echo "$d"
}

host_arch() {
    case "$(uname -m)" in
        x86_64) echo amd64 ;;
        aarch64) echo arm64 ;;
        *) uname -m ;;
    esac
}

# oci_image LAYOUT TAG LAYER.tar... : write an OCI image layout (gzip layers,
# Cmd ["sh"]) holding the given uncompressed layer tars, tagged TAG.
oci_image() {
    local layout=$1 tag=$2
    shift 2
    rm -rf "$layout"
    mkdir -p "$layout/blobs/sha256"
    local diff_ids="" layers="" t d size gz first=1 tmp
    tmp=$(mktemp -d)
    for t in "$@"; do
        d=$(sha256_of "$t")
        gz="$tmp/layer.tar.gz"
        gzip -n -1 -c "$t" >"$gz"
        size=$(stat -c %s "$gz")
        local digest
        digest=$(oci_blob "$layout" "$gz")
        if [ $first -eq 0 ]; then diff_ids+=","; layers+=","; fi
        first=0
        diff_ids+="\"$d\""
        layers+="{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"$digest\",\"size\":$size}"
    done
    printf '{"created":"2023-11-14T22:13:20Z","architecture":"%s","os":"linux","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":[%s]}}' \
        "$(host_arch)" "$diff_ids" >"$tmp/config.json"
    local csize cdigest
    csize=$(stat -c %s "$tmp/config.json")
    cdigest=$(oci_blob "$layout" "$tmp/config.json")
    printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%s},"layers":[%s]}' \
        "$cdigest" "$csize" "$layers" >"$tmp/manifest.json"
    local msize mdigest
    msize=$(stat -c %s "$tmp/manifest.json")
    mdigest=$(oci_blob "$layout" "$tmp/manifest.json")
    printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"%s"}}]}' \
        "$mdigest" "$msize" "$tag" >"$layout/index.json"
    echo '{"imageLayoutVersion":"1.0.0"}' >"$layout/oci-layout"
    rm -rf "$tmp"
}

# busybox_layer OUT.tar : a root filesystem of busybox-static and its applets.
busybox_layer() {
    local out=$1 root a
    root=$(mktemp -d)
    mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/root" "$root/var/www"
    cp /bin/busybox "$root/bin/busybox"
    for a in sh ls cat echo env sleep id hostname ps mkdir rm cp mv touch grep wget httpd nc ip \
        ping printf uname date true false kill; do
        ln -s busybox "$root/bin/$a"
    done
    printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
    printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
    echo "hello from berth" >"$root/var/www/index.html"
    chmod 1777 "$root/tmp"
    tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@1700000000 \
        -C "$root" -cf "$out" .
    rm -rf "$root"
}

# median : the median of the numbers on stdin, one per line.
# podman_conf WORK: podman 4.3 on this kind of host starts no container
# until its ulimits fit under the host's hard limits (nproc at the hard
# limit is still refused: 32768, as ../shared/PEERS.md) and it is told there
# is no systemd; write that into WORK/containers.conf, a config of the
# bench's own rather than /etc/containers, and point podman at it.
podman_conf() {
    local nproc
    nproc=$(ulimit -Hu); [ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ] && nproc=32768
    printf '[containers]\ndefault_ulimits = ["nofile=%s:%s", "nproc=%s:%s"]\n[engine]\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n' \
        "$(ulimit -Hn)" "$(ulimit -Hn)" "$nproc" "$nproc" >"$1/containers.conf"
    export CONTAINERS_CONF="$1/containers.conf"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# bench_image WORK FIRST_PORT : the benches' busybox image, built offline and
# pushed to a docker-registry on the first free loopback port from
# FIRST_PORT; sets IMAGE to its reference. The registry keeps running (the
# caller stops it with stop_registry).
bench_image() {
    local work=$1 port
    log "building and pushing a busybox image"
    busybox_layer "$work/bb.tar"
    oci_image "$work/layout" bb "$work/bb.tar"
    port=$(free_port "$2")
    start_registry "$work/registry" "$port"
    IMAGE="127.0.0.1:$port/bench/busybox:latest"
    skopeo_push "$work/layout" bb "$IMAGE"
}

# skopeo_push LAYOUT TAG DEST : push an OCI layout to a plain-HTTP registry.
skopeo_push() {
    skopeo --insecure-policy copy --quiet --dest-tls-verify=false "oci:$1:$2" "docker://$3"
}
