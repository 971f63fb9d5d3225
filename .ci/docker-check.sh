#!/usr/bin/env bash
# Builds the project's Dockerfile as it is and runs the image: /api/health answers, a session is created and
# trained for 20 epochs, the playground page is served and the image's own HEALTHCHECK reports healthy.
#
# Everything happens on loopback, against a private Docker daemon started here (its own data root, exec
# root and socket in a temporary directory; no bridge, no iptables rules), and everything is removed on
# exit. Docker Hub is not reachable from CI, so python:3.11-slim is replaced by a stand-in built with
# mmdebstrap from Debian bookworm (whose python3 is 3.11), carrying this machine's CA bundle and pip index
# settings so that the image installs from the same package index as the host.
#
# Run as root on Debian 12: bash .ci/docker-check.sh   (a few minutes; needs Debian apt and PyPI)
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE=tensor-playground
BASE=python:3.11-slim
CONTAINER="tp-docker-check-$$"
started=$(date +%s)
phase_started=$started
timings=()

log() { printf '[docker-check %4ss] %s\n' "$(($(date +%s) - started))" "$*"; }
fail() { log "FAILED: $*" >&2; exit 1; }
phase_done() {
  local now
  now=$(date +%s)
  timings+=("$(printf '%-34s %5ss' "$1" "$((now - phase_started))")")
  phase_started=$now
}

[ "$(id -u)" -eq 0 ] || fail "run as root (it installs packages and starts a Docker daemon)"

# --- Cleanup, whatever happens -------------------------------------------------------------------------
tmp=$(mktemp -d -t tp-docker-check.XXXXXX)
added_policy=""
dockerd_pid=""
containerd_pid=""
key_existed=""
[ ! -e /etc/docker/key.json ] || key_existed=1
run_containerd_existed=""
[ ! -e /run/containerd ] || run_containerd_existed=1

docker() { timeout "${DOCKER_TIMEOUT:-120}" "$docker_cli" "$@"; }

