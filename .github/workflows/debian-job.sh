#!/usr/bin/env bash
# Runs a command, as root, on Debian 12 with a Docker engine of its own: the machine the suite is built
# and measured on (FACTS: Debian bookworm, root, dockerd started by eng/bootstrap.sh). GitHub's runners
# are Ubuntu, where some of eng/bootstrap.sh's Debian package names (jupyterhub, chromium) do not exist,
# so ci.yml and matrix.yml run their command in a privileged debian:bookworm container:
#
#   .github/workflows/debian-job.sh eng/test
#   .github/workflows/debian-job.sh eng/kr run --tier docker --cells 'docker/hub-sid/*'
#
# /var/lib/docker of the inner engine is a directory of the runner (overlay2 needs a real file system
# under it). kr/* images: loaded from .kr-image-cache/images.tar before the command when the workflow
# restored one, and (KR_SAVE_IMAGES=1) saved there after it with their tags in .kr-image-cache/tags.txt,
# which the workflow hashes into the cache key. GITHUB_WORKSPACE is the checkout's path in here, so a failed test's
# annotation names its file as the repository does.
set -euo pipefail

if [ "${KR_IN_DEBIAN:-}" != 1 ]; then
  repo=$(cd "$(dirname "$0")/../.." && pwd)
  docker_dir="${RUNNER_TEMP:-/tmp}/kr-docker"
  mkdir -p "$docker_dir"
  exec docker run --rm --privileged --cgroupns=host \
    -e KR_IN_DEBIAN=1 -e KR_SAVE_IMAGES -e KR_CELLS -e KR_REQUIRE_TIER -e KR_TIMEOUT_SCALE -e KR_PARALLEL -e CI -e GITHUB_ACTIONS \
    -e GITHUB_WORKSPACE=/src \
    -v "$repo:/src" -v "$docker_dir:/var/lib/docker" -w /src \
    debian:bookworm /src/.github/workflows/debian-job.sh "$@"
fi

log() { printf '[debian-job] %s\n' "$*" >&2; }
export DEBIAN_FRONTEND=noninteractive DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_ROOT=/usr/share/dotnet
log "tools: curl, git, the .NET SDK of global.json"
apt-get update -qq
apt-get install -y -qq --no-install-recommends ca-certificates curl git libicu72 python3 procps xz-utils >/dev/null
curl -fsSL https://dot.net/v1/dotnet-install.sh -o /tmp/dotnet-install.sh
bash /tmp/dotnet-install.sh --jsonfile /src/global.json --install-dir "$DOTNET_ROOT" >/dev/null
ln -sf "$DOTNET_ROOT/dotnet" /usr/local/bin/dotnet
git config --global --add safe.directory /src

log "docker: the engine eng/bootstrap.sh installs and starts"
eng/bootstrap.sh docker

cache=/src/.kr-image-cache
if [ -f "$cache/images.tar" ]; then
  log "kr/* images: loading $(wc -l < "$cache/tags.txt") from the cache"
  docker load -q -i "$cache/images.tar" >/dev/null
fi
on_exit() {
  # Never changes the command's exit status: every failure here is only logged.
  chmod -R a+rX /src/artifacts 2>/dev/null || true
  [ "${KR_SAVE_IMAGES:-}" = 1 ] || return 0
  mkdir -p "$cache" || return 0
  docker images --filter 'reference=kr/*' --format '{{.Repository}}:{{.Tag}}' | grep -v '<none>' | sort > "$cache/tags.txt" || true
  if [ -s "$cache/tags.txt" ]; then
    # shellcheck disable=SC2046 # one argument per tag
    docker save -o "$cache/images.tar" $(cat "$cache/tags.txt") || log "docker save failed: the next run builds the images"
  fi
  chmod -R a+rX "$cache" 2>/dev/null || true
}
trap on_exit EXIT

log "running: $*"
"$@"
