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
import struct
import subprocess
import sys
import tempfile
import time

# XBR_BENCH_TOP: measure the binaries of another build tree (a baseline)
TOP = os.environ.get("XBR_BENCH_TOP") or os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))
PKTGEN = os.path.join(TOP, "tools", "xbr-pktgen")
DPCTL = os.path.join(TOP, "tools", "xbr-dpctl")
SWITCHD = os.path.join(TOP, "switchd", "xbr-switchd")
CLI = os.path.join(TOP, "cli", "xbr-cli")
PIN = os.environ.get("XBR_BENCH_PIN", "/sys/fs/bpf/xbr-bench")
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
                 fdb_fill=0, budget=False, profile=False, storm=None,
                 mirror=None):
        Case.count += 1
        self.n = Case.count
        self.name, self.kind, self.threads = name, kind, threads
        self.outs, self.pktgen_args, self.fdb_fill = outs, pktgen_args, fdb_fill
        self.gen, self.a = "g%d" % self.n, "a%d" % self.n
        self.bs = ["b%d_%d" % (self.n, i) for i in range(outs)]
        self.sinks = ["s%d_%d" % (self.n, i) for i in range(outs)]
        self.budget, self.profile = budget, profile
        self.storm = storm  # (kind, frames per second) on port A
        # "rx": a's received frames copied to the last port; "tx": the
        # first port's sent frames; the rate is then the first sink's
        self.mirror, self.copies = mirror, []
        self.trials = []
        self.proc = None
        self.is_up = False

    def setup(self):
        veth(self.gen, self.a)
        for b, s in zip(self.bs, self.sinks):
            veth(b, s)
        if self.kind in ("ceiling", "ceiling-egress"):
            # ceiling-egress: the same through an egress program that
            # does nothing (what the kernel's running of one costs)
            self.proc = subprocess.Popen(
                [PKTGEN, "forward", "-i", self.a, "-o", self.bs[0]] +
                (["--egress-program"] if self.kind == "ceiling-egress"
                 else []), stdout=subprocess.DEVNULL)
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
        time.sleep(0.2)

    def up(self):
        """An xbr case's bridge, made for each trial and gone after it
        (down()): every bridge's tracepoint programs run on every NAPI
        poll and devmap flush of the machine, for any traffic, so a bridge
        left standing would slow every other case (doc/performance.md)."""
        if self.kind != "xbr" or self.is_up:
            return
        self.is_up = True
        br = "x%d" % self.n
        cap = ["--fdb-capacity", str(max(65536, self.fdb_fill + 131072))]
        dpctl(br, "create", *cap)
        for p in [self.a] + self.bs:
            dpctl(br, "port", "add", p)
        dpctl(br, "fdb", "add", DST, "1", self.bs[0])
        if self.fdb_fill:
            dpctl(br, "fdb", "fill", str(self.fdb_fill), self.bs[0])
        if self.storm:
            dpctl(br, "port", "storm", self.a, self.storm[0],
                  str(self.storm[1]))
        if self.mirror:
            src = self.a if self.mirror == "rx" else self.bs[0]
            dest = self.bs[-1]
            dpctl(br, "port", "mirror", dest, "destination",
                  *([src] if self.mirror == "tx" else []))
            dpctl(br, "port", "mirror", src, self.mirror, dest)
        time.sleep(0.2)

    def down(self):
        if self.is_up:
            self.is_up = False
            dpctl("x%d" % self.n, "destroy")

    def command(self, seconds):
        return [PKTGEN, "run", "-i", self.gen, "-d", str(seconds),
                "--warmup", "0.3", "-t", str(self.threads), "--sink",
                ",".join(self.sinks), "-j"] + list(self.pktgen_args)

    def trial(self, seconds):
        """One trial of the rounds, the case's bridge up for it."""
        self.up()
        try:
            return self.run(seconds)
        finally:
            self.down()

    def run(self, seconds, keep=True):
        out = sh(*self.command(seconds), capture=True)
        r = json.loads(out)
        if self.mirror:  # the mirrored port's own rate, copies apart
            r["copies_mpps"] = r["sinks"][self.sinks[-1]] / r["seconds"] / 1e6
            r["delivered_mpps"] = (r["sinks"][self.sinks[0]] / r["seconds"]
                                   / 1e6)
            if keep:
                self.copies.append(r["copies_mpps"])
        if keep:
            self.trials.append(r["delivered_mpps"])
        return r


