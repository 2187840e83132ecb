#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# What `make install` puts in place (issue 13), into a DESTDIR: a unit that
# systemd accepts, man pages that carry the version, /etc/xbr, the group's
# sysusers.d file, bash completion; and one version everywhere, from
# configure.ac. Needs no root.
. "${XBR_TESTS:-$(dirname "$0")}/lib.sh"
top=$(cd "$XBR_TESTS/.." && pwd)
build=${XBR_BUILDDIR:-.}
PKTGEN=${XBR_PKTGEN:-tools/xbr-pktgen}

# make in the build, not as a part of the make that runs the tests.
mk() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
		make -s --no-print-directory -C "$build" "$@"
}
# mkvar NAME: a variable of the build's Makefile, expanded.
mkvar() {
	printf 'print-var:\n\t@echo $(%s)\n' "$1" |
		mk -f Makefile -f - print-var
}
version=$(sed -n 's/^AC_INIT(\[xbr\], \[\([^]]*\)\].*/\1/p' "$top/configure.ac")
D=$(mktemp -d /tmp/xpkg-install.XXXXXX)
trap 'rm -rf "$D"' EXIT

if ! mk install DESTDIR="$D" >"$D.log" 2>&1; then
	not_ok "make install DESTDIR=..."
	cat "$D.log"
fi
rm -f "$D.log"
sbindir=$(mkvar sbindir)
man8dir=$(mkvar man8dir)
unitdir=$(mkvar systemdunitdir)
confdir=$(mkvar xbrconfdir)
datadir=$(mkvar datadir)
prefix=$(mkvar prefix)
unitdir=${unitdir:-$prefix/lib/systemd/system}
unit="$D$unitdir/xbr-switchd.service"

# Fault 1: the unit's ExecStart was "@sbindir@/xbr-switchd", a unit with a
# fatal error.
check_eq "the unit's ExecStart is the installed daemon" \
	"$(sed -n 's/^ExecStart=//p' "$unit" 2>/dev/null)" \
	"$sbindir/xbr-switchd --syslog"
if command -v systemd-analyze >/dev/null; then
	mkdir "$D/verify"
	sed "s|^ExecStart=|ExecStart=$D|" "$unit" \
		>"$D/verify/xbr-switchd.service" 2>/dev/null
	check "systemd-analyze verify accepts the unit" \
		systemd-analyze verify --man=no "$D/verify/xbr-switchd.service"
	echo "# $(systemd-analyze security --offline=yes "$D/verify/xbr-switchd.service" 2>&1 | tail -1)"
	check "systemd-analyze security: exposure 3.0 or less" \
		systemd-analyze security --offline=yes --threshold=30 \
		"$D/verify/xbr-switchd.service"
else
	echo "# no systemd-analyze: the unit is not verified"
fi
for k in Type=notify StateDirectory=xbr RuntimeDirectory=xbr \
	RuntimeDirectoryPreserve=restart ConfigurationDirectory=xbr \
	NoNewPrivileges=yes ProtectSystem=strict ProtectHome=yes \
	Restart=on-failure RestartPreventExitStatus=78; do
	check "the unit has $k" grep -qx "$k" "$unit"
done

# Fault 2: the installed man pages said "xbr @VERSION@".
for p in xbr-switchd xbr-cli xbr-pktgen; do
	check_eq "man $p: the version in the footer" \
		"$(sed -n 's/^\.TH .*"xbr \([^"]*\)".*/\1/p' "$D$man8dir/$p.8")" \
		"$version"
done

# Fault 3: nothing made /etc/xbr, so the README's cp failed.
check "make install makes the startup file's directory" \
	test -d "$D${confdir:-/etc/xbr}"
check "the example startup file is installed" \
	test -f "$D$datadir/doc/xbr/examples/startup.conf"
# Fault 5: nothing made the group xbr.
check "a sysusers.d file makes the group xbr" \
	grep -qx 'g xbr - -' "$D$prefix/lib/sysusers.d/xbr.conf"
for p in xbr-cli xbr-switchd xbr-pktgen; do
	check "bash completion for $p" \
		test -e "$D$datadir/bash-completion/completions/$p"
done

# One version: configure.ac's, in every program, the package, the man pages.
check_eq "xbr-switchd --version" "$("$SWITCHD" --version)" \
	"xbr-switchd $version"
check_eq "xbr-cli --version" "$("$CLI" --version)" "xbr-cli $version"
check_eq "xbr-pktgen --version" "$("$PKTGEN" --version 2>&1)" \
	"xbr-pktgen $version"
check_eq "debian/changelog's version" \
	"$(sed -n '1s/^xbr (\([^)]*\)).*/\1/p' "$top/debian/changelog" 2>/dev/null)" \
	"$version"

mk uninstall DESTDIR="$D" >/dev/null 2>&1
check_eq "make uninstall leaves no file" \
	"$(find "$D" -path "$D/verify" -prune -o ! -type d -print)" ""
finish
