#!/usr/bin/env bash
# Installs what KernelRegression needs on a Debian/Ubuntu machine, idempotently.
#   eng/bootstrap.sh process   JupyterHub, proxy, notebook, ipykernel from Debian (the process tier)
#   eng/bootstrap.sh docker    a Docker engine new enough for Testcontainers (API >= 1.44), started
#   eng/bootstrap.sh browser   Debian's chromium, headless, for the HTML report's browser test
#   eng/bootstrap.sh all       all of them (default)
# Not root, or not apt: prints the exact command to run and exits non-zero.
set -euo pipefail
what="${1:-all}"
log() { printf '[bootstrap] %s\n' "$*" >&2; }
die() { printf '[bootstrap] ERROR: %s\n' "$*" >&2; exit 1; }

PROCESS_PKGS=(jupyterhub node-configurable-http-proxy python3-notebook python3-ipykernel python3-jupyter-client procps util-linux)
MIRROR=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
MIRROR=${MIRROR:-http://deb.debian.org/debian}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; return; fi
  die "needs root to run: sudo $*  (then run this command again)"
}
BROWSER_PKGS=(chromium)
have_apt() { command -v apt-get >/dev/null 2>&1 || die "no apt-get: install by hand: ${PROCESS_PKGS[*]} ${BROWSER_PKGS[*]} and a Docker engine with API >= 1.44"; }

apt_updated=""
apt_update() { [ -n "$apt_updated" ] || { as_root apt-get update -qq >/dev/null; apt_updated=1; }; }

# Installs the Debian packages of one part that are not there yet: install_missing WHAT PKG...
install_missing() {
  local what=$1; shift
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -eq 0 ]; then log "$what: all packages present"; return; fi
  have_apt
  log "$what: installing ${missing[*]}"
  apt_update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_process() { install_missing "process tier" "${PROCESS_PKGS[@]}"; }

# The report test and the browser check drive Debian's chromium (/usr/bin/chromium), headless.
install_browser() { install_missing "browser" "${BROWSER_PKGS[@]}"; }

docker_api_ok() {
  # Testcontainers 4.x speaks Docker API 1.44; older engines refuse it.
  local v; v=$(docker version --format '{{.Server.APIVersion}}' 2>/dev/null) || return 1
  [ "$(printf '%s\n1.44\n' "$v" | sort -V | head -1)" = "1.44" ]
}

install_docker() {
  if docker_api_ok; then log "docker: engine answers (API $(docker version --format '{{.Server.APIVersion}}'))"; return; fi
  if ! command -v dockerd >/dev/null 2>&1 || ! dockerd_new_enough; then
    have_apt
    apt_update
    # Bookworm's docker.io is API 1.41: take trixie's build from the mirror's pool.
    local name
    name=$(curl -fsSL "$MIRROR/dists/trixie/main/binary-amd64/Packages.xz" | xz -dc \
      | awk '/^Package: docker.io$/{p=1} p&&/^Filename:/&&!done{print $2; done=1}')
    [ -n "$name" ] || die "could not find docker.io in $MIRROR trixie: install a Docker engine >= 25 by hand"
    local tmp; tmp=$(mktemp -d); trap 'rm -rf "$tmp"' RETURN
    log "docker: installing $(basename "$name") from trixie"
    curl -fsSL -o "$tmp/$(basename "$name")" "$MIRROR/$name"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$tmp/$(basename "$name")" debootstrap >/dev/null
  fi
  command -v debootstrap >/dev/null 2>&1 || { apt_update; as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }
  if ! docker info >/dev/null 2>&1; then
    log "docker: starting dockerd"
    if command -v systemctl >/dev/null 2>&1 && systemctl is-system-running >/dev/null 2>&1; then
      as_root systemctl start docker
    else
      as_root bash -c 'nohup /usr/sbin/dockerd >/var/log/dockerd.log 2>&1 &'
    fi
    for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  fi
  docker_api_ok || die "docker engine not usable (see /var/log/dockerd.log); Testcontainers needs API >= 1.44"
  log "docker: engine answers (API $(docker version --format '{{.Server.APIVersion}}'))"
}

dockerd_new_enough() {
  local v; v=$(dockerd --version 2>/dev/null | sed -E 's/^Docker version ([0-9]+)\..*/\1/') || return 1
  [ "${v:-0}" -ge 25 ]
}

case "$what" in
  process) install_process ;;
  docker) install_docker ;;
  browser) install_browser ;;
  all) install_process; install_docker; install_browser ;;
  *) die "unknown argument '$what': use process, docker, browser or all" ;;
esac
