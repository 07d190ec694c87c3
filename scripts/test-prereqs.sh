#!/usr/bin/env bash
# Installs what the test suite needs beyond npm packages, once per machine:
#  - Debian's docker-registry (the real OCI registry the admission tests push to), apache2-utils
#    (htpasswd for the basic-auth registry), openssl (test certificates), chromium (the HTML
#    compliance report is rendered headless and screenshotted);
#  - cosign and crane, built from their Go modules into a cache outside the repository
#    (default ~/.cache/aiguard/bin, override with AIGUARD_TOOLS_DIR).
# Idempotent: a second run finds everything and returns in well under a second.
set -euo pipefail

TOOLS_DIR="${AIGUARD_TOOLS_DIR:-$HOME/.cache/aiguard/bin}"
COSIGN_VERSION="v3.1.2"
CRANE_VERSION="v0.21.9"
mkdir -p "$TOOLS_DIR"

need_apt=()
command -v docker-registry >/dev/null 2>&1 || need_apt+=(docker-registry)
command -v htpasswd >/dev/null 2>&1 || need_apt+=(apache2-utils)
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium fonts-dejavu-core)
if [ "${#need_apt[@]}" -gt 0 ]; then
  if [ "$(id -u)" != "0" ]; then
    echo "test-prereqs: missing ${need_apt[*]}; install them with: sudo apt-get install -y ${need_apt[*]}" >&2
    exit 1
  fi
  echo "test-prereqs: installing ${need_apt[*]} with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if ! command -v kubectl >/dev/null 2>&1; then
  echo "test-prereqs: kubectl is needed by the real-API-server tests; install a kubectl >= 1.30 client (e.g. the distribution's kubectl package) and rerun" >&2
  exit 1
fi

go_tool() { # name module version
  local name="$1" module="$2" version="$3" stamp="$TOOLS_DIR/.$1.version"
  if [ -x "$TOOLS_DIR/$name" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$version" ]; then return 0; fi
  if ! command -v go >/dev/null 2>&1; then
    echo "test-prereqs: Go is needed to build $name ($module@$version); install Go >= 1.26" >&2
    exit 1
  fi
  echo "test-prereqs: building $name $version from $module (first run only, a few minutes)" >&2
  GOBIN="$TOOLS_DIR" CGO_ENABLED=0 GOFLAGS=-trimpath go install "$module@$version"
  echo "$version" > "$stamp"
}
go_tool cosign github.com/sigstore/cosign/v3/cmd/cosign "$COSIGN_VERSION"
go_tool crane github.com/google/go-containerregistry/cmd/crane "$CRANE_VERSION"
