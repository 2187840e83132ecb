#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""xbr benchmarks: forwarding rates side by side with the bare-redirect
ceiling and the Linux bridge, in one run, and control-plane figures.

Run through scripts/bench.sh (it installs, builds, and gives this script a
network namespace of its own). Every case has its own identical veth pairs
(two queues each, made so from the start): generator -> port A -> switch
under test -> port B -> sink. Rounds interleave the cases, so that what
the machine does meanwhile falls on all of them alike; the table shows the
median of the rounds with min-max and the ratio to the ceiling measured
with the same number of generator threads.
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PKTGEN = os.path.join(TOP, "tools", "xbr-pktgen")
DPCTL = os.path.join(TOP, "tools", "xbr-dpctl")
SWITCHD = os.path.join(TOP, "switchd", "xbr-switchd")
CLI = os.path.join(TOP, "cli", "xbr-cli")
PIN = "/sys/fs/bpf/xbr-bench"
DST = "02:00:00:02:00:00"


def sh(*args, check=True, capture=False):
    r = subprocess.run(args, check=check, text=True,
                       stdout=subprocess.PIPE if capture else None)
    return r.stdout if capture else r.returncode


def veth(a, b):
    sh("ip", "link", "add", a, "numtxqueues", "2", "numrxqueues", "2",
       "type", "veth", "peer", "name", b, "numtxqueues", "2",
       "numrxqueues", "2")
    sh("ip", "link", "set", a, "up")
    sh("ip", "link", "set", b, "up")


def dpctl(*args):
    return sh(DPCTL, "-r", PIN, *args, capture=True)


class Case:
    """One switch under test on its own ports: gen<n> -> a<n> ... b<n> -> s<n>."""
    count = 0

    def __init__(self, name, kind, threads=1, outs=1, pktgen_args=(),
                 fdb_fill=0):
        Case.count += 1
        self.n = Case.count
        self.name, self.kind, self.threads = name, kind, threads
        self.outs, self.pktgen_args, self.fdb_fill = outs, pktgen_args, fdb_fill
        self.gen, self.a = "g%d" % self.n, "a%d" % self.n
        self.bs = ["b%d_%d" % (self.n, i) for i in range(outs)]
        self.sinks = ["s%d_%d" % (self.n, i) for i in range(outs)]
        self.trials = []
        self.proc = None

    def setup(self):
        veth(self.gen, self.a)
        for b, s in zip(self.bs, self.sinks):
            veth(b, s)
        if self.kind == "ceiling":
            self.proc = subprocess.Popen(
                [PKTGEN, "forward", "-i", self.a, "-o", self.bs[0]],
                stdout=subprocess.DEVNULL)
        elif self.kind == "bridge":
            br = "lb%d" % self.n
            sh("ip", "link", "add", br, "type", "bridge")
            for p in [self.a] + self.bs:
                sh("ip", "link", "set", p, "master", br)
            sh("ip", "link", "set", br, "up")
            # the generator's XDP_TX into a veth needs NAPI at its peer
            sh("ethtool", "-K", self.a, "gro", "on", capture=True)
            sh("bridge", "fdb", "add", DST, "dev", self.bs[0], "master",
               "static")
        else:
            br = "x%d" % self.n
            cap = ["--fdb-capacity", str(max(65536, self.fdb_fill + 131072))]
            dpctl(br, "create", *cap)
            for p in [self.a] + self.bs:
                dpctl(br, "port", "add", p)
            dpctl(br, "fdb", "add", DST, "1", self.bs[0])
            if self.fdb_fill:
                dpctl(br, "fdb", "fill", str(self.fdb_fill), self.bs[0])
        time.sleep(0.2)

    def run(self, seconds):
        out = sh(PKTGEN, "run", "-i", self.gen, "-d", str(seconds),
                 "--warmup", "0.3", "-t", str(self.threads), "--sink",
                 ",".join(self.sinks), "-j", *self.pktgen_args, capture=True)
        r = json.loads(out)
        self.trials.append(r["delivered_mpps"])
        return r


def median_row(c, ceilings):
    med = statistics.median(c.trials)
    ceil = ceilings.get(c.threads)
    return {
        "case": c.name, "threads": c.threads,
        "median_mpps": round(med, 4), "min_mpps": round(min(c.trials), 4),
        "max_mpps": round(max(c.trials), 4),
        "trials": [round(t, 4) for t in c.trials],
        "ratio_to_ceiling": round(med / ceil, 3) if ceil else None,
    }


def learning_rate(total):
    """RFC 2889 5.8: new sources at full load, each frame a new address."""
    veth("gL", "aL")
    veth("bL", "sL")
    dpctl("xl", "create", "--fdb-capacity", str(total + 65536))
    dpctl("xl", "port", "add", "aL")
    dpctl("xl", "port", "add", "bL")
    dpctl("xl", "fdb", "add", DST, "1", "bL")
    start = time.time()
    out = json.loads(sh(PKTGEN, "run", "-i", "gL", "-n", str(total),
                        "--src-macs", str(total), "--sink", "sL", "-j",
                        capture=True))
    wall = time.time() - start
    stats = dpctl("xl", "stats", "aL")
    learned = int(stats.split("learned")[1].split()[0])
    rx = int(stats.split("rx")[1].split()[0])
    r = {
        "sources": total, "learned": learned,
        "seconds": round(out["seconds"], 3),
        "learned_per_second": round(learned / out["seconds"]),
        "received": rx, "delivered": out["delivered"],
        "lost": rx - out["delivered"], "wall_seconds": round(wall, 2),
    }
    dpctl("xl", "destroy")
    return r