def bpf_stats_enable():
    """BPF_ENABLE_STATS: run time counted while the returned fd is open
    (the sysctl kernel.bpf_stats_enabled is left as it is)."""
    return bpf(32, bytes(128))[0]  # enable_stats.type = RUN_TIME


def xdp_prog_id(dev):
    link = json.loads(sh("ip", "-j", "-d", "link", "show", "dev", dev,
                         capture=True))[0]
    xdp = link.get("xdp", {})
    prog = xdp.get("prog") or (xdp.get("attached") or [{}])[0].get("prog")
    return prog["id"]


def prog_info(pid):
    return json.loads(sh("bpftool", "-j", "prog", "show", "id", str(pid),
                         capture=True))


def bpf(cmd, attr):
    """The bpf(2) system call on a bytes-like attr: (its result, the
    attr after it); -1 on a machine whose call number is not known."""
    import ctypes
    nr = {"x86_64": 321, "aarch64": 280}.get(platform.machine())
    if nr is None:
        return -1, None
    libc = ctypes.CDLL(None, use_errno=True)
    buf = ctypes.create_string_buffer(bytes(attr), len(attr))
    return libc.syscall(nr, cmd, buf, len(attr)), buf


def obj_info(fd, size, fill=b""):
    """BPF_OBJ_GET_INFO_BY_FD into a buffer of size bytes, starting as
    fill (the arrays asked for)."""
    import ctypes
    info = ctypes.create_string_buffer(fill.ljust(size, b"\0"), size)
    attr = struct.pack("IIQ", fd, size, ctypes.addressof(info))
    r, _ = bpf(15, attr)
    if r < 0:
        raise OSError(ctypes.get_errno(), "BPF_OBJ_GET_INFO_BY_FD")
    return info


def prog_lines(pid):
    """The source line of each part of a loaded program's JITed code:
    ([(address, "file:line", source text)] sorted by address, [(start,
    end)] of each of its functions' code), from the program's
    jited_line_info and line_info, its functions' addresses and lengths,
    and its BTF's strings. ([], []) where the kernel does not say."""
    import ctypes
    fd, _ = bpf(13, struct.pack("III", pid, 0, 0))  # PROG_GET_FD_BY_ID
    if fd < 0:
        return [], []
    try:
        size = 232  # struct bpf_prog_info up to attach_btf_id
        info = obj_info(fd, size).raw
        nk, nf = struct.unpack_from("II", info, 104)
        btf_id, = struct.unpack_from("I", info, 128)
        nl, = struct.unpack_from("I", info, 148)
        nj, lsz, jsz = struct.unpack_from("III", info, 168)
        li = ctypes.create_string_buffer(nl * lsz)
        jl = ctypes.create_string_buffer(nj * jsz)
        ks = ctypes.create_string_buffer(nk * 8)
        fl = ctypes.create_string_buffer(nf * 4)
        fill = bytearray(size)
        struct.pack_into("IIQQ", fill, 104, nk, nf, ctypes.addressof(ks),
                         ctypes.addressof(fl))
        struct.pack_into("I", fill, 148, nl)
        struct.pack_into("QQIII", fill, 152, ctypes.addressof(li),
                         ctypes.addressof(jl), nj, lsz, jsz)
        obj_info(fd, size, bytes(fill))
    finally:
        os.close(fd)
    funcs = [(struct.unpack_from("Q", ks.raw, 8 * i)[0],
              struct.unpack_from("I", fl.raw, 4 * i)[0])
             for i in range(min(nk, nf))]
    funcs = [(a, a + n) for a, n in funcs if a]
    # addresses hidden (kptr_restrict): no table rather than a wrong one
    if not funcs or not nj:
        return [], []
    bfd, _ = bpf(19, struct.pack("I", btf_id))  # BTF_GET_FD_BY_ID
    if bfd < 0:
        return [], []
    try:
        size, = struct.unpack_from("I", obj_info(bfd, 32).raw, 8)
        raw = ctypes.create_string_buffer(size)
        obj_info(bfd, 32, struct.pack("QI", ctypes.addressof(raw), size))
    finally:
        os.close(bfd)
    hdr_len, = struct.unpack_from("I", raw.raw, 4)
    str_off, = struct.unpack_from("I", raw.raw, 16)
    strs = raw.raw[hdr_len + str_off:]

    def name(off):
        return strs[off:strs.index(b"\0", off)].decode(errors="replace")

    out = []
    for i in range(min(nl, nj)):
        _, file_off, line_off, col = struct.unpack_from("IIII", li.raw,
                                                        i * lsz)
        addr, = struct.unpack_from("Q", jl.raw, i * jsz)
        out.append((addr, "%s:%d" % (os.path.basename(name(file_off)),
                                     col >> 10), name(line_off).strip()))
    # by address only, stably: of records at one address (instructions
    # that made no code) the last in the program is the code's
    out.sort(key=lambda t: t[0])
    return out, funcs