cleanup() {
  local status=$?
  set +e
  trap - EXIT INT TERM
  if [ -n "$dockerd_pid" ] && kill -0 "$dockerd_pid" 2>/dev/null; then
    if [ "$status" -ne 0 ]; then
      echo "--- container logs (last 60 lines) ---" >&2
      docker logs --tail 60 "$CONTAINER" >&2 2>&1
    fi
    docker rm --force "$CONTAINER" >/dev/null 2>&1
    docker image rm --force "$IMAGE" "$BASE" >/dev/null 2>&1
    DOCKER_BUILDKIT=1 docker builder prune --all --force >/dev/null 2>&1
    kill -TERM "$dockerd_pid" 2>/dev/null
    for _ in $(seq 1 30); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 1; done
    kill -KILL "$dockerd_pid" 2>/dev/null
    wait "$dockerd_pid" 2>/dev/null
  fi
  if [ "$status" -ne 0 ] && [ -f "$tmp/dockerd.log" ]; then
    echo "--- dockerd log (last 30 lines) ---" >&2
    tail -n 30 "$tmp/dockerd.log" >&2
  fi
  # dockerd stops the containerd it started; if it was killed, stop that containerd here.
  [ -f "$tmp/exec/containerd/containerd.pid" ] && containerd_pid=$(cat "$tmp/exec/containerd/containerd.pid")
  if [ -n "$containerd_pid" ] && kill -0 "$containerd_pid" 2>/dev/null \
      && grep -q "$tmp" "/proc/$containerd_pid/cmdline" 2>/dev/null; then
    kill -TERM "$containerd_pid"
    sleep 2
    kill -KILL "$containerd_pid" 2>/dev/null
  fi
  # Unmount anything left under the temporary directory (deepest first), then delete it.
  awk -v root="$tmp" '$2 == root || index($2, root "/") == 1 { print $2 }' /proc/self/mounts \
    | sort -r | while read -r mount_point; do umount -l "$mount_point"; done
  rm -rf --one-file-system "$tmp"
  # dockerd 20.10 always writes its identity key to /etc/docker; shim sockets go under /run/containerd.
  [ -n "$key_existed" ] || rm -f /etc/docker/key.json
  if [ -z "$run_containerd_existed" ] && [ -d /run/containerd ]; then
    find /run/containerd -depth -type d -empty -delete 2>/dev/null
  fi
  [ -z "$added_policy" ] || rm -f /usr/sbin/policy-rc.d
  if [ "$status" -eq 0 ]; then phase_done "clean up"; else phase_done "the failed step, then clean up"; fi
  echo "Timings:"
  printf '  %s\n' "${timings[@]}"
  printf '  %-34s %5ss\n' "total" "$(($(date +%s) - started))"
  if [ "$status" -eq 0 ]; then
    log "passed"
  else
    log "FAILED (exit $status); everything it started is removed" >&2
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- Tools -------------------------------------------------------------------------------------------
need_apt=()
command -v dockerd >/dev/null 2>&1 || need_apt+=(docker.io)
command -v mmdebstrap >/dev/null 2>&1 || need_apt+=(mmdebstrap)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "installing ${need_apt[*]}"
  # Installing docker.io must not start the system's Docker service: this check runs its own daemon.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    added_policy=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  timeout 600 apt-get update -q
  apt_status=0
  timeout 900 apt-get install -y -q --no-install-recommends "${need_apt[@]}" || apt_status=$?
  [ -z "$added_policy" ] || rm -f /usr/sbin/policy-rc.d
  added_policy=""
  [ "$apt_status" -eq 0 ] || fail "apt-get install ${need_apt[*]} exited with $apt_status"
fi
# The client of the same package as the daemon: a newer client elsewhere on PATH may lack BuildKit support.
docker_cli=/usr/bin/docker
[ -x "$docker_cli" ] || docker_cli=$(command -v docker) || fail "no docker client found"
python=python3
command -v "$python" >/dev/null 2>&1 || fail "python3 is needed for the HTTP checks"
phase_done "install tools"

# --- A private Docker daemon ----------------------------------------------------------------------------
mkdir -p "$tmp/client"
echo '{}' > "$tmp/daemon.json"
export DOCKER_HOST="unix://$tmp/docker.sock"
export DOCKER_CONFIG="$tmp/client"
log "starting a private dockerd under $tmp"
dockerd \
  --host "$DOCKER_HOST" \
  --data-root "$tmp/data" \
  --exec-root "$tmp/exec" \
  --pidfile "$tmp/dockerd.pid" \
  --config-file "$tmp/daemon.json" \
  --containerd-namespace tp-docker-check \
  --containerd-plugins-namespace tp-docker-check-plugins \
  --iptables=false --ip-forward=false --ip-masq=false --bridge=none \
  >"$tmp/dockerd.log" 2>&1 </dev/null &
dockerd_pid=$!
ready=""
for _ in $(seq 1 60); do
  kill -0 "$dockerd_pid" 2>/dev/null || fail "dockerd exited during start-up"
  if DOCKER_TIMEOUT=5 docker version >/dev/null 2>&1; then ready=1; break; fi
  sleep 1
done
[ -n "$ready" ] || fail "dockerd did not answer within 60 s"
log "dockerd $(docker version --format '{{.Server.Version}}') is up, storage driver $(docker info --format '{{.Driver}}')"
phase_done "start dockerd"

# --- Stand-in for python:3.11-slim ------------------------------------------------------------------------
# pip settings for the image: the host's package index, trusted hosts, proxy and timeouts (environment
# over the [install] section over [global], as pip reads them). Local paths (file:// indexes, find-links
# directories, constraint files) exist only on the host and are left out. The CA bundle is the host's,
# plus the certificate file pip is told to trust, if that is another file.
host_pip=$python
[ ! -x .venv/bin/python ] || host_pip=.venv/bin/python
pip_settings=$("$host_pip" -m pip config list 2>/dev/null || true)
pip_cert=$(PIP_SETTINGS="$pip_settings" "$python" - "$tmp/pip.conf" <<'PY'
import ast
import os
import sys

KEPT = {"index-url", "extra-index-url", "trusted-host", "timeout", "retries", "proxy", "cert"}
RANK = {"global": 0, "install": 1, ":env:": 2}
chosen = {}
for line in os.environ["PIP_SETTINGS"].splitlines():
    name, _, value = line.partition("=")
    section, _, key = name.partition(".")
    key = "timeout" if key == "default-timeout" else key
    if section in RANK and key in KEPT and value:
        if key not in chosen or RANK[section] >= chosen[key][0]:
            chosen[key] = (RANK[section], ast.literal_eval(value))
lines = ["[global]"]
for key in ("index-url", "extra-index-url", "trusted-host", "timeout", "retries", "proxy"):
    if key not in chosen:
        continue
    value = chosen[key][1]
    if key.endswith("index-url"):
        value = " ".join(url for url in value.split() if url.startswith(("http://", "https://")))
    if value:
        lines.append(f"{key} = {value}")
lines.append("cert = /etc/ssl/certs/ca-certificates.crt")
with open(sys.argv[1], "w") as conf:
    conf.write("\n".join(lines) + "\n")
print(chosen.get("cert", (0, ""))[1])
PY
)
: > "$tmp/ca-certificates.crt"
[ ! -f /etc/ssl/certs/ca-certificates.crt ] || cat /etc/ssl/certs/ca-certificates.crt >> "$tmp/ca-certificates.crt"
if [ -n "$pip_cert" ] && [ -f "$pip_cert" ] && [ "$(readlink -f "$pip_cert")" != /etc/ssl/certs/ca-certificates.crt ]; then
  cat "$pip_cert" >> "$tmp/ca-certificates.crt"
fi
log "pip settings for the build: $(grep -v '^\[' "$tmp/pip.conf" | sed 's#://[^/@]*@#://***@#g' | paste -sd ';' -)"

apt_opts=()
eval "$(apt-config shell apt_http_proxy Acquire::http::Proxy apt_https_proxy Acquire::https::Proxy)"
[ -z "${apt_http_proxy:-}" ] || apt_opts+=(--aptopt="Acquire::http::Proxy \"$apt_http_proxy\";")
[ -z "${apt_https_proxy:-}" ] || apt_opts+=(--aptopt="Acquire::https::Proxy \"$apt_https_proxy\";")

log "building the $BASE stand-in with mmdebstrap (Debian bookworm)"
# shellcheck disable=SC2016  # "$1" in the hook is the new root's path, expanded by mmdebstrap's shell
TMPDIR="$tmp" timeout 900 mmdebstrap --mode=root --variant=minbase --format=tar --quiet \
  --include=python3,python3-venv,python3-pip,python-is-python3,ca-certificates \
  --aptopt='APT::Install-Recommends "false";' "${apt_opts[@]}" \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --customize-hook="upload $tmp/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt" \
  --customize-hook="upload $tmp/pip.conf /etc/pip.conf" \
  --customize-hook='rm -f "$1"/usr/lib/python3*/EXTERNALLY-MANAGED' \
  bookworm "$tmp/base.tar" </dev/null
DOCKER_TIMEOUT=300 docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'CMD ["python3"]' \
  "$tmp/base.tar" "$BASE" >/dev/null
rm -f "$tmp/base.tar"
base_python=$(docker run --rm --network host "$BASE" python -c 'import sys; print(sys.version.split()[0])')
case "$base_python" in 3.11.*) ;; *) fail "the stand-in's python is $base_python, not 3.11" ;; esac
log "$BASE stand-in ready: Python $base_python"
phase_done "build the base image stand-in"