def control_plane(tmp):
    """Figures of the daemon and the shell."""
    figures = {}
    sock, db = os.path.join(tmp, "sock"), os.path.join(tmp, "db")
    conf = os.path.join(tmp, "startup.conf")

    def cli(*cmds, out=subprocess.DEVNULL):
        args = [CLI, "-s", sock]
        for c in cmds:
            args += ["-c", c]
        return subprocess.run(args, stdout=out, check=True, text=True)

    def start():
        p = subprocess.Popen([SWITCHD, "-d", db, "-s", sock, "-c", conf,
                              "-p", PIN + "-d"], stderr=subprocess.DEVNULL)
        while not os.path.exists(sock):
            time.sleep(0.005)
        return p

    def stop(p):
        p.terminate()
        p.wait()

    # a startup config of 64 ports: from exec to every port attached
    for i in range(64):
        veth("c%d" % i, "d%d" % i)
    with open(conf, "w") as f:
        f.write("bridge big\n" + "".join(" port c%d\n" % i
                                         for i in range(64)) + " exit\n")
    t0 = time.time()
    p = start()
    while True:
        out = subprocess.run([CLI, "-s", sock, "-c", "show interfaces"],
                             capture_output=True, text=True).stdout
        if out.count(" native ") == 64:
            break
        time.sleep(0.005)
    figures["startup_64_ports_seconds"] = round(time.time() - t0, 3)
    cli("configure", "no bridge big")
    stop(p)
    for i in range(64):
        sh("ip", "link", "del", "c%d" % i)
    os.unlink(conf)
    for f in os.listdir(tmp):
        os.unlink(os.path.join(tmp, f))

    # port add to the first forwarded frame, with the generator running
    veth("gP", "aP")
    veth("bP", "sP")
    sh("ethtool", "-K", "aP", "gro", "on", capture=True)
    p = start()
    cli("configure", "bridge pa", "port bP",
        "mac static %s vlan 1 interface bP" % DST)
    gen = subprocess.Popen([PKTGEN, "run", "-i", "gP", "-d", "30"],
                           stdout=subprocess.DEVNULL)
    sink = subprocess.Popen([PKTGEN, "sink", "-i", "sP", "--first"],
                            stdout=subprocess.PIPE, text=True)
    sink.stdout.readline()  # "ready"
    time.sleep(0.5)
    t0 = time.clock_gettime(time.CLOCK_MONOTONIC)
    cli("bridge pa port add aP")
    first = float(sink.stdout.readline().split()[-1])
    figures["port_add_to_first_frame_ms"] = round((first - t0) * 1000, 2)
    gen.terminate()
    gen.wait()
    sink.wait()

    # the MAC table of 100,000 entries through xbr-cli
    cli("configure", "bridge pa", "fdb-capacity 1200000", "port bP")
    subprocess.run([DPCTL, "-r", PIN + "-d", "pa", "fdb", "fill", "100000",
                    "bP"], check=True, stdout=subprocess.DEVNULL)
    runs = []
    for _ in range(3):
        t0 = time.time()
        cli("show mac address-table")
        runs.append(time.time() - t0)
    figures["show_mac_100k_seconds"] = round(statistics.median(runs), 3)

    # the daemon's memory with 1,000,000 entries (after showing them all)
    subprocess.run([DPCTL, "-r", PIN + "-d", "pa", "fdb", "fill", "1000000",
                    "bP"], check=True, stdout=subprocess.DEVNULL)
    cli("show mac address-table count")
    with open("/proc/%d/status" % p.pid) as f:
        st = dict(l.split(":", 1) for l in f)
    figures["rss_1m_entries_mib"] = round(int(st["VmRSS"].split()[0]) / 1024, 1)
    cli("show mac address-table")
    with open("/proc/%d/status" % p.pid) as f:
        st = dict(l.split(":", 1) for l in f)
    figures["rss_1m_after_full_show_mib"] = round(
        int(st["VmRSS"].split()[0]) / 1024, 1)
    figures["rss_peak_mib"] = round(int(st["VmHWM"].split()[0]) / 1024, 1)
    cli("configure", "no bridge pa")
    stop(p)
    return figures


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seconds", type=float, default=2.0)
    ap.add_argument("--json", default="bench.json")
    ap.add_argument("--quick", action="store_true",
                    help="2 rounds of 1 s, no control-plane figures")
    a = ap.parse_args()
    if a.quick:
        a.rounds, a.seconds = 2, 1.0

    sh("ip", "link", "set", "lo", "up")
    # no IPv6: its neighbour discovery would add frames to the counts
    for k in ("all", "default"):
        with open("/proc/sys/net/ipv6/conf/%s/disable_ipv6" % k, "w") as f:
            f.write("1")
    for k in ("iptables", "ip6tables", "arptables"):
        path = "/proc/sys/net/bridge/bridge-nf-call-" + k
        if os.path.exists(path):
            with open(path, "w") as f:
                f.write("0")
    big = ["--src-macs"]
    cases = [
        Case("ceiling (bare XDP redirect)", "ceiling"),
        Case("Linux bridge", "bridge"),
        Case("xbr known unicast", "xbr"),
        Case("xbr, FDB of 1,000, 1 source", "xbr", fdb_fill=1000),
        Case("xbr, FDB of 1,000,000, 1 source", "xbr", fdb_fill=1000000),
        Case("xbr, FDB of 1,000,000, 256 sources", "xbr",
             pktgen_args=big + ["256"], fdb_fill=1000000),
        Case("xbr, FDB of 1,000,000, 65,536 sources", "xbr",
             pktgen_args=big + ["65536"], fdb_fill=1000000),
        Case("xbr broadcast to 2 ports (all copies)", "xbr", outs=2,
             pktgen_args=["--dst", "ff:ff:ff:ff:ff:ff"]),
        Case("xbr broadcast to 8 ports (all copies)", "xbr", outs=8,
             pktgen_args=["--dst", "ff:ff:ff:ff:ff:ff"]),
        Case("ceiling, 2 threads", "ceiling", threads=2),
        Case("Linux bridge, 2 threads", "bridge", threads=2),
        Case("xbr known unicast, 2 threads", "xbr", threads=2),
    ]
    print("setting up %d cases ..." % len(cases), file=sys.stderr)
    for c in cases:
        c.setup()
    for r in range(a.rounds):
        print("round %d of %d ..." % (r + 1, a.rounds), file=sys.stderr)
        for c in cases:
            c.run(a.seconds)
    for c in cases:
        if c.proc:
            c.proc.terminate()
    ceilings = {c.threads: statistics.median(c.trials)
                for c in cases if c.kind == "ceiling"}
    rows = [median_row(c, ceilings) for c in cases]

    print("learning rate ...", file=sys.stderr)
    learn = learning_rate(1000000)
    control = {}
    if not a.quick:
        print("control plane ...", file=sys.stderr)
        with tempfile.TemporaryDirectory() as tmp:
            control = control_plane(tmp)

    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    machine = {"kernel": platform.release(), "cpu": cpu,
               "cpus": os.cpu_count(), "frame_bytes": 64,
               "rounds": a.rounds, "seconds_per_trial": a.seconds}

    print("\n%-42s %3s %8s %17s %9s" % ("case", "thr", "Mpps", "min-max",
                                        "/ceiling"))
    for r in rows:
        print("%-42s %3d %8.3f %8.3f-%-8.3f %8s" % (
            r["case"], r["threads"], r["median_mpps"], r["min_mpps"],
            r["max_mpps"], "%.1f%%" % (100 * r["ratio_to_ceiling"])
            if r["ratio_to_ceiling"] else "-"))
    print("\nlearning: %d new sources, %d learned in %.3f s: %d per second, "
          "%d lost" % (learn["sources"], learn["learned"], learn["seconds"],
                       learn["learned_per_second"], learn["lost"]))
    for k, v in control.items():
        print("%s: %s" % (k, v))

    by = {r["case"]: r for r in rows}
    bridge1 = by["Linux bridge"]["median_mpps"]
    xbr1 = by["xbr known unicast"]["median_mpps"]
    targets = [
        ("xbr known unicast >= 90% of the ceiling (1 thread)",
         by["xbr known unicast"]["ratio_to_ceiling"] >= 0.9),
        ("xbr known unicast >= 90% of the ceiling (2 threads)",
         by["xbr known unicast, 2 threads"]["ratio_to_ceiling"] >= 0.9),
        ("xbr >= 4x the Linux bridge (1 thread: %.2fx)" % (xbr1 / bridge1),
         xbr1 >= 4 * bridge1),
        ("FDB of 1,000,000 >= 85%% of the rate with 1,000 (%.1f%%)" % (
            100 * by["xbr, FDB of 1,000,000, 1 source"]["median_mpps"] /
            by["xbr, FDB of 1,000, 1 source"]["median_mpps"]),
         by["xbr, FDB of 1,000,000, 1 source"]["median_mpps"] >=
         0.85 * by["xbr, FDB of 1,000, 1 source"]["median_mpps"]),
    ]
    if control:
        targets.append(("show mac address-table of 100,000 in < 1 s (%.3f s)"
                        % control["show_mac_100k_seconds"],
                        control["show_mac_100k_seconds"] < 1.0))
    print()
    for what, ok in targets:
        print("%-4s %s" % ("met" if ok else "MISS", what))
    with open(a.json, "w") as f:
        json.dump({"machine": machine, "cases": rows, "learning": learn,
                   "control_plane": control,
                   "targets": [{"target": w, "met": ok} for w, ok in targets]},
                  f, indent=1)
    print("\nJSON: %s" % a.json)


if __name__ == "__main__":
    main()