def by_line(lines, funcs, ips, frames, freq):
    """ns per frame of each source line of a program, from its samples'
    addresses (perf's skid puts a stall on the instruction after it);
    only addresses inside its functions' code count (another program of
    the same name, another bridge's, is not this one)."""
    import bisect
    addrs = [a for a, _, _ in lines]
    ns = {}
    for ip in ips:
        if not any(a <= ip < e for a, e in funcs):
            continue
        i = bisect.bisect_right(addrs, ip) - 1
        if i >= 0:
            ns[i] = ns.get(i, 0) + 1
    per = {}
    for i, n in ns.items():
        _, loc, _ = lines[i]
        per[loc] = per.get(loc, 0) + n * 1e9 / freq / frames
    text = {}
    for _, loc, src in lines:
        if src and loc not in text:
            text[loc] = src
    return [[loc, text.get(loc, ""), round(v, 1)]
            for loc, v in sorted(per.items(), key=lambda x: -x[1])][:20]


# the tracepoint programs a bridge loads (kernel/xbr_direct.bpf.c,
# kernel/xbr_losses.bpf.c)
TRACE_PROGS = ("xbr_poll_end", "xbr_devmap_xmit", "xbr_redirect_err",
               "xbr_defer_drops")

# perf symbols of the known-unicast path, by part; "program": the XDP
# program of the ingress port (the ceiling's is xbr_fwd)
PARTS = [
    ("program", lambda s: s.startswith("bpf_prog_") and
     s.endswith(("_xbr_ingress", "_xbr_fwd"))),
    ("tracepoints", lambda s: s.startswith(("bpf_trace_run", "__bpf_trace_"))
     or (s.startswith("bpf_prog_") and s.endswith(TRACE_PROGS))),
    ("fdb_hash", lambda s: s.startswith("htab_") or s in (
        "lookup_nulls_elem_raw", "__htab_map_lookup_elem", "memcmp",
        "jhash", "__pcpu_freelist_pop", "pcpu_freelist_pop")),
    ("devmap", lambda s: s in ("dev_hash_map_redirect",
                               "__dev_map_hash_lookup_elem")),
    ("clock", lambda s: "ktime_get_coarse" in s),
]


