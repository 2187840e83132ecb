#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Install what xbr needs to build and test (Debian 12), if not there yet;
# more package names as arguments (the package test's tools).
set -e
pkgs="gcc make autoconf automake pkg-config clang llvm bpftool libbpf-dev
libnl-route-3-dev libmnl-dev libsqlite3-dev libreadline-dev iproute2 ethtool
iputils-ping procps util-linux sqlite3 python3 man-db bsdextrautils systemd
bash-completion python3-prometheus-client openvswitch-switch $*"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing:$missing (run as root to install them)" >&2
	exit 1
fi
echo "deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
