#!/usr/bin/env bash
# Builds the course's two container images — the Dev Container's (.devcontainer/Dockerfile) and the
# Jupyter image for Binder and JupyterHub (Dockerfile) — with podman, and checks them the way a reader
# uses them: the Dev Container created as an editor creates it (runArgs from devcontainer.json, its
# onCreateCommand, as its user) and then every chapter run with ./run-course in that copy; the Jupyter image's
# chapter 00 run through jupyter nbconvert as the image's own user. The containers get what Docker would
# give them — its default capability set for root, none for an ordinary user, and its seccomp rules where
# the flags do not replace them — so a check here says what a Docker or Codespaces user gets. See README,
# "Containers".
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  cat <<'HELP'
tools/containers.sh [options] [step …]

Steps (default: images check-devcontainer check-jupyter):
  base                 build the local base image (what --local-base builds), nothing else
  images               build the Dev Container image and the Jupyter image
  check-devcontainer   create the Dev Container from the committed course (git archive HEAD), run its
                       onCreateCommand, then ./run-course --no-stills in that copy (every chapter, or
                       --chapters): it fails, exit 3, where a cell that is live in the committed
                       notebooks would show a recording
  check-jupyter        run chapter 00 through jupyter nbconvert --execute in the Jupyter image, as its user

Options:
  --local-base         use a Debian 12 image built here with mmdebstrap from the Debian mirror, with this
                       machine's .NET SDK (the folder dotnet --info names) and CA certificates copied in,
                       tagged localhost/course-sdk-base:bookworm (built when missing; step "base" rebuilds it)
  --base IMAGE         the BASE_IMAGE build argument of both images (default: mcr.microsoft.com/dotnet/sdk:10.0)
  --flags "ARGS"       run the checks with these container flags instead of devcontainer.json's runArgs,
                       e.g. --flags "" for none (what a reader who passes nothing gets)
  --user NAME          run the checks as NAME instead of the image's user (e.g. root)
  --chapters "NN …"    chapters for check-devcontainer (default: all)
  --docker-seccomp F   Docker's seccomp profile (moby's profiles/seccomp/default.json) where the flags leave
                       the default profile in place; without it, one is derived from podman's own profile
                       with Docker's namespace rules (unshare, setns, mount and namespace flags of clone
                       only with CAP_SYS_ADMIN; clone3 answered ENOSYS)
  -h, --help           this text

Environment: PODMAN, the podman command line (default: podman; on hosts whose crun refuses the cgroup
layout: PODMAN="podman --runtime runc --cgroup-manager=cgroupfs"). Logs go to artifacts/containers/.
Exit code 0 when every check passed, 1 when one failed, 2 for bad usage.
HELP
}

# Docker's default capability set (moby: daemon/pkg/oci/caps/defaults.go). Podman's own is smaller
# (no NET_RAW, MKNOD, AUDIT_WRITE), so it is named explicitly to stand for Docker.
DOCKER_CAPS=CHOWN,DAC_OVERRIDE,FSETID,FOWNER,MKNOD,NET_RAW,SETGID,SETUID,SETFCAP,SETPCAP,NET_BIND_SERVICE,SYS_CHROOT,KILL,AUDIT_WRITE
LOCAL_BASE=localhost/course-sdk-base:bookworm
DEVCONTAINER_IMAGE=localhost/course-devcontainer
JUPYTER_IMAGE=localhost/course-jupyter

base=mcr.microsoft.com/dotnet/sdk:10.0
local_base=false
flags_given=false
flags=""
user=""
chapters=""
docker_seccomp=""
steps=()
while (($#)); do
  case "$1" in
    -h|--help|-\?) usage; exit 0 ;;
    --local-base) local_base=true; base=$LOCAL_BASE ;;
    --base) base="${2:?--base needs an image}"; shift ;;
    --flags) flags_given=true; flags="${2?--flags needs a value (\"\" for none)}"; shift ;;
    --user) user="${2:?--user needs a name}"; shift ;;
    --chapters) chapters="${2:?--chapters needs chapter numbers}"; shift ;;
    --docker-seccomp) docker_seccomp="${2:?--docker-seccomp needs a file}"; shift ;;
    base|images|check-devcontainer|check-jupyter) steps+=("$1") ;;
    *) echo "tools/containers.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
