#!/usr/bin/env bash
# Builds the real engines aiguard's test bed runs against, from Go modules, into a cache outside
# the repository (default ~/.cache/aiguard/bin, override with AIGUARD_TOOLS_DIR):
#   kube-apiserver, kube-controller-manager  k8s.io/kubernetes $KUBE_VERSION   (engines/kube)
#   pulumi                                   github.com/pulumi/pulumi/pkg/v3 $PULUMI_VERSION (engines/pulumi)
#   pulumi-analyzer-policy-nodejs            engines/pulumi/ (starts Node policy packs; see there)
#   etcd                                     Debian's etcd-server (apt-get, as root)
# Each tool has a stamp file (.<tool>.version) holding its version and a hash of its build module;
# a tool whose stamp matches is skipped, so a second run returns in about a second.
# Build times and versions are appended to $TOOLS_DIR/engines.log.
#
# Env: AIGUARD_TOOLS_DIR, KUBE_VERSION (v1.36.3), PULUMI_VERSION (v3.259.0),
#      AIGUARD_BUILD_NICE (15; the niceness of go builds).
# Usage: bash scripts/build-engines.sh [kube|pulumi|etcd ...]   (no argument: all)
set -euo pipefail

TOOLS_DIR="${AIGUARD_TOOLS_DIR:-$HOME/.cache/aiguard/bin}"
KUBE_VERSION="${KUBE_VERSION:-v1.36.3}"
PULUMI_VERSION="${PULUMI_VERSION:-v3.259.0}"
NICE="${AIGUARD_BUILD_NICE:-15}"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ENGINES="$REPO/engines"

export CGO_ENABLED=0
export GOFLAGS="-trimpath -buildvcs=false"

log() { echo "build-engines: $*" >&2; }
die() { log "$*"; exit 1; }

mkdir -p "$TOOLS_DIR"
exec 9>"$TOOLS_DIR/.build-engines.lock"
if ! flock -n 9; then
  log "another build-engines run holds $TOOLS_DIR/.build-engines.lock; waiting for it"
  flock 9
fi

need_go() {
  command -v go >/dev/null 2>&1 || die "Go >= 1.26 is needed to build $1; install it (https://go.dev/dl) and rerun"
  local v
  v="$(go env GOVERSION)"
  case "$v" in
    go1.2[6-9]* | go1.[3-9][0-9]* | go[2-9]*) ;;
    *) die "Go >= 1.26 is needed to build $1, found $v" ;;
  esac
}

# stamp_of <version> <build-module dir>: what a tool's stamp file must hold to count as built.
stamp_of() {
  printf '%s go.sum:%s\n' "$1" "$(cat "$2/go.mod" "$2/go.sum" | sha256sum | cut -c1-16)"
}
is_built() { # tool stamp
  [ -x "$TOOLS_DIR/$1" ] && [ "$(cat "$TOOLS_DIR/.$1.version" 2>/dev/null)" = "$2" ]
}
record() { # tool stamp seconds
  printf '%s\n' "$2" > "$TOOLS_DIR/.$1.version"
  printf '%s %s %s built in %ss\n' "$(date -u +%FT%TZ)" "$1" "$2" "$3" >> "$TOOLS_DIR/engines.log"
  log "$1 $2: built in $3 s"
}
# go_build <tool> <module dir> <package> <ldflags>: builds into the tools dir atomically.
go_build() {
  local tool="$1" dir="$2" pkg="$3" ldflags="$4" start
  start="$(date +%s)"
  log "building $tool from $pkg (first build takes minutes; the Go build cache makes later ones fast)"
  (cd "$dir" && nice -n "$NICE" go build -ldflags "$ldflags" -o "$TOOLS_DIR/$tool.tmp" "$pkg")
  mv -f "$TOOLS_DIR/$tool.tmp" "$TOOLS_DIR/$tool"
  BUILD_SECONDS=$(( $(date +%s) - start ))
}

