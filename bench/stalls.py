#!/usr/bin/env python3
"""Where the slow requests of the fixed-rate sign-in run come from: its timeline against what stopped in that window.

  stalls.py RESULTS WORK PGLOG CONNECTIONS

The fixed-rate run's JSON line (the load client's) carries started_ms and a timeline: per second of sending,
[requests, p50, p99, max] in ms. Beside it, with wall-clock times: the service's GC pauses and safepoints
(-Xlog decorated with timemillis), the load client's own GC pauses (WORK/client-gc.log), PostgreSQL's
checkpoints from its server log (log_checkpoints), and from the service's /metrics taken before and after the run
(WORK/metrics-before-N, -after-N) the mean time of a request, of its wait for a pooled connection and of holding one. Prints one JSON line (scenario "sign-in-stalls"): the slow seconds
(p99 over 4 × the run's p50, at least 10 ms), each with what overlapped it, and the counts over the whole window;
its human lines go to stderr.
"""
import datetime
import glob
import json
import re
import sys


def the_run(results, conns):
    rows = [json.loads(l) for l in open(results) if l.strip().startswith("{")]
    runs = [r for r in rows if r.get("scenario") == "sign-in" and r.get("rate") and r.get("connections") == conns
            and r.get("timeline")]
    return runs[-1] if runs else None


def jvm_pauses(pattern, kind):
    """(start_ms, length_ms, what) of each pause in the logs matching pattern: the line is written as it ends."""
    found = []
    for f in glob.glob(pattern):
        for line in open(f, errors="replace"):
            stamp = re.search(r"\[(\d{13})ms\]", line)
            if not stamp:
                continue
            end = int(stamp.group(1))
            if kind == "gc":
                # stop-the-world pauses: under [gc] for every collector but ZGC, whose are gc+phases' Pause Mark/Relocate
                m = re.search(r"\[(gc(?:,phases)?) *\] GC\(\d+\) (Pause .*?) ([\d.]+)ms$", line.strip())
                if m and (m.group(1) == "gc" or re.match(r"Pause (Mark|Relocate)", m.group(2))):
                    length = float(m.group(3))
                    found.append((end - length, length, m.group(2)))
            else:
                m = re.search(r'Safepoint "(\w+)".* Total: (\d+) ns', line)
                if m:
                    length = int(m.group(2)) / 1e6
                    found.append((end - length, length, "safepoint " + m.group(1)))
    return found


def checkpoints(pglog):
    """(start_ms, end_ms, description) of the checkpoints in PostgreSQL's server log."""
    if not pglog:
        return []
    started, found, now = None, [], datetime.datetime.now(datetime.timezone.utc).timestamp() * 1000
    pattern = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+) (\w+) .*LOG:  checkpoint (starting|complete): (.*)$")
    try:
        lines = open(pglog, errors="replace").readlines()
    except OSError:
        return []
    for line in lines:
        m = pattern.match(line.strip())
        if not m:
            continue
        at = datetime.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S.%f")
        if m.group(2) != "UTC":
            continue
        ms = at.replace(tzinfo=datetime.timezone.utc).timestamp() * 1000
        if m.group(3) == "starting":
            started = (ms, m.group(4))
        elif started:
            sync = re.search(r"sync=([\d.]+) s", m.group(4))
            found.append((started[0], ms, started[1] + (f", sync {sync.group(1)} s" if sync else "")))
            started = None
    if started:  # still going as the run ended (a spread checkpoint takes minutes)
        found.append((started[0], now, started[1] + ", in progress"))
    return found


def timers(path):
    """{name: (count, sum)} of the service's /metrics: POST responses, and its API pool's wait and connection use."""
    wanted = {"response": r'vertx_http_server_response_time_seconds_(count|sum)\{[^}]*method="POST"',
              "pool_wait": r'vertx_pool_queue_time_seconds_(count|sum)\{pool_name="mfa-service",',
              "pool_use": r'vertx_pool_usage_seconds_(count|sum)\{pool_name="mfa-service",'}
    out = {k: [0.0, 0.0] for k in wanted}
    try:
        lines = open(path).read().splitlines()
    except OSError:
        return None
    for line in lines:
        for name, pattern in wanted.items():
            m = re.match(pattern, line)
            if m:
                out[name][0 if m.group(1) == "count" else 1] += float(line.rsplit(" ", 1)[1])
    return out


def means(work, conns):
    """Mean ms per request over the run, server side (the /metrics taken before and after it), or None."""
    before, after = timers(f"{work}/metrics-before-{conns}"), timers(f"{work}/metrics-after-{conns}")
    if not before or not after:
        return None
    result = {}
    for name in before:
        n, total = after[name][0] - before[name][0], after[name][1] - before[name][1]
        result[name] = round(1000 * total / n, 2) if n else None
    return result


def main():
    results, work, pglog, conns = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    run = the_run(results, conns)
    if not run:
        return
    t0, timeline = run["started_ms"], run["timeline"]
    end = t0 + 1000 * len(timeline) + 2000
    service = [p for p in jvm_pauses(work + "/gc-*.log", "gc") + jvm_pauses(work + "/safepoint-*.log", "safepoint")
               if t0 <= p[0] <= end]
    client = [p for p in jvm_pauses(work + "/client-gc*.log", "gc") if t0 <= p[0] <= end]
    ckpts = [c for c in checkpoints(pglog) if c[0] <= end and c[1] >= t0]
    p50 = run["p50_ms"]
    slow = []
    for second, (n, s50, s99, smax) in enumerate(timeline):
        if s99 < max(10.0, 4 * p50):
            continue
        lo, hi = t0 + 1000 * second, t0 + 1000 * (second + 1) + smax
        near = lambda ps: [f"{p[2]} {p[1]:.1f} ms" for p in ps if lo <= p[0] <= hi and p[1] >= 1.0]
        slow.append({"second": second, "requests": n, "p99_ms": s99, "max_ms": smax,
                     "service": near(service), "client": near(client),
                     "checkpoint": [c[2] for c in ckpts if c[0] <= hi and c[1] >= lo]})
    line = {"scenario": "sign-in-stalls", "connections": conns, "rate": run["rate"], "seconds": len(timeline),
            "p50_ms": p50, "p99_ms": run["p99_ms"], "slow_seconds": slow,
            "service_pauses_over_5ms": sorted(round(p[1], 1) for p in service if p[1] >= 5),
            "client_pauses_over_5ms": sorted(round(p[1], 1) for p in client if p[1] >= 5),
            "checkpoints": [c[2] for c in ckpts], "server_means_ms": means(work, conns),
            "timeline": timeline}
    print(json.dumps(line))
    print(f"sign-in at {run['rate']:.0f}/s fixed: p50 {p50} ms, p99 {run['p99_ms']} ms; per second [n, p50, p99, max]:",
          file=sys.stderr)
    print("  " + " ".join(f"{s[2]:.0f}/{s[3]:.0f}" for s in timeline) + "  (p99/max ms by second)", file=sys.stderr)
    if line["server_means_ms"]:
        m = line["server_means_ms"]
        print(f"  server side, mean per request: response {m['response']} ms, of it waiting for a pooled connection "
              f"{m['pool_wait']} ms, holding one (per acquisition) {m['pool_use']} ms; client side mean "
              f"{run.get('mean_ms')} ms", file=sys.stderr)
    for s in slow:
        print(f"  second {s['second']}: p99 {s['p99_ms']} ms, max {s['max_ms']} ms; service {s['service'] or '-'};"
              f" client {s['client'] or '-'}; checkpoint {s['checkpoint'] or '-'}", file=sys.stderr)


if __name__ == "__main__":
    main()
