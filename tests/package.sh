#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The package test (slow: `make check-package`; CI runs it). From this
# tree's distribution: the Debian package is built (dpkg-buildpackage) and
# checked (lintian), installed, the daemon started from the unit's
# ExecStart line with the example startup file, frames forwarded between
# two namespaces, and the package removed and purged: nothing left running
# or pinned. Then the README's "Running it" from a default ./configure.
#
# All of it runs in a mount namespace of its own, with /etc, /usr, /var and
# /run overlaid on a tmpfs and a bpffs of its own: what the package and
# `make install` write (files, the group xbr, pins) vanishes with it.
. "${XBR_TESTS:-$(dirname "$0")}/lib.sh"
top=$(cd "$XBR_TESTS/.." && pwd)
build=${XBR_BUILDDIR:-$top}

if [ "$(id -u)" != 0 ]; then
	echo "SKIP: needs root (installs a package, loads BPF)"
	exit 77
fi
if [ -z "${XPKG_INSIDE:-}" ]; then
	"$top/scripts/deps.sh" debhelper lintian fakeroot
	XPKG_INSIDE=1 exec unshare -m -n -u --propagation private -- \
		"$0" "$@"
fi
hostname xbr-package-test
ip link set lo up
sysctl -qw net.ipv6.conf.all.disable_ipv6=1
sysctl -qw net.ipv6.conf.default.disable_ipv6=1