# --- Build the project's image ----------------------------------------------------------------------------
build_args=()
for proxy in HTTP_PROXY HTTPS_PROXY NO_PROXY http_proxy https_proxy no_proxy; do
  [ -z "${!proxy:-}" ] || build_args+=(--build-arg "$proxy")
done
log "docker build --network host -t $IMAGE ."
if ! DOCKER_BUILDKIT=1 DOCKER_TIMEOUT=2400 docker build --progress=plain --network host "${build_args[@]}" \
    -t "$IMAGE" . 2>&1 | sed -u 's/^/  | /'; then
  fail "docker build failed"
fi
image_bytes=$(docker image inspect --format '{{.Size}}' "$IMAGE")
log "image $IMAGE built: $((image_bytes / 1000000)) MB ($(($(docker image inspect --format '{{.Size}}' "$BASE") / 1000000)) MB of it the base); layers:"
docker history --format '{{.Size}}\t{{.CreatedBy}}' "$IMAGE" | cut -c1-110 | sed 's/^/    /'
phase_done "docker build"

# --- Run it ---------------------------------------------------------------------------------------------
port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log "docker run on 127.0.0.1:$port"
docker run --detach --name "$CONTAINER" --network host \
  -e TP_HOST=127.0.0.1 -e TP_PORT="$port" "$IMAGE" >/dev/null
