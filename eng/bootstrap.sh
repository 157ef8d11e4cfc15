#!/usr/bin/env bash
# Installs what KernelRegression needs on a Debian machine (12 bookworm or 13 trixie), idempotently, and only
# through apt: every package comes from a Debian suite whose Release file apt verifies against Debian's archive
# keys (debian-archive-keyring), never from a bare download.
#   eng/bootstrap.sh process   JupyterHub, proxy, notebook, ipykernel from Debian (the process tier)
#   eng/bootstrap.sh docker    a Docker engine new enough for Testcontainers (API >= 1.44), started; debootstrap
#   eng/bootstrap.sh browser   Debian's chromium, headless, for the browser check and the report screenshot
#   eng/bootstrap.sh all       all of them (default)
#   eng/bootstrap.sh PART...   several of them (e.g. process browser); `none` installs nothing
# Not root, or not apt: prints the exact command to run and exits non-zero.
set -euo pipefail
log() { printf '[bootstrap] %s\n' "$*" >&2; }
die() { printf '[bootstrap] ERROR: %s\n' "$*" >&2; exit 1; }

PROCESS_PKGS=(jupyterhub node-configurable-http-proxy python3-notebook python3-ipykernel python3-jupyter-client procps util-linux)
BROWSER_PKGS=(chromium)
MIRROR=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
MIRROR=${MIRROR:-http://deb.debian.org/debian}
# Trixie as an apt source of its own on bookworm, for docker.io alone (see install_docker_package).
TRIXIE_SOURCE=/etc/apt/sources.list.d/kr-trixie.sources
TRIXIE_PIN=/etc/apt/preferences.d/kr-trixie
PARTS=()

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; return; fi
  die "needs root to install packages: run sudo $0 ${PARTS[*]}  (then run this command again)"
}
have_apt() { command -v apt-get >/dev/null 2>&1 || die "no apt-get: install by hand: ${PROCESS_PKGS[*]} ${BROWSER_PKGS[*]} and a Docker engine with API >= 1.44"; }

apt_updated=""
apt_update() {
  [ -z "$apt_updated" ] || return 0
  as_root apt-get update -qq >/dev/null || die "apt-get update failed (above): a source apt cannot verify against Debian's keys is refused"
  apt_updated=1
}
apt_install() { as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null; }

# Installs the Debian packages of one part that are not there yet: install_missing WHAT PKG...
install_missing() {
  local what=$1; shift
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -eq 0 ]; then log "$what: all packages present"; return; fi
  have_apt
  log "$what: installing ${missing[*]}"
  apt_update
  apt_install "${missing[@]}"
}

install_process() { install_missing "process tier" "${PROCESS_PKGS[@]}"; }

# The report screenshot and the browser check drive Debian's chromium (/usr/bin/chromium), headless.
install_browser() { install_missing "browser" "${BROWSER_PKGS[@]}"; }

docker_api_ok() {
  # Testcontainers 4.x speaks Docker API 1.44; older engines refuse it.
  local v; v=$(docker version --format '{{.Server.APIVersion}}' 2>/dev/null) || return 1
  [ "$(printf '%s\n1.44\n' "$v" | sort -V | head -1)" = "1.44" ]
}

dockerd_new_enough() {
  local v; v=$(dockerd --version 2>/dev/null | sed -E 's/^Docker version ([0-9]+)\..*/\1/') || return 1
  [ "${v:-0}" -ge 25 ]
}

# The docker.io apt would install, if its major version is at least 25 (API 1.44 and later).
docker_candidate_new_enough() {
  local v; v=$(apt-cache policy docker.io 2>/dev/null | awk '/Candidate:/{print $2}')
  [ -n "$v" ] && [ "$v" != "(none)" ] && [ "$(printf '%s\n' "$v" | sed -E 's/^([0-9]+:)?([0-9]+).*/\2/')" -ge 25 ]
}

# Trixie as an apt source, pinned so that docker.io alone comes from it: every other trixie package has priority 1
# (never chosen over bookworm's, never an upgrade), docker.io 500 (the newer version wins). Its dependencies come
# from bookworm; one bookworm could not satisfy makes apt refuse, rather than pull in trixie's. apt verifies
# trixie's Release like bookworm's: bookworm's debian-archive-keyring (2023.3+deb12u2) holds the trixie keys.
add_trixie_source() {
  [ -f "$TRIXIE_SOURCE" ] && [ -f "$TRIXIE_PIN" ] && return
  log "docker: adding trixie as an apt source for docker.io only ($TRIXIE_SOURCE, pinned in $TRIXIE_PIN)"
  printf 'Types: deb\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$MIRROR" \
    | as_root tee "$TRIXIE_SOURCE" >/dev/null
  printf 'Package: *\nPin: release n=trixie\nPin-Priority: 1\n\nPackage: docker.io\nPin: release n=trixie\nPin-Priority: 500\n' \
    | as_root tee "$TRIXIE_PIN" >/dev/null
  apt_updated="" # the new source's lists are fetched (and verified) by the next update
}

# docker.io (and debootstrap, for the images' base) through apt: the machine's own when new enough (trixie's 26.1),
# else on bookworm (20.10, API 1.41) trixie's.
install_docker_package() {
  have_apt
  apt_update
  if ! docker_candidate_new_enough; then
    local codename; codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
    [ "$codename" = bookworm ] || die "apt offers no docker.io >= 25 on ${codename:-this system}: install a Docker engine with API >= 1.44 by hand"
    add_trixie_source
    apt_update
    docker_candidate_new_enough || die "trixie's docker.io is not offered by $MIRROR (apt-cache policy docker.io): install a Docker engine with API >= 1.44 by hand"
  fi
  log "docker: installing docker.io $(apt-cache policy docker.io | awk '/Candidate:/{print $2}') and debootstrap"
  apt_install docker.io debootstrap
}

install_docker() {
  if docker_api_ok; then log "docker: engine answers (API $(docker version --format '{{.Server.APIVersion}}'))"; return; fi
  if ! command -v dockerd >/dev/null 2>&1 || ! dockerd_new_enough || ! command -v debootstrap >/dev/null 2>&1; then
    install_docker_package
  fi
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

bootstrap() {
  PARTS=("${@:-all}")
  for part in "${PARTS[@]}"; do
    case "$part" in
      process) install_process ;;
      docker) install_docker ;;
      browser) install_browser ;;
      all) install_process; install_docker; install_browser ;;
      none) ;;
      *) die "unknown argument '$part': use process, docker, browser, all or none" ;;
    esac
  done
}

# Sourced (a test installs docker.io in a throwaway container with install_docker_package), it only defines.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  bootstrap "$@"
fi
