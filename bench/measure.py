#!/usr/bin/env python3
"""Runs one load generator and adds CPU per request (and, on a sample, statements per request) to its result.

  measure.py --service PID --postmaster PID --db NAME [--log FILE] [--pgbench SCENARIO --conns N] -- command args...

The measured window opens when the command prints "#start" (the load client, dev.mfaservice.bench.LoadClient) or, for a command that
prints none (wrk, pgbench), when it starts; it closes when the command prints its JSON result line (or ends).
CPU is read from /proc in clock ticks (utime + stime):
  service   the service's JVM (service_kernel: the part of it spent in the kernel, stime);
  pg        the PostgreSQL processes of this run: every child of the postmaster whose process title names the
            bench database (its backends, its autovacuum workers), the postmaster itself and its background
            processes (WAL writer, checkpointer, ...). Backends come and go: each is sampled every 50 ms while
            alive and counted from its first to its last sample (a new one from zero);
  pg_all    the whole cluster: the postmaster with every child, exited ones through its cutime + cstime
            (other databases' work on this machine included; shown in the JSON only);
  client    the load generator's process.
service_threads splits the service's CPU by its threads' names (/proc/PID/task): event loops, the worker pool, the
collector's threads (and the VM thread), the JIT's compilers, the rest (a thread started in the window counts from zero).
With --log (PostgreSQL's server log) the statements this database executed in the window are counted from it
(log_statement = all must be set for the database).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import threading
import time

TICK_US = 1_000_000 / os.sysconf("SC_CLK_TCK")


def stat(pid):
    """(utime + stime, cutime + cstime, parent pid, stime) of a process in ticks, or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14]), int(fields[1]), int(fields[12])
    except (OSError, IndexError, ValueError):
        return None


