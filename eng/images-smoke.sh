#!/usr/bin/env bash
# Smoke test of the KernelRegression images with the plain docker CLI (no harness).
#   eng/images-smoke.sh [SUITE...]          default: bullseye bookworm trixie sid
# Env: REBUILD_BASES=1 re-debootstraps kr/debian:SUITE even if it exists;
#      HUB_SUITES="bookworm" suites whose hub image is built and tested (b);
#      PATCH_SUITES="bookworm" suites where the pre-pr233 kernel patch is verified.
# For each suite it
#      HUB_SPAWN_SUITES: suites whose default single-user image the first hub also spawns (c).
#   builds kr/debian:SUITE (debootstrap --variant=minbase + docker import, like the harness),
#   builds kr/singleuser:SUITE-default (and -pre-pr233 for PATCH_SUITES),
#   (a) starts a standalone server from the image, starts a kernel over REST, runs 1+1 over the
#       kernel WebSocket and checks the kernel stays alive for 5 s;
#   pre-pr233: server as PID 1 -> every kernel dies (restarter gives up); server under tini or
#       docker --init -> healthy; unpatched image with the server as PID 1 -> healthy;
#   (b) builds kr/hub:SUITE, runs it with KR_SPAWNER=container on a user network, spawns a user's
#       single-user container through the REST API and checks /user/NAME/api/status and a kernel
#       through the proxy; for PATCH_SUITES also the incident launch (profile `command` makes the
#       server PID 1) -> kernels die, and the default launch of the same image -> healthy.
# Removes every container and network it creates (label org.kernelregression.run=$RUN); keeps images.
set -euo pipefail
cd "$(dirname "$0")/.."