user=$(docker inspect --format '{{.Config.User}}' "$CONTAINER")
case "$user" in "" | 0 | 0:* | root | root:*) fail "the image runs as root (USER '$user')" ;; esac

container_running() { [ "$(docker inspect --format '{{.State.Running}}' "$CONTAINER" 2>/dev/null)" = true ]; }
up=""
for _ in $(seq 1 120); do
  container_running || fail "the container stopped before answering /api/health"
  if "$python" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)" \
      "http://127.0.0.1:$port/api/health" >/dev/null 2>&1; then up=1; break; fi
  sleep 1
done
[ -n "$up" ] || fail "/api/health did not answer within 120 s"
log "/api/health answers"
phase_done "start the container"

# A session, 20 epochs of training, the playground page.
timeout 300 "$python" - "http://127.0.0.1:$port" <<'PY'
import json
import math
import sys
import urllib.error
import urllib.request

base = sys.argv[1]


def call(method, path, body=None, timeout=120):
    """(status, headers, body); error statuses too, so that a failed check shows what the server said."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


status, _, body = call("GET", "/api/health")
assert status == 200, (status, body)

status, _, body = call("POST", "/api/sessions", {"dataset": "xor", "seed": 1})
assert status == 201, (status, body)
session = json.loads(body)
assert session.get("id"), session
print(f"  session {session['id']} created")

status, _, body = call("POST", f"/api/sessions/{session['id']}/train", {"epochs": 20})
assert status == 200, (status, body)
state = json.loads(body)
assert state["epoch"] == 20, state
assert math.isfinite(state["train_loss"]) and math.isfinite(state["test_loss"]), state
print(f"  trained 20 epochs: train loss {state['train_loss']:.4f}, test loss {state['test_loss']:.4f}")

status, headers, body = call("GET", "/")
page = body.decode()
assert status == 200, status
assert headers.get("content-type", "").startswith("text/html"), headers.get("content-type")
assert "<title>Playground · Tensor Playground</title>" in page, page[:500]
print(f"  / is the playground page ({len(body)} bytes of HTML)")

# A saved run: the database on the image's /data volume is writable by the server's user.
request = urllib.request.Request(base + "/api/runs", method="POST",
                                 data=json.dumps({"session_id": session["id"], "name": "docker"}).encode(),
                                 headers={"content-type": "application/json", "X-Owner-Token": "docker-check-" + "0" * 20})
with urllib.request.urlopen(request, timeout=60) as response:
    assert response.status == 201, response.status
    run = json.loads(response.read())
status, _, body = call("GET", f"/api/runs/{run['id']}")
assert status == 200 and json.loads(body)["epoch"] == 20, (status, body)
print(f"  run {run['id']} saved on the /data volume and read back")

status, _, body = call("DELETE", f"/api/sessions/{session['id']}")
assert status in (200, 204), (status, body)
PY
log "session created, trained 20 epochs, playground page served"
phase_done "API and page checks"

# The image's own HEALTHCHECK (first probe after its 30 s interval).
health=""
for _ in $(seq 1 150); do
  container_running || fail "the container stopped while waiting for its health status"
  health=$(docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$CONTAINER")
  case "$health" in
    healthy) break ;;
    unhealthy) fail "the container reports unhealthy: $(docker inspect --format '{{json .State.Health.Log}}' "$CONTAINER")" ;;
    "") fail "the image has no HEALTHCHECK" ;;
  esac
  sleep 1
done
[ "$health" = healthy ] || fail "the container did not report healthy within 150 s (last status: $health)"
log "docker reports the container healthy"
phase_done "HEALTHCHECK reports healthy"

log "every check passed: $IMAGE ($((image_bytes / 1000000)) MB) built, served, trained, healthy"