build_kube() {
  local dir="$ENGINES/kube" minor stamp ld p tool
  need_go "kube-apiserver"
  if ! grep -q "k8s.io/kubernetes $KUBE_VERSION\b" "$dir/go.mod"; then
    log "engines/kube/go.mod is not at $KUBE_VERSION; regenerating it"
    bash "$dir/sync-gomod.sh" "$KUBE_VERSION"
  fi
  stamp="$(stamp_of "$KUBE_VERSION" "$dir")"
  minor="${KUBE_VERSION#v1.}"; minor="${minor%%.*}"
  ld="-s -w"
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld="$ld -X $p.gitVersion=$KUBE_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
  done
  for tool in kube-apiserver kube-controller-manager; do
    if is_built "$tool" "$stamp"; then log "$tool $KUBE_VERSION: up to date"; continue; fi
    go_build "$tool" "$dir" "k8s.io/kubernetes/cmd/$tool" "$ld"
    record "$tool" "$stamp" "$BUILD_SECONDS"
  done
}

build_pulumi() {
  local dir="$ENGINES/pulumi" stamp shim="pulumi-analyzer-policy-nodejs"
  need_go "pulumi"
  if ! grep -q "github.com/pulumi/pulumi/pkg/v3 $PULUMI_VERSION\b" "$dir/go.mod"; then
    log "engines/pulumi/go.mod is not at $PULUMI_VERSION; updating it"
    (cd "$dir" && go mod edit -require="github.com/pulumi/pulumi/pkg/v3@$PULUMI_VERSION" \
      -require="github.com/pulumi/pulumi/sdk/v3@$PULUMI_VERSION" && go mod tidy)
  fi
  stamp="$(stamp_of "$PULUMI_VERSION" "$dir")"
  if is_built pulumi "$stamp"; then
    log "pulumi $PULUMI_VERSION: up to date"
  else
    go_build pulumi "$dir" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi \
      "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION"
    record pulumi "$stamp" "$BUILD_SECONDS"
  fi
  # The policy-pack starter is a script: copy it whenever it differs.
  if ! cmp -s "$dir/$shim" "$TOOLS_DIR/$shim"; then
    install -m 0755 "$dir/$shim" "$TOOLS_DIR/$shim"
    log "$shim: installed"
  fi
}

build_etcd() {
  local etcd_bin version
  # Resolved, so a tools dir on PATH never makes the link point at itself.
  etcd_bin="$(command -v etcd || true)"
  [ -z "$etcd_bin" ] || etcd_bin="$(readlink -f "$etcd_bin")"
  if [ -z "$etcd_bin" ]; then
    if [ "$(id -u)" != "0" ]; then
      die "etcd is missing; install it with: sudo apt-get install -y etcd-server"
    fi
    log "installing Debian's etcd-server with apt-get"
    local start; start="$(date +%s)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq etcd-server >/dev/null 2>&1 || {
      apt-get update -qq >/dev/null
      apt-get install -y -qq etcd-server >/dev/null
    }
    etcd_bin="$(readlink -f "$(command -v etcd)")" || die "apt-get installed etcd-server but no etcd is on PATH"
    BUILD_SECONDS=$(( $(date +%s) - start ))
  else
    BUILD_SECONDS=0
  fi
  version="$("$etcd_bin" --version | sed -n 's/^etcd Version: //p')"
  [ -n "$version" ] || die "$etcd_bin --version printed no 'etcd Version:' line"
  if [ "$(readlink "$TOOLS_DIR/etcd" 2>/dev/null)" != "$etcd_bin" ]; then
    ln -sfn "$etcd_bin" "$TOOLS_DIR/etcd"
  fi
  if [ "$(cat "$TOOLS_DIR/.etcd.version" 2>/dev/null)" != "$version" ]; then
    record etcd "$version" "$BUILD_SECONDS"
    log "etcd $version: linked $TOOLS_DIR/etcd -> $etcd_bin (Debian etcd-server)"
  else
    log "etcd $version: up to date ($etcd_bin)"
  fi
}

targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=(etcd kube pulumi)
for t in "${targets[@]}"; do
  case "$t" in
    kube) build_kube ;;
    pulumi) build_pulumi ;;
    etcd) build_etcd ;;
    *) die "unknown target '$t'; use kube, pulumi or etcd" ;;
  esac
done
log "tools in $TOOLS_DIR"