def title(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


class PgSampler(threading.Thread):
    """Samples the postmaster's children: per pid the first and the last ticks seen while measuring."""

    def __init__(self, postmaster, db):
        super().__init__(daemon=True)
        self.postmaster, self.db = postmaster, db
        self.first, self.last, self.ours = {}, {}, {}
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.measuring = False

    def children(self):
        out = {}
        for name in os.listdir("/proc"):
            if name.isdigit():
                s = stat(name)
                if s and s[2] == self.postmaster:
                    out[int(name)] = s[0]
        return out

    def mine(self, pid):
        t = title(pid)
        backend = re.search(r"\d+\.\d+\.\d+\.\d+\(\d+\)|\[local\]|autovacuum worker", t)
        return not backend or f" {self.db} " in f"{t} "

    def sample(self):
        now = self.children()
        with self.lock:
            if not self.measuring:
                return
            for pid, ticks in now.items():
                if pid not in self.first:
                    self.first[pid] = 0  # a backend born during the window started from zero
                    self.ours[pid] = self.mine(pid)
                self.last[pid] = ticks

    def run(self):
        while not self.stopped.wait(0.05):
            self.sample()

    def open(self):
        now = self.children()
        with self.lock:
            self.first, self.last = dict(now), dict(now)
            self.ours = {pid: self.mine(pid) for pid in now}
            self.measuring = True

    def close(self):
        self.sample()
        with self.lock:
            self.measuring = False
            return sum(self.last[p] - self.first[p] for p in self.last if self.ours.get(p))


THREAD_GROUPS = (("eventloop", "vert.x-eventloo"), ("worker", "vert.x-worker"), ("jit", "C1 Compiler", "C2 Compiler"),
                 ("gc", "GC Thread", "Shenandoah", "ZWorker", "ZDriver", "G1 ", "ParGC", "VM Thread"))


def threads(pid):
    """CPU ticks of each of the process's threads by thread id, with the thread's group (THREAD_GROUPS, else other)."""
    out = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                text = f.read()
        except OSError:
            continue
        name = text[text.index("(") + 1:text.rindex(")")]
        fields = text.rsplit(")", 1)[1].split()
        group = next((g[0] for g in THREAD_GROUPS if any(name.startswith(prefix) for prefix in g[1:])), "other")
        out[tid] = (group, int(fields[11]) + int(fields[12]))
    return out


def by_group(before, after):
    groups = {}
    for tid, (group, ticks) in after.items():
        groups[group] = groups.get(group, 0) + ticks - before.get(tid, (group, 0))[1]
    return groups


def snapshot(args, client_pid, sampler):
    pm = stat(args.postmaster)
    service = stat(args.service) or (0, 0, 0, 0)
    return {"service": service[0], "service_sys": service[3], "pm_self": pm[0], "pm_children": pm[1],
            "pg_children": sum(sampler.children().values()), "client": (stat(client_pid) or (0, 0, 0))[0],
            "log": os.path.getsize(args.log) if args.log else 0, "at": time.time(), "threads": threads(args.service)}


def count_statements(path, offset, db):
    time.sleep(1.0)  # the backends write their log lines as they run; let the last ones land
    n = 0
    marker = f"@{db} "
    with open(path, "rb") as f:
        f.seek(offset)
        for line in f:
            line = line.decode(errors="replace")
            if marker in line and ("LOG:  statement: " in line or "LOG:  execute " in line):
                n += 1
    return n


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--service", type=int, required=True)
    p.add_argument("--postmaster", type=int, required=True)
    p.add_argument("--db", required=True)
    p.add_argument("--log")
    p.add_argument("--pgbench", help="the scenario name for pgbench's text output")
    p.add_argument("--conns", type=int, default=0)
    p.add_argument("command", nargs=argparse.REMAINDER)
    args = p.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command

    sampler = PgSampler(args.postmaster, args.db)
    sampler.start()
    before_children = os.times()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    sampler.open()
    start = snapshot(args, proc.pid, sampler)
    result, text = None, []
    for line in proc.stdout:
        if line.startswith("#start"):
            sampler.open()
            start = snapshot(args, proc.pid, sampler)
        elif line.startswith("{") and result is None:
            end = snapshot(args, proc.pid, sampler)
            pg = sampler.close()
            result = json.loads(line)
        else:
            text.append(line)
    rc = proc.wait()
    if result is None:  # pgbench: its text, the window its whole run
        time.sleep(0.5)  # its backends exit once it has gone: let the postmaster reap them (pg_all)
        end = snapshot(args, 0, sampler)
        pg = sampler.close()
        after_children = os.times()
        end["client"] = start["client"] + round(((after_children.children_user - before_children.children_user)
                                                 + (after_children.children_system - before_children.children_system))
                                                * os.sysconf("SC_CLK_TCK"))
        out = "".join(text)
        tx = re.search(r"number of transactions actually processed: (\d+)", out)
        tps = re.search(r"^tps = ([\d.]+)", out, re.M)
        lat = re.search(r"latency average = ([\d.]+) ms", out)
        failed = re.search(r"number of failed transactions: (\d+)", out)
        clients = re.search(r"number of clients: (\d+)", out)
        if not tx or not tps:
            sys.stderr.write(out)
            print(json.dumps({"scenario": args.pgbench, "connections": args.conns, "requests": 0, "errors": 1,
                              "rps": 0, "client": "pgbench", "failed": f"exit {rc}"}), flush=True)
            sys.exit(0)
        result = {"scenario": args.pgbench, "connections": args.conns, "seconds": round(end["at"] - start["at"], 1),
                  "requests": int(tx.group(1)), "errors": int(failed.group(1)) if failed else 0,
                  "rps": round(float(tps.group(1))), "clients": int(clients.group(1)) if clients else None, "avg_ms": float(lat.group(1)) if lat else None, "client": "pgbench"}
    elif result.get("client") == "wrk" or end["client"] == 0:
        # wrk prints its result as it ends: its CPU is all of its run
        after_children = os.times()
        end["client"] = start["client"] + round(((after_children.children_user - before_children.children_user)
                                                 + (after_children.children_system - before_children.children_system))
                                                * os.sysconf("SC_CLK_TCK"))
    n = max(result.get("requests", 0), 1)
    per = lambda ticks: round(ticks * TICK_US / n)
    result["cpu_us"] = {
        "service": per(end["service"] - start["service"]),
        "service_kernel": per(end["service_sys"] - start["service_sys"]),
        "pg": per(pg + end["pm_self"] - start["pm_self"]),
        "pg_all": per(end["pm_self"] - start["pm_self"] + end["pm_children"] - start["pm_children"]
                      + end["pg_children"] - start["pg_children"]),
        "client": per(end["client"] - start["client"]),
    }
    groups = by_group(start["threads"], end["threads"])
    result["service_threads"] = {g: per(groups.get(g, 0)) for g in ("eventloop", "worker", "gc", "jit", "other")}
    if args.log:
        result["statements"] = round(count_statements(args.log, start["log"], args.db) / n, 2)
    sampler.stopped.set()
    print(json.dumps(result), flush=True)
    sys.exit(0 if rc == 0 else rc)


if __name__ == "__main__":
    main()
