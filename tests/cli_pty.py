#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Drive the interactive xbr-cli through a pseudo-terminal: prompts per
mode, TAB completion, `?` help, line editing and exit.

usage: cli_pty.py CLI SOCKET   (a daemon serves SOCKET; ports e1..e3 exist)
"""
import os
import pty
import re
import select
import sys
import time

cli, sock = sys.argv[1], sys.argv[2]
passed = failed = 0

pid, fd = pty.fork()
if pid == 0:
    os.environ["TERM"] = "dumb"
    os.environ["HOME"] = os.path.dirname(sock)
    os.execv(cli, [cli, "-s", sock])

buf = ""


def read_until(pattern, timeout=5.0):
    """Read the terminal until pattern (a regex) shows; True if it did."""
    global buf
    end = time.time() + timeout
    while True:
        m = re.search(pattern, buf)
        if m:
            buf = buf[m.end():]
            return True
        left = end - time.time()
        if left <= 0:
            return False
        r, _, _ = select.select([fd], [], [], left)
        if r:
            try:
                data = os.read(fd, 4096)
            except OSError:
                return False
            if not data:
                return False
            buf += data.decode(errors="replace").replace("\r", "")


def send(text):
    os.write(fd, text.encode())


def check(what, ok):
    global passed, failed
    if ok:
        passed += 1
        print("ok - " + what)
    else:
        failed += 1
        print("FAIL - %s (screen: %r)" % (what, buf[-300:]))


check("the prompt names host and mode", read_until(r"xbr-test# $"))
send("sh\t")
check("TAB completes a unique keyword", read_until(r"show $"))
send("ver\t")
check("TAB completes the next keyword", read_until(r"version $"))
send("\n")
check("the completed line runs", read_until(r"xbr \S+: XDP Ethernet switch"))
check("and the prompt comes back", read_until(r"xbr-test# $"))

send("show mac ?")
check("? lists what may follow, with help",
      read_until(r"address-table\s+The MAC address table"))
check("? keeps the line being typed", read_until(r"xbr-test# show mac $"))
send("\x15")  # ^U: clear the line
send("show ?")
check("? after show lists every show command",
      read_until(r"bridge.*\n(.*\n)*.*interfaces.*\n(.*\n)*.*version"))
send("\x15")

send("conf\t\n")
check("configure mode has its prompt", read_until(r"xbr-test\(config\)# $"))
send("bridge br0\n")
check("bridge mode names the bridge",
      read_until(r"xbr-test\(config-br-br0\)# $"))
send("port e\t\t")
check("TAB twice lists the interfaces that fit",
      read_until(r"e1\s+e2\s+e3"))
send("1 learn\t")
check("completion continues after a value", read_until(r"learn-limit $"))
send("7\n")
check("the port is configured", read_until(r"xbr-test\(config-br-br0\)# $"))
send("no ?")
check("? after no gives each word its help in the no form",
      read_until(r"ageing-time\s+The ageing time \(back to 300 s\)"))
read_until(r"# no $")
send("\x15port e1 encapsulation ?")
check("? lists each of the alternatives with its help",
      read_until(r"dot1ad\s+802\.1ad.*\r?\n\s*dot1q\s+802\.1Q"))
read_until(r"encapsulation $")
send("\x15")
send("frob\n")
check("a wrong command gets an error with a caret, the shell goes on",
      read_until(r"  frob\n  \^\n% Invalid input at 'frob': unknown command\n"
                 r".*xbr-test\(config-br-br0\)# $"))
send("end\n")
check("end returns to exec mode", read_until(r"xbr-test# $"))
send("show interfaces\n")
check("the change shows", read_until(r"e1\s+br0\s+up\s+native\s+access 1\s+7"))
read_until(r"xbr-test# $")
send("\x1b[A")  # up arrow: history
check("history recalls the last line", read_until(r"show interfaces$"))
send("\x15")

# issue 9: the habits of vtysh and IOS
send("configure\nbridge br0\nexit\n")
check("exit in bridge mode goes up to configuration mode",
      read_until(r"exit\n(.*\n)?xbr-test\(config\)# $"))
send("exit\n")
check("exit in configuration mode goes up to exec mode, the shell stays",
      read_until(r"exit\n(.*\n)?xbr-test# $"))
send("show bri")
read_until(r"show bri$")
send("\x03")
check("Ctrl-C drops the line and the shell stays",
      read_until(r"\^C\n(.*\n)?xbr-test# $"))
send("show version\n")
check("the dropped line is gone: the next one runs alone",
      read_until(r"xbr \S+: XDP Ethernet switch\n(.*\n)?xbr-test# $"))
send("configure\nbridge br0\n")
read_until(r"xbr-test\(config-br-br0\)# $")
send("do ?")
check("? after do lists the exec commands",
      read_until(r"clear.*\n(.*\n)*.*write.*\n"))
read_until(r"# do $")
send("\x15do show version\n")
check("do runs an exec command in a configuration mode",
      read_until(r"XDP Ethernet switch\n(.*\n)?xbr-test\(config-br-br0\)# $"))
send("port e2")
read_until(r"port e2$")
send("\x1a")
check("Ctrl-Z drops the line and goes back to exec mode",
      read_until(r"\^Z\n(.*\n)?xbr-test# $"))
send("show interfaces e2\n")
check("the line Ctrl-Z dropped did not run",
      read_until(r"% e2 is not a port\n(.*\n)?xbr-test# $"))
send("terminal length 4\n")
read_until(r"xbr-test# $")
send("show history\n")
check("a long output stops at a page with --More--",
      read_until(r"show history\n(  .*\n){3}--More--$"))
send(" ")
check("space shows the next page", read_until(r"--More--$"))
send("q")
check("q leaves the pager, back to the prompt", read_until(r"xbr-test# $"))
send("show history | count\n")
check("a filter counts lines", read_until(r"\n\d+\n(.*\n)?xbr-test# $"))
send("no terminal length\n")
read_until(r"xbr-test# $")

send("exit\n")
_, status = os.waitpid(pid, 0)
check("exit leaves the shell", os.WIFEXITED(status) and
      os.WEXITSTATUS(status) == 0)

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