SUITES=${*:-bullseye bookworm trixie sid}
HUB_SUITES=${HUB_SUITES:-bookworm}
PATCH_SUITES=${PATCH_SUITES:-bookworm}
MIRROR=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
MIRROR=${MIRROR:-http://deb.debian.org/debian}
RUN=smoke$$
NET=kr-$RUN
TOKEN=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
TMP=$(mktemp -d)
RESULTS=()
FAILED=0

log() { printf '[smoke %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
result() { RESULTS+=("$1"); log "RESULT $1"; case "$1" in *FAIL*) FAILED=1;; esac; }
cleanup() {
  local ids; ids=$(docker ps -aq --filter "label=org.kernelregression.run=$RUN" || true)
  [ -z "$ids" ] || docker rm -f $ids >/dev/null 2>&1 || true
  docker network rm "$NET" >/dev/null 2>&1 || true
  rm -rf "$TMP"
}
trap cleanup EXIT

# The legacy builder is used when buildx is missing (this machine's docker.io has no buildx).
if docker buildx version >/dev/null 2>&1; then BUILD=(docker build); else BUILD=(env DOCKER_BUILDKIT=0 docker build); fi
build() {  # build TAG LOG ARGS... ; prints seconds
  local tag=$1 logf=$2; shift 2
  local t0=$SECONDS
  if ! "${BUILD[@]}" -t "$tag" "$@" >"$logf" 2>&1; then
    log "build of $tag failed:"; tail -15 "$logf" >&2; return 1
  fi
  log "built $tag in $((SECONDS - t0)) s"
}

base() {
  local s=$1
  if [ -z "${REBUILD_BASES:-}" ] && docker image inspect "kr/debian:$s" >/dev/null 2>&1; then return; fi
  local d="$TMP/rootfs-$s" t0=$SECONDS
  debootstrap --variant=minbase "$s" "$d" "$MIRROR" >"$TMP/debootstrap-$s.log" 2>&1 \
    || { tail -5 "$TMP/debootstrap-$s.log" >&2; return 1; }
  local t1=$SECONDS
  tar -C "$d" -c . | docker import - "kr/debian:$s" >/dev/null
  rm -rf "$d"
  log "kr/debian:$s: debootstrap $((t1 - t0)) s, import $((SECONDS - t1)) s"
}

# The kernel check runs in a throw-away container of the image itself (tornado is there), on the
# test network: no Python packages needed on this machine.
cat >"$TMP/kcheck.py" <<'PY'
import asyncio, json, sys, time, uuid
from tornado.httpclient import AsyncHTTPClient, HTTPRequest, HTTPClientError
from tornado.websocket import websocket_connect

base, token, expect = sys.argv[1], sys.argv[2], sys.argv[3]
H = {"Authorization": "token " + token}
http = AsyncHTTPClient()

async def req(method, path, body=None):
    r = await http.fetch(HTTPRequest(base + path, method=method, headers=H,
                                     body=None if body is None else json.dumps(body), request_timeout=20))
    return json.loads(r.body) if r.body else None

async def kernel_state(kid):
    try:
        return (await req("GET", "/api/kernels/" + kid)).get("execution_state")
    except HTTPClientError as e:
        if e.code == 404:
            return "gone"
        raise

async def main():
    t_end = time.time() + 90
    while True:  # the server may still be starting
        try:
            st = await req("GET", "/api/status"); break
        except Exception as e:
            if time.time() > t_end: raise
            await asyncio.sleep(0.5)
    print("status", json.dumps(st))
    k = await req("POST", "/api/kernels", {"name": "python3"})
    kid, t0 = k["id"], time.time()
    if expect == "dies":
        seen = []
        while time.time() - t0 < 60:
            s = await kernel_state(kid)
            if not seen or seen[-1][1] != s: seen.append((round(time.time() - t0, 1), s))
            if s in ("dead", "gone"):
                print("OK kernel died as expected:", seen); return 0
            await asyncio.sleep(0.2)
        print("FAIL kernel did not die:", seen); return 1
    ws = await websocket_connect(HTTPRequest(base.replace("http", "ws", 1) + "/api/kernels/%s/channels" % kid, headers=H))
    def msg(t, content):
        return json.dumps({"header": {"msg_id": uuid.uuid4().hex, "msg_type": t, "username": "kr", "session": "s",
                                      "version": "5.3", "date": ""}, "parent_header": {}, "metadata": {},
                           "content": content, "channel": "shell", "buffers": []})
    await ws.write_message(msg("kernel_info_request", {}))
    await ws.write_message(msg("execute_request", {"code": "1+1", "silent": False, "store_history": False,
                                                   "user_expressions": {}, "allow_stdin": False}))
    result = None
    while result is None and time.time() - t0 < 60:
        m = await asyncio.wait_for(ws.read_message(), 60)
        if m is None: break
        if isinstance(m, bytes): continue
        m = json.loads(m)
        if m["header"]["msg_type"] == "execute_result":
            result = m["content"]["data"]["text/plain"]
    print("1+1 ->", result, "after %.2f s" % (time.time() - t0))
    if result != "2": print("FAIL no execute_result"); return 1
    # Alive for 5 s: REST state never dead/restarting/gone (notebook 6 may keep reporting
    # "starting"), no restarting/dead status on the WebSocket, and it still answers afterwards.
    t1, states = time.time(), set()
    while time.time() - t1 < 5:
        s = await kernel_state(kid); states.add(s)
        if s not in ("idle", "busy", "starting"):
            print("FAIL kernel state", s, "after %.1f s" % (time.time() - t1)); return 1
        try:
            m = await asyncio.wait_for(ws.read_message(), 0.5)
            if isinstance(m, str):
                m = json.loads(m)
                if m["header"]["msg_type"] == "status" and m["content"]["execution_state"] in ("restarting", "dead"):
                    print("FAIL kernel status", m["content"]["execution_state"]); return 1
        except asyncio.TimeoutError:
            pass
    await ws.write_message(msg("execute_request", {"code": "2+2", "silent": False, "store_history": False,
                                                   "user_expressions": {}, "allow_stdin": False}))
    result = None
    while result is None:
        m = await asyncio.wait_for(ws.read_message(), 20)
        if isinstance(m, str) and json.loads(m)["header"]["msg_type"] == "execute_result":
            result = json.loads(m)["content"]["data"]["text/plain"]
    if result != "4": print("FAIL second execute", result); return 1
    print("OK kernel %s: 1+1=2, alive 5 s (REST states %s), then 2+2=4" % (kid[:8], sorted(states))); return 0

sys.exit(asyncio.run(main()))
PY

kcheck() {  # kcheck IMAGE URL TOKEN healthy|dies
  docker run --rm -i --network "$NET" --label "org.kernelregression.run=$RUN" --entrypoint python3 "$1" - "$2" "$3" "$4" <"$TMP/kcheck.py"
}

# A standalone server (no hub) from IMAGE. MODE: pid1 | tini | init (docker --init)
standalone() {  # standalone NAME IMAGE MODE -> prints the base URL
  local name=$1 image=$2 mode=$3 app opts=()
  if docker run --rm --entrypoint python3 "$image" -c 'import jupyter_server' 2>/dev/null; then
    app=(-m jupyter_server --ServerApp.token="$TOKEN" --ServerApp.ip=0.0.0.0 --ServerApp.port=8888)
  else
    app=(-m notebook --NotebookApp.token="$TOKEN" --NotebookApp.ip=0.0.0.0 --NotebookApp.port=8888 --no-browser)
  fi
  case "$mode" in
    pid1) opts=(--entrypoint python3) ;;                       # the server is PID 1
    tini) opts=(--entrypoint tini); app=(-- python3 "${app[@]}") ;;
    init) opts=(--init --entrypoint python3) ;;
  esac
  docker run -d --name "$name" --network "$NET" --label "org.kernelregression.run=$RUN" "${opts[@]}" "$image" "${app[@]}" >/dev/null
  echo "http://$name:8888"
}

