#!/bin/sh
# Prepares a private Podman engine for runbook-docker's tests: checks (or, as root with apt-get, installs)
# podman, runc and busybox-static, writes containers.conf and imports a busybox image into private storage
# under DIR. The Java side (PodmanEngine) then starts `podman system service` on DIR/podman.sock.
# Usage: prepare-engine.sh DIR RUNROOT IMAGE (Podman refuses a runroot path longer than 50 characters)
set -eu
DIR=$1
RUNROOT=$2
IMAGE=$3

missing=""
command -v podman >/dev/null 2>&1 || missing="$missing podman"
command -v runc >/dev/null 2>&1 || [ -x /usr/sbin/runc ] || missing="$missing runc"
# the image needs a statically linked busybox (ldd succeeds only on a dynamic one)
if [ ! -x /bin/busybox ] || ldd /bin/busybox >/dev/null 2>&1; then missing="$missing busybox-static"; fi
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing$missing with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y podman runc busybox-static >&2 || { apt-get update >&2 && apt-get install -y podman runc busybox-static >&2; } || {
      echo "MISSING:$missing (apt-get install -y podman runc busybox-static failed)"; exit 3; }
  else
    echo "MISSING:$missing (install them with: sudo apt-get install -y podman runc busybox-static)"
    exit 3
  fi
fi
mkdir -p "$DIR/root" "$RUNROOT" "$DIR/tmp" "$DIR/img/bin"
cat > "$DIR/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=1024:1024","nproc=1024:1024"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
CONF
export CONTAINERS_CONF="$DIR/containers.conf"
P="podman --root $DIR/root --runroot $RUNROOT --tmpdir $DIR/tmp --storage-driver=vfs"

if ! $P image exists "$IMAGE" >/dev/null 2>&1; then
  cp /bin/busybox "$DIR/img/bin/busybox"
  for l in sh sleep echo env httpd cat yes dd head true false; do ln -sf busybox "$DIR/img/bin/$l"; done
  mkdir -p "$DIR/img/tmp" "$DIR/img/dev/shm"
  tar -C "$DIR/img" -cf "$DIR/busybox.tar" .
  $P import --change 'CMD ["/bin/sh"]' "$DIR/busybox.tar" "$IMAGE" >/dev/null
fi
# containers left by an earlier run that did not end cleanly
$P rm -af -t 0 >/dev/null 2>&1 || true
echo "READY"