def perf_parts(c, seconds):
    """Per-frame ns of each part, from perf samples on CPU 0 (where the
    one generator thread and its frames' path run) while c runs, counting
    only the generator's thread and the CPU's softirq thread: samples x
    period / frames, so other work on the CPU does not count."""
    freq = 5000
    with tempfile.NamedTemporaryFile(suffix=".perf") as f:
        gen = subprocess.Popen(c.command(seconds), stdout=subprocess.PIPE,
                               text=True)
        perf = subprocess.Popen(["perf", "record", "-q", "-e", "cpu-clock",
                                 "-F", str(freq), "-C", "0", "-o", f.name,
                                 "--", "sleep", str(seconds)],
                                stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        r = json.loads(gen.communicate()[0])
        if perf.wait():
            return None
        out = subprocess.run(["perf", "script", "-i", f.name, "-F",
                              "pid,comm,ip,sym"], capture_output=True,
                             text=True).stdout
    counts = {name: 0 for name, _ in PARTS}
    counts["all"] = 0
    ips = []
    for line in out.splitlines():
        w = line.split()
        if len(w) < 3 or not (w[1] == str(gen.pid) or
                              w[0].startswith("ksoftirqd")):
            continue
        sym = " ".join(w[3:])
        counts["all"] += 1
        for name, match in PARTS:
            if match(sym):
                counts[name] += 1
                if name == "program":
                    ips.append(int(w[2], 16))
                break
    frames = r["delivered_mpps"] * 1e6 * seconds
    parts = {k: round(v * 1e9 / freq / frames, 1) for k, v in counts.items()}
    parts["mpps"] = round(r["delivered_mpps"], 3)
    # the program's own time by source line (the program stays attached)
    try:
        lines, funcs = prog_lines(xdp_prog_id(c.a))
    except (OSError, ValueError, KeyError, IndexError, struct.error):
        lines, funcs = [], []
    parts["lines"] = by_line(lines, funcs, ips, frames, freq)
    return parts


EGRESS_PROGS = ("xbr_egress", "xbr_fwd_egress")


def progs_named(names):
    """run_cnt, run_time_ns and name of every program of these names."""
    out = json.loads(sh("bpftool", "-j", "prog", "show", capture=True))
    return {p["id"]: (p.get("run_cnt", 0), p.get("run_time_ns", 0),
                      p.get("name"))
            for p in out if p.get("name") in names}


def egress_progs():
    """run_cnt and run_time_ns of every devmap egress program there is."""
    return progs_named(EGRESS_PROGS)


def budget(cases, seconds):
    """The per-frame cost of the programs: bpf_stats run time per run of
    the ingress program and of the egress programs that ran,
    instructions after the verifier, JITed size; then perf's parts of the
    cases marked for it (without bpf_stats on)."""
    fd = bpf_stats_enable()
    if fd < 0:
        return []
    rows = []
    try:
        for c in cases:
            c.up()
            pid = xdp_prog_id(c.a)
            per_run, rates, egress, traced = [], [], [], {}
            for _ in range(3):
                before, eb = prog_info(pid), egress_progs()
                tb = progs_named(TRACE_PROGS)
                r = c.run(seconds, keep=False)
                after, ea = prog_info(pid), egress_progs()
                ta = progs_named(TRACE_PROGS)
                runs = after.get("run_cnt", 0) - before.get("run_cnt", 0)
                # the tracepoint programs' runs per ingress run (the only
                # bridge standing is this case's)
                for i, (n, _, name) in ta.items():
                    traced.setdefault(name, []).append(
                        (n - tb.get(i, (0,))[0]) / max(runs, 1))
                per_run.append((after.get("run_time_ns", 0) -
                                before.get("run_time_ns", 0)) / max(runs, 1))
                eruns = sum(ea[i][0] - eb.get(i, (0, 0))[0] for i in ea)
                etime = sum(ea[i][1] - eb.get(i, (0, 0))[1] for i in ea)
                if eruns:
                    egress.append(etime / eruns)
                rates.append(r["delivered_mpps"])
            rows.append({"case": c.name, "program": after.get("name"),
                         "ns_per_run": round(statistics.median(per_run), 1),
                         "egress_ns_per_run": round(statistics.median(
                             egress), 1) if egress else None,
                         "ns_per_run_all": [round(x, 1) for x in per_run],
                         "trace_runs_per_frame": {
                             k: round(statistics.median(v), 4)
                             for k, v in traced.items()},
                         "insns": after.get("bytes_xlated", 0) // 8,
                         "jited_bytes": after.get("bytes_jited"),
                         "mpps": round(statistics.median(rates), 3)})
            c.down()
    finally:
        os.close(fd)
    for c, row in zip(cases, rows):
        if c.profile:
            c.up()
            try:
                row["perf_ns"] = perf_parts(c, seconds)
            finally:
                c.down()
    return rows


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


def learning_rate(total, runs=3):
    """RFC 2889 5.8: new sources at full load, each frame a new address;
    the run of the median rate of several, each on a new bridge."""
    trials = []
    for i in range(runs):
        trials.append(learning_run(total, i))
    trials.sort(key=lambda r: r["learned_per_second"])
    r = dict(trials[len(trials) // 2])
    r["trials_per_second"] = [t["learned_per_second"] for t in trials]
    r["lost"] = max(t["lost"] for t in trials)
    return r


def learning_run(total, i):
    veth("gL%d" % i, "aL%d" % i)
    veth("bL%d" % i, "sL%d" % i)
    dpctl("xl%d" % i, "create", "--fdb-capacity", str(total + 65536))
    dpctl("xl%d" % i, "port", "add", "aL%d" % i)
    dpctl("xl%d" % i, "port", "add", "bL%d" % i)
    dpctl("xl%d" % i, "fdb", "add", DST, "1", "bL%d" % i)
    start = time.time()
    out = json.loads(sh(PKTGEN, "run", "-i", "gL%d" % i, "-n", str(total),
                        "--src-macs", str(total), "--sink", "sL%d" % i, "-j",
                        capture=True))
    wall = time.time() - start
    stats = dpctl("xl%d" % i, "stats", "aL%d" % i)
    learned = int(stats.split("learned")[1].split()[0])
    rx = int(stats.split("rx")[1].split()[0])
    r = {
        "sources": total, "learned": learned,
        "seconds": round(out["seconds"], 3),
        "learned_per_second": round(learned / out["seconds"]),
        "received": rx, "delivered": out["delivered"],
        "lost": rx - out["delivered"], "wall_seconds": round(wall, 2),
    }
    dpctl("xl%d" % i, "destroy")
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
    ap.add_argument("--budget-only", action="store_true",
                    help="only the per-frame cost budget (bpf_stats, perf)")
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
    bcast = ["--dst", "ff:ff:ff:ff:ff:ff"]
    cases = [
        Case("ceiling (bare XDP redirect)", "ceiling", budget=True,
             profile=True),
        Case("ceiling through an egress program that does nothing",
             "ceiling-egress", budget=True),
        Case("Linux bridge", "bridge"),
        Case("xbr known unicast", "xbr", budget=True, profile=True),
        Case("xbr known unicast, rx mirrored (original frames)", "xbr",
             outs=2, mirror="rx", budget=True, profile=True),
        Case("xbr known unicast, tx mirrored (original frames)", "xbr",
             outs=2, mirror="tx", budget=True, profile=True),
        Case("xbr, FDB of 1,000, 1 source", "xbr", fdb_fill=1000),
        Case("xbr, FDB of 1,000,000, 1 source", "xbr", fdb_fill=1000000),
        Case("xbr, FDB of 1,000,000, 256 sources", "xbr",
             pktgen_args=big + ["256"], fdb_fill=1000000),
        Case("xbr, FDB of 1,000,000, 65,536 sources", "xbr",
             pktgen_args=big + ["65536"], fdb_fill=1000000, budget=True,
             profile=True),
        Case("xbr broadcast to 2 ports (all copies)", "xbr", outs=2,
             pktgen_args=bcast, budget=True),
        Case("Linux bridge broadcast to 2 ports (all copies)", "bridge",
             outs=2, pktgen_args=bcast),
        Case("xbr broadcast to 8 ports (all copies)", "xbr", outs=8,
             pktgen_args=bcast),
        Case("Linux bridge broadcast to 8 ports (all copies)", "bridge",
             outs=8, pktgen_args=bcast),
        # storm control: every broadcast through the port's bucket (a
        # limit above any rate here), and a port with it for known unicast
        Case("xbr broadcast to 2 ports, storm control above the rate", "xbr",
             outs=2, pktgen_args=bcast, budget=True,
             storm=("broadcast", 1000000000)),
        Case("xbr known unicast, storm control on the port", "xbr",
             budget=True, storm=("broadcast", 1000)),
        Case("ceiling, 2 threads", "ceiling", threads=2),
        Case("Linux bridge, 2 threads", "bridge", threads=2),
        Case("xbr known unicast, 2 threads", "xbr", threads=2),
        # two CPUs on one shared bucket: what its atomics cost
        Case("xbr broadcast to 2 ports (all copies), 2 threads", "xbr",
             outs=2, threads=2, pktgen_args=bcast, budget=True),
        Case("xbr broadcast to 2 ports, storm control above the rate, "
             "2 threads", "xbr", outs=2, threads=2, pktgen_args=bcast,
             budget=True, storm=("broadcast", 1000000000)),
    ]
    if a.budget_only:
        cases = [c for c in cases if c.budget]
    try:
        measure(a, cases)
    finally:
        for c in cases:
            if c.proc:
                c.proc.terminate()
                c.proc.wait()
            try:
                c.down()
            except subprocess.CalledProcessError:
                pass


def measure(a, cases):
    print("setting up %d cases ..." % len(cases), file=sys.stderr)
    for c in cases:
        c.setup()
    rounds = 0 if a.budget_only else a.rounds
    for r in range(rounds):
        print("round %d of %d ..." % (r + 1, a.rounds), file=sys.stderr)
        for c in cases:
            c.trial(a.seconds)
    print("cost budget ...", file=sys.stderr)
    costs = budget([c for c in cases if c.budget], a.seconds)
    for r in costs:
        print("%-42s %-12s %6s ns/run %s egress %s %5d insns %5s B  %s" % (
            r["case"], r["program"], r["ns_per_run"], r["ns_per_run_all"],
            r["egress_ns_per_run"],
            r["insns"],
            r["jited_bytes"], {k: v for k, v in (r.get("perf_ns") or
                                                   {}).items()
                               if k != "lines"}))
    if a.budget_only:
        with open(a.json, "w") as f:
            json.dump({"budget": costs}, f, indent=1)
        print("\nJSON: %s" % a.json)
        return
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

    print("\n%-48s %3s %8s %17s %9s" % ("case", "thr", "Mpps", "min-max",
                                        "/ceiling"))
    for c, r in zip(cases, rows):
        if c.copies:
            r["copies_median_mpps"] = round(statistics.median(c.copies), 4)
    for r in rows:
        print("%-48s %3d %8.3f %8.3f-%-8.3f %8s" % (
            r["case"], r["threads"], r["median_mpps"], r["min_mpps"],
            r["max_mpps"], "%.1f%%" % (100 * r["ratio_to_ceiling"])
            if r["ratio_to_ceiling"] else "-"))
    for r in rows:
        if "copies_median_mpps" in r:
            print("%s: copies %.3f Mpps" % (r["case"],
                                            r["copies_median_mpps"]))
    print("\nlearning: %d new sources, %d learned in %.3f s: %d per second, "
          "%d lost" % (learn["sources"], learn["learned"], learn["seconds"],
                       learn["learned_per_second"], learn["lost"]))
    for k, v in control.items():
        print("%s: %s" % (k, v))

    by = {r["case"]: r for r in rows}
    mpps = lambda name: by[name]["median_mpps"]
    ratio = lambda name: by[name]["ratio_to_ceiling"]
    x1 = mpps("xbr known unicast") / mpps("Linux bridge")
    x2 = mpps("xbr known unicast, 2 threads") / mpps("Linux bridge, 2 threads")
    big = mpps("xbr, FDB of 1,000,000, 1 source") / mpps(
        "xbr, FDB of 1,000, 1 source")
    targets = [
        ("xbr known unicast >= 92% of the ceiling (1 thread)",
         ratio("xbr known unicast") >= 0.92),
        ("xbr known unicast >= 92% of the ceiling (2 threads)",
         ratio("xbr known unicast, 2 threads") >= 0.92),
        ("xbr >= 4.5x the Linux bridge (1 thread: %.2fx)" % x1, x1 >= 4.5),
        ("xbr >= 4.5x the Linux bridge (2 threads: %.2fx)" % x2, x2 >= 4.5),
        ("65,536 sources through an FDB of 1,000,000 >= 75%% of the ceiling "
         "(%.1f%%)" % (100 * ratio("xbr, FDB of 1,000,000, 65,536 sources")),
         ratio("xbr, FDB of 1,000,000, 65,536 sources") >= 0.75),
        ("FDB of 1,000,000 >= 95%% of the rate with 1,000 (%.1f%%)" % (
            100 * big), big >= 0.95),
        ("learning >= 1.5 M new addresses per second, none lost (%d, %d lost)"
         % (learn["learned_per_second"], learn["lost"]),
         learn["learned_per_second"] >= 1500000 and learn["lost"] == 0),
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
                   "control_plane": control, "budget": costs,
                   "targets": [{"target": w, "met": ok} for w, ok in targets]},
                  f, indent=1)
    print("\nJSON: %s" % a.json)


if __name__ == "__main__":
    main()