check_standalone() {  # check_standalone LABEL IMAGE MODE EXPECT
  local label=$1 image=$2 mode=$3 expect=$4 name="kr-$RUN-$RANDOM" url out
  url=$(standalone "$name" "$image" "$mode")
  if out=$(kcheck "$image" "$url" "$TOKEN" "$expect" 2>&1); then
    result "PASS $label: $(echo "$out" | tail -1)"
  else
    result "FAIL $label: $(echo "$out" | tail -3 | tr '\n' ' ')"; docker logs --tail 20 "$name" >&2 || true
  fi
  if [ "$expect" = dies ]; then
    result "     $label server log: $(docker logs "$name" 2>&1 | grep -iE 'restart|died|dead' | sed -n '1p;$p' | tr '\n' '|' | cut -c1-300)"
  fi
  docker rm -f "$name" >/dev/null
}

hub_api() {  # hub_api HUBURL METHOD PATH  (runs curl-less: python in the hub image)
  docker run --rm --network "$NET" --label "org.kernelregression.run=$RUN" --entrypoint python3 "$HUBIMG" -c '
import sys, urllib.request
r = urllib.request.Request(sys.argv[1] + sys.argv[3], method=sys.argv[2], headers={"Authorization": "token " + sys.argv[4]},
                           data=b"" if sys.argv[2] in ("POST",) else None)
try:
    print(urllib.request.urlopen(r, timeout=30).read().decode())
except urllib.error.HTTPError as e:
    print("HTTP", e.code, e.read().decode()[:300]); sys.exit(0 if e.code in (201, 202, 204, 409) else 1)
' "$1" "$2" "$3" "$TOKEN"
}

check_hub() {  # check_hub LABEL SUITE PROFILE_JSON EXPECT
  local label=$1 s=$2 profile=$3 expect=$4 hub="kr-$RUN-hub$RANDOM" user="alice" t0 out
  docker run -d --name "$hub" --network "$NET" --label "org.kernelregression.run=$RUN" \
    -v /var/run/docker.sock:/var/run/docker.sock \
    -e KR_SPAWNER=container -e KR_API_TOKEN="$TOKEN" -e KR_RUN_ID="$RUN" -e KR_DOCKER_NETWORK="$NET" \
    -e KR_HUB_CONNECT_URL="http://$hub:8081" -e KR_LAUNCH_PROFILE="$profile" "$HUBIMG" >/dev/null
  local url="http://$hub:8000"
  for _ in $(seq 1 60); do hub_api "$url" GET /hub/api/ >/dev/null 2>&1 && break; sleep 0.5; done
  hub_api "$url" POST "/hub/api/users/$user" >/dev/null
  t0=$SECONDS
  hub_api "$url" POST "/hub/api/users/$user/server" >/dev/null
  local ready=""
  for _ in $(seq 1 120); do
    out=$(hub_api "$url" GET "/hub/api/users/$user" 2>/dev/null || true)
    if echo "$out" | grep -q '"ready": *true'; then ready=1; break; fi
    sleep 0.5
  done
  if [ -z "$ready" ]; then
    result "FAIL $label: server not ready"; docker logs --tail 40 "$hub" >&2; docker rm -f "$hub" >/dev/null; return
  fi
  log "$label: spawned in $((SECONDS - t0)) s; container $(docker ps --filter "label=org.kernelregression.run=$RUN" --filter "label=org.kernelregression.user=$user" --format '{{.Names}} {{.Command}}')"
  if out=$(hub_api "$url" GET "/user/$user/api/status"); then
    result "PASS $label: /user/$user/api/status via proxy: $(echo "$out" | cut -c1-120)"
  else
    result "FAIL $label: /user/$user/api/status: $out"
  fi
  local img; img=$(echo "$profile" | sed -E 's/.*"image": *"([^"]+)".*/\1/')
  if out=$(kcheck "$img" "$url/user/$user" "$TOKEN" "$expect" 2>&1); then
    result "PASS $label kernel ($expect): $(echo "$out" | tail -1)"
  else
    result "FAIL $label kernel ($expect): $(echo "$out" | tail -3 | tr '\n' ' ')"
  fi
  hub_api "$url" DELETE "/hub/api/users/$user/server" >/dev/null || true
  for _ in $(seq 1 40); do
    [ -z "$(docker ps -aq --filter "label=org.kernelregression.user=$user" --filter "label=org.kernelregression.run=$RUN")" ] && break; sleep 0.5
  done
  if [ -n "$(docker ps -aq --filter "label=org.kernelregression.user=$user" --filter "label=org.kernelregression.run=$RUN")" ]; then
    result "FAIL $label: container not removed after stop"
  else
    result "PASS $label: container removed after DELETE server"
  fi
  docker rm -f "$hub" >/dev/null
}