version=$(sed -n 's/^AC_INIT(\[xbr\], \[\([^]]*\)\].*/\1/p' "$top/configure.ac")
W=$(mktemp -d /tmp/xpkg.XXXXXX)
hostpids=""
daemon_pid=""
cleanup() {
	[ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null
	for p in $hostpids; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	umount -l /etc /usr /var /run /sys/fs/bpf "$W/ov" 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# The private view of the system.
mkdir "$W/ov" "$W/build" "$W/src"
mount -t tmpfs tmpfs "$W/ov"
for d in etc usr var run; do
	mkdir "$W/ov/$d" "$W/ov/$d.work"
	mount -t overlay overlay \
		-o "lowerdir=/$d,upperdir=$W/ov/$d,workdir=$W/ov/$d.work" "/$d"
done
mount -t bpf bpf /sys/fs/bpf
rm -rf /run/systemd/system # systemd does not run here, nor in this view

# Two hosts, each a network namespace held by a process: 192.0.2.1 behind
# eth1, 192.0.2.2 behind eth2; eth3 has its peer here. These are the ports
# of the example startup file.
host() {
	unshare -n sleep 600 &
	local pid=$!
	hostpids="$hostpids $pid"
	wait_for 5 test "$(readlink /proc/$pid/ns/net)" != \
		"$(readlink /proc/self/ns/net)"
	ip link add "eth$1" type veth peer name eth0 netns "$pid"
	ip link set "eth$1" up
	nsenter -t "$pid" -n ip link set lo up
	nsenter -t "$pid" -n ip addr add "192.0.2.$1/24" dev eth0
	nsenter -t "$pid" -n ip link set eth0 up
	eval "host$1=$pid"
}
host 1
host 2
ip link add eth3 type veth peer name eth3p
ip link set eth3 up
ip link set eth3p up
ping_1_2() { nsenter -t "$host1" -n ping -c 1 -W 1 192.0.2.2; }
xdp_on() { ip link show "$1" | grep -q xdp; }

# wait_ready FILE: READY=1 arrived at the notify socket FILE.
notify_listen() {
	python3 - "$1" <<'EOF' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(30)
try:
    while "READY=1" not in s.recv(4096).decode().split("\n"):
        pass
except socket.timeout:
    sys.exit(1)
EOF
	notify_pid=$!
	wait_for 5 test -S "$1"
}

# The switch works: READY=1 came with the ports attached, xbr-cli talks to
# the daemon, the hosts reach each other through it, SIGHUP is harmless.
switch_works() {	# WHAT
	local w=$1
	check "$w: xbr-cli shows the bridge of the startup file" \
		eval 'xbr-cli -c "show bridge" | grep -q br0'
	check "$w: the ports are attached" xdp_on eth1
	check "$w: h1 reaches h2 through the switch" wait_for 10 ping_1_2
	check_eq "$w: show version" "$(xbr-cli -c 'show version' | grep -o "xbr $version")" "xbr $version"
	kill -HUP "$daemon_pid"
	check "$w: SIGHUP changes nothing" xbr-cli -c "show bridge"
}

echo "# the Debian package"
make -s -C "$build" distdir distdir="$W/build/xbr-$version" >/dev/null
cp -a "$W/build/xbr-$version/." "$W/src"
cd "$W/build/xbr-$version" || exit 1
# The README's commands: readme_says checks that a line of the README is
# the command, its comment aside; readme runs it, too.
readme_says() {
	if sed -e 's/[[:space:]]\{2,\}#.*//' -e 's/[[:space:]]*$//' \
		"$top/README.md" | grep -qxF -- "$*"; then
		ok "README: $*"
	else
		not_ok "the README does not say: $*"
	fi
}
readme() {
	readme_says "$@" >&3
	eval "$*"
}
exec 3>&1
readme_says "./scripts/deps.sh debhelper lintian fakeroot"
if readme "dpkg-buildpackage -us -uc -b" >"$W/dpkg-buildpackage.log" 2>&1; then
	ok "dpkg-buildpackage -us -uc -b"
else
	not_ok "dpkg-buildpackage -us -uc -b"
	tail -30 "$W/dpkg-buildpackage.log"
	finish
	exit
fi
lint=$(lintian -I --pedantic --fail-on error,warning,info,pedantic \
	../xbr_"$version"_*.changes 2>&1 | grep -v 'running with root')
check_eq "lintian: no tags (with --pedantic)" "$lint" ""
readme "apt-get install -y ../xbr_*.deb" >"$W/apt.log" 2>&1
check "the package installs" dpkg-query -W xbr
check_eq "its version is configure.ac's" \
	"$(dpkg-query -W -f='${Version}' xbr)" "$version"
for p in xbr-switchd xbr-cli xbr-pktgen; do
	check_eq "$p --version" "$($p --version)" "$p $version"
	check_eq "man $p: the version in the footer" \
		"$(zcat "/usr/share/man/man8/$p.8.gz" | sed -n 's/^\.TH .*"xbr \([^"]*\)".*/\1/p')" \
		"$version"
done
check "the group xbr is made" getent group xbr
check "/etc/xbr is made" test -d /etc/xbr
unit=/lib/systemd/system/xbr-switchd.service
check "systemd-analyze verify: the installed unit" \
	systemd-analyze verify "$unit"
security=$(systemd-analyze security --offline=yes --threshold=30 "$unit" 2>&1 | tail -1)
echo "# $security"
check "systemd-analyze security: exposure 3.0 or less" \
	systemd-analyze security --offline=yes --threshold=30 "$unit"
check "bash completion is installed for the three programs" \
	test -e /usr/share/bash-completion/completions/xbr-cli -a \
	-e /usr/share/bash-completion/completions/xbr-switchd -a \
	-e /usr/share/bash-completion/completions/xbr-pktgen

readme "cp /usr/share/doc/xbr/examples/startup.conf /etc/xbr/startup.conf"
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
readme_says "systemctl start xbr-switchd"
readme_says "$exec_start &"

# The unit's ExecStart line, confined as the unit says, as far as that can
# be done without systemd: its directories made, the file system read-only
# but for them (ProtectSystem=strict), the capabilities of its
# CapabilityBoundingSet only, NoNewPrivileges.
as_the_unit() {
	local caps d
	caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$unit" |
		tr 'A-Z ' 'a-z,' | sed 's/cap_/+/g')
	mkdir -p /etc/xbr /var/lib/xbr /run/xbr
	chmod 0750 /var/lib/xbr
	exec unshare -m --propagation slave -- sh -c '
		for d in /etc/xbr /var/lib/xbr /run/xbr; do
			mount --bind "$d" "$d"
		done
		for m in / /etc /usr /var /run; do
			mount -o remount,bind,ro "$m"
		done
		exec setpriv --bounding-set=-all,'"$caps"' --inh-caps=-all \
			--no-new-privs -- "$@"' as-the-unit "$@"
}
notify_listen "$W/notify"
NOTIFY_SOCKET="$W/notify" as_the_unit $exec_start &
daemon_pid=$!
if wait "$notify_pid"; then ok "READY=1 from the unit's ExecStart line"; else not_ok "no READY=1"; fi
check "at READY=1 the ports of the startup file are attached" xdp_on eth2
check "the socket is root:xbr 0660" \
	test "$(stat -c %U:%G:%a /run/xbr/xbr.sock)" = root:xbr:660
switch_works package
check "the datapath is pinned" test -d /sys/fs/bpf/xbr/br0
check "confined, it makes an internal port" \
	xbr-cli -c configure -c "bridge br0" -c "internal-port xpkgm1 vlan 1"
check "... which has its veth" ip link show xpkgm1
check "... and the host's settings" \
	test "$(cat /proc/sys/net/ipv4/conf/xpkgm1/arp_ignore 2>/dev/null)" != 0
check "confined, write memory saves the startup file" \
	eval 'xbr-cli -c "write memory" && grep -q xpkgm1 /etc/xbr/startup.conf'

dpkg -r xbr >"$W/remove.log" 2>&1
check "removing the package stops the daemon" \
	wait_for 10 eval '! kill -0 '"$daemon_pid"' 2>/dev/null'
wait "$daemon_pid" 2>/dev/null
daemon_pid=""
check_not "... and no xbr-switchd runs" pidof /usr/sbin/xbr-switchd
check_not "... and nothing is pinned" test -e /sys/fs/bpf/xbr
check_not "... and no port has an XDP program" xdp_on eth1
check_not "... and the hosts are cut off" ping_1_2
dpkg --purge xbr >>"$W/remove.log" 2>&1
check_not "purged: /etc/xbr is gone" test -e /etc/xbr
check_not "purged: /var/lib/xbr is gone" test -e /var/lib/xbr
check_not "purged: the package is gone" dpkg-query -W xbr
groupdel xbr # as on a machine that never had the package

echo "# the README from a default ./configure"
cd "$W/src" || exit 1
if (autoreconf -fi && ./configure && make -j"$(nproc)") >"$W/src.log" 2>&1; then
	ok "autoreconf -fi && ./configure && make"
else
	not_ok "autoreconf -fi && ./configure && make"
	tail -30 "$W/src.log"
fi
readme "make install" >>"$W/src.log" 2>&1
readme "systemd-sysusers" >>"$W/src.log" 2>&1
check "the group xbr is made" getent group xbr
check "systemd-analyze verify: the unit make install put" \
	systemd-analyze verify /usr/local/lib/systemd/system/xbr-switchd.service
readme "cp /usr/local/share/doc/xbr/examples/startup.conf /etc/xbr/startup.conf"
check "the startup file is in place" test -f /etc/xbr/startup.conf
export PATH=/usr/local/sbin:/usr/local/bin:$PATH
readme "xbr-switchd &"
daemon_pid=$!
check "xbr-switchd started by hand serves" wait_for 20 test -S /run/xbr/xbr.sock
switch_works "make install"
readme_says "xbr-cli"
check "xbr-cli reads commands from a pipe" \
	eval 'echo "show bridge" | xbr-cli | grep -q br0'
kill "$daemon_pid"
wait "$daemon_pid" 2>/dev/null
daemon_pid=""
finish