((${#steps[@]})) || steps=(images check-devcontainer check-jupyter)

read -r -a podman <<<"${PODMAN:-podman}"
command -v "${podman[0]}" >/dev/null || { echo "tools/containers.sh: needs podman (apt-get install podman)" >&2; exit 2; }
logs=artifacts/containers
mkdir -p "$logs"
tag=$(printf '%s' "$base" | sha256sum | cut -c1-12) # one image per base
failed=0

say() { printf '\n== %s\n' "$*"; }
elapsed() { echo "$(( $(date +%s) - $1 )) s"; }

# devcontainer.json is JSON with comments: drop them outside strings, then read one field.
devcontainer_field() { # field
  python3 - "$1" <<'PY'
import json, re, sys
text = open(".devcontainer/devcontainer.json", encoding="utf-8").read()
strings_or_comments = re.compile(r'"(?:\\.|[^"\\])*"|//[^\n]*|/\*.*?\*/', re.S)
plain = strings_or_comments.sub(lambda m: m.group(0) if m.group(0).startswith('"') else "", text)
plain = re.sub(r",(\s*[}\]])", r"\1", plain)  # trailing commas, which the format allows
value = json.loads(plain)
for key in sys.argv[1].split("."):
    value = value[key]
print(json.dumps(value) if not isinstance(value, str) else value)
PY
}

run_args=()
if $flags_given; then
  read -r -a run_args <<<"$flags"
else
  mapfile -t run_args < <(devcontainer_field runArgs | python3 -c 'import json,sys; print("\n".join(json.load(sys.stdin)))')
fi

# Docker's seccomp profile, where the flags leave the default in place: podman's default allows user
# namespaces, Docker's does not, and that difference decides which route the namespace chapters take.
seccomp_args=()
if ! printf '%s\n' "${run_args[@]}" | grep -q '^seccomp=\|^--privileged$'; then
  if [[ -z "$docker_seccomp" ]]; then
    docker_seccomp="$logs/docker-like-seccomp.json"
    python3 - "$docker_seccomp" <<'PY'
import json, sys
profile = json.load(open("/usr/share/containers/seccomp.json"))
# Docker allows these only to a process holding CAP_SYS_ADMIN (moby's profiles/seccomp/default.json).
admin_only = {"bpf", "clone", "clone3", "fanotify_init", "fsconfig", "fsmount", "fsopen", "fspick", "lookup_dcookie",
              "mount", "mount_setattr", "move_mount", "open_tree", "perf_event_open", "quotactl", "quotactl_fd",
              "setdomainname", "sethostname", "setns", "syslog", "umount", "umount2", "unshare"}
kept = []
for rule in profile["syscalls"]:
    if rule.get("action") == "SCMP_ACT_ALLOW" and not rule.get("includes") and not rule.get("args"):
        rule["names"] = [n for n in rule["names"] if n not in admin_only]
    if rule["names"]:
        kept.append(rule)
namespace_flags = 0x7E020000  # CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET
kept += [
    {"names": sorted(admin_only), "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN"]}},
    {"names": ["clone"], "action": "SCMP_ACT_ALLOW", "excludes": {"caps": ["CAP_SYS_ADMIN"]},
     "args": [{"index": 0, "value": namespace_flags, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}]},
    # glibc falls back to clone when clone3 says ENOSYS; its flags could not be filtered.
    {"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38, "excludes": {"caps": ["CAP_SYS_ADMIN"]}},
]
profile["syscalls"] = kept
# Docker refuses every other call with EPERM, podman with ENOSYS; the course's sentences quote the error.
profile["defaultErrnoRet"] = 1
profile.pop("defaultErrno", None)
json.dump(profile, open(sys.argv[1], "w"), indent=1)
PY
  fi
  seccomp_args=(--security-opt "seccomp=$docker_seccomp")
fi
# Docker gives its capability set to root only: an ordinary user's effective set is empty. Podman makes
# every --cap-add effective for an ordinary user too, so for one it adds none.
capabilities_for() { # image
  local as="$user"
  [[ -n "$as" ]] || as=$("${podman[@]}" image inspect --format '{{.Config.User}}' "$1")
  if [[ -z "$as" || "$as" == root || "$as" == 0 ]]; then
    echo "--cap-drop=all --cap-add=$DOCKER_CAPS"
  else
    echo "--cap-drop=all"
  fi
}
container_args_for() { # image
  local capabilities
  read -r -a capabilities <<<"$(capabilities_for "$1")"
  container_args=("${capabilities[@]}" "${seccomp_args[@]}" "${run_args[@]}")
  [[ -z "$user" ]] || container_args+=(--user "$user")
}

build_local_base() {
  command -v mmdebstrap >/dev/null || { echo "tools/containers.sh: --local-base needs mmdebstrap (apt-get install mmdebstrap)" >&2; exit 2; }
  local sdk
  sdk=$(dotnet --info | sed -n 's/^ *Base Path: *\(.*\)\/sdk\/.*/\1/p' | head -1)
  [[ -x "$sdk/dotnet" ]] || { echo "tools/containers.sh: cannot find the SDK folder in dotnet --info" >&2; exit 2; }
  say "base: Debian 12 from the mirror, with the SDK in $sdk and this machine's CA certificates"
  local started tar
  started=$(date +%s)
  tar="$logs/rootfs.tar"
  # The same folders as Microsoft's image (/usr/share/dotnet, /usr/bin/dotnet), and this machine's
  # trusted roots, so NuGet works where TLS passes through a proxy this machine trusts.
  mmdebstrap --variant=apt --include=ca-certificates,curl,git,libicu72,libssl3,tzdata,procps,netbase,zlib1g \
    --customize-hook="cp -a '$sdk' \"\$1/usr/share/dotnet\"" \
    --customize-hook='ln -sf /usr/share/dotnet/dotnet "$1/usr/bin/dotnet"' \
    --customize-hook='cp /etc/ssl/certs/ca-certificates.crt "$1/usr/local/share/ca-certificates/this-machine.crt"' \
    --customize-hook='chroot "$1" update-ca-certificates' \
    bookworm "$tar" >"$logs/base.log" 2>&1 || { tail -20 "$logs/base.log"; exit 1; }
  "${podman[@]}" import \
    --change 'ENV DOTNET_RUNNING_IN_CONTAINER=true' --change 'ENV DOTNET_NOLOGO=1' \
    --change 'ENV DOTNET_CLI_TELEMETRY_OPTOUT=1' --change 'ENV NUGET_XMLDOC_MODE=skip' \
    --change 'CMD ["bash"]' "$tar" "$LOCAL_BASE" >"$logs/import.log" 2>&1 || { tail -20 "$logs/import.log"; exit 1; }
  rm -f "$tar"
  echo "built $LOCAL_BASE in $(elapsed "$started")"
}

build_images() {
  say "images: BASE_IMAGE=$base"
  local started
  started=$(date +%s)
  "${podman[@]}" build --build-arg "BASE_IMAGE=$base" -t "$DEVCONTAINER_IMAGE:$tag" -f .devcontainer/Dockerfile .devcontainer \
    >"$logs/build-devcontainer.log" 2>&1 || { tail -20 "$logs/build-devcontainer.log"; exit 1; }
  echo "built $DEVCONTAINER_IMAGE:$tag in $(elapsed "$started")"
  started=$(date +%s)
  "${podman[@]}" build --build-arg "BASE_IMAGE=$base" -t "$JUPYTER_IMAGE:$tag" -f Dockerfile . \
    >"$logs/build-jupyter.log" 2>&1 || { tail -20 "$logs/build-jupyter.log"; exit 1; }
  echo "built $JUPYTER_IMAGE:$tag in $(elapsed "$started")"
}

check_devcontainer() {
  local on_create notebooks=() started
  on_create=$(devcontainer_field onCreateCommand)
  for n in $chapters; do notebooks+=(notebooks/"$n"-*.ipynb); done
  container_args_for "$DEVCONTAINER_IMAGE:$tag"
  say "check-devcontainer: ${container_args[*]}"
  git archive --format=tar HEAD >"$logs/course.tar"
  started=$(date +%s)
  # The workspace as the editor would mount it: the committed course, owned by the container's user.
  if "${podman[@]}" run --rm "${container_args[@]}" -v "$PWD/$logs/course.tar:/tmp/course.tar:ro" \
      "$DEVCONTAINER_IMAGE:$tag" bash -c '
        set -eu
        mkdir -p ~/course && tar -x -C ~/course -f /tmp/course.tar && cd ~/course
        echo "as $(id -un) (uid $(id -u)), CapEff $(grep CapEff /proc/self/status | cut -f2)"
        started=$(date +%s)
        bash -c "$1" >/tmp/on-create.log 2>&1 || { tail -30 /tmp/on-create.log; exit 1; }
        echo "onCreateCommand: $(( $(date +%s) - started )) s"
        shift
        # Not --check: only a run that writes compares each cell with its committed output and refuses
        # (exit 3, "NOT WRITTEN …") where a live output would become a recording. It writes into this
        # throwaway copy; stills are left out, they prove nothing here.
        status=0; ./run-course --no-stills "$@" || status=$?
        echo "cells showing a recording, per chapter (the committed course shows them only where every machine does):"
        grep -c -e "RECORDED on " -e "RECORDED, not this machine" notebooks/*.ipynb | grep -v ":0$" || echo "    none"
        exit "$status"' check "$on_create" "${notebooks[@]}" 2>&1 | tee "$logs/check-devcontainer.log"; then
    echo "check-devcontainer passed in $(elapsed "$started")"
  else
    echo "check-devcontainer FAILED after $(elapsed "$started") (log: $logs/check-devcontainer.log)"
    failed=1
  fi
}

check_jupyter() {
  local started
  container_args_for "$JUPYTER_IMAGE:$tag"
  say "check-jupyter: ${container_args[*]}"
  started=$(date +%s)
  if "${podman[@]}" run --rm "${container_args[@]}" "$JUPYTER_IMAGE:$tag" bash -c '
        set -eu
        echo "as $(id -un) (uid $(id -u)) in $PWD"
        python3 -c "from jupyter_client.kernelspec import KernelSpecManager as M; print(\"kernelspecs:\", M().find_kernel_specs())"
        cd notebooks
        jupyter nbconvert --to notebook --execute --output-dir /tmp/executed --ExecutePreprocessor.timeout=300 00-*.ipynb
        python3 - /tmp/executed/00-*.ipynb <<"PY"
import json, sys
nb = json.load(open(sys.argv[1]))
cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
errors = [o for c in cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
recorded = [i for i, c in enumerate(cells, 1) if "RECORDED" in json.dumps(c.get("outputs", []))]
kernel = nb["metadata"]["kernelspec"]["name"]
print(len(cells), "code cells executed by", kernel + ",", len(errors), "errors; cells showing a recording:", recorded or "none")
sys.exit(1 if errors else 0)
PY' 2>&1 | tee "$logs/check-jupyter.log"; then
    echo "check-jupyter passed in $(elapsed "$started")"
  else
    echo "check-jupyter FAILED after $(elapsed "$started") (log: $logs/check-jupyter.log)"
    failed=1
  fi
}

for step in "${steps[@]}"; do
  case "$step" in
    base) build_local_base ;;
    images)
      if $local_base && ! "${podman[@]}" image exists "$LOCAL_BASE"; then build_local_base; fi
      build_images ;;
    check-devcontainer) check_devcontainer ;;
    check-jupyter) check_jupyter ;;
  esac
done
exit "$failed"