docker network create --label "org.kernelregression.run=$RUN" "$NET" >/dev/null

for s in $SUITES; do
  base "$s" || { result "FAIL $s: debootstrap"; continue; }
  img="kr/singleuser:$s-default"
  build "$img" "$TMP/build-$s.log" --build-arg BASE="kr/debian:$s" --build-arg MIRROR="$MIRROR" \
    fixtures/images/singleuser || { result "FAIL $s: singleuser build"; continue; }
  result "INFO $s versions: $(docker run --rm --entrypoint cat "$img" /usr/local/share/kr/versions.json)"
  check_standalone "$s default, server under tini" "$img" tini healthy
  check_standalone "$s default, server as PID 1" "$img" pid1 healthy

  if [[ " $PATCH_SUITES " == *" $s "* ]]; then
    pimg="kr/singleuser:$s-default-pre-pr233"
    if build "$pimg" "$TMP/build-$s-p.log" --build-arg BASE="kr/debian:$s" --build-arg MIRROR="$MIRROR" \
      --build-arg KERNEL_PATCH=pre-pr233 fixtures/images/singleuser; then
      check_standalone "$s pre-pr233, server as PID 1" "$pimg" pid1 dies
      check_standalone "$s pre-pr233, server under tini" "$pimg" tini healthy
      check_standalone "$s pre-pr233, server under docker --init" "$pimg" init healthy
    else
      result "FAIL $s: pre-pr233 build"
    fi
  fi

  if [[ " $HUB_SUITES " == *" $s "* ]]; then
    HUBIMG="kr/hub:$s"
    if build "$HUBIMG" "$TMP/build-hub-$s.log" -f fixtures/images/hub/Dockerfile \
      --build-arg BASE="$img" fixtures; then
      check_hub "$s hub+ContainerSpawner, image CMD" "$s" "{\"image\": \"$img\"}" healthy
      if [[ " $PATCH_SUITES " == *" $s "* ]]; then
        check_hub "$s hub, pre-pr233, image CMD (start script)" "$s" "{\"image\": \"$pimg\"}" healthy
        check_hub "$s hub, pre-pr233, command=[jupyterhub-singleuser] (PID 1)" "$s" \
          "{\"image\": \"$pimg\", \"command\": [\"jupyterhub-singleuser\"]}" dies
        check_hub "$s hub, pre-pr233, command=[jupyterhub-singleuser], init=true" "$s" \
          "{\"image\": \"$pimg\", \"command\": [\"jupyterhub-singleuser\"], \"init\": true}" healthy
      fi
    else
      result "FAIL $s: hub build"
    fi
  fi
done

# (c) the first hub built spawns every suite's default single-user image (mixed hub/server versions,
# e.g. bullseye's server runs bookworm's jupyterhub-singleuser 3.0.0 module on Python 3.9).
HUB1=""; for h in $HUB_SUITES; do docker image inspect "kr/hub:$h" >/dev/null 2>&1 && { HUB1=$h; break; }; done
if [ -n "$HUB1" ]; then
  HUBIMG="kr/hub:$HUB1"
  for s in ${HUB_SPAWN_SUITES:-$SUITES}; do
    [ "$s" = "$HUB1" ] && continue
    docker image inspect "kr/singleuser:$s-default" >/dev/null 2>&1 || continue
    check_hub "$HUB1 hub spawns kr/singleuser:$s-default" "$s" "{\"image\": \"kr/singleuser:$s-default\"}" healthy
  done
fi

printf '%s\n' "${RESULTS[@]}"
exit $FAILED
