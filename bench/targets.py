#!/usr/bin/env python3
"""Prints the figures issue 29 sets targets for, from bench/run's JSON lines (one run), each next to its target.

A figure whose scenarios the run did not include is printed as 'not measured' with the ONLY= that leaves it out.
"""
import json
import statistics
import sys

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
runs = [r for r in rows if "sample" not in r]


def cpu(r):
    c = r.get("cpu_us", {}) if r else {}
    return None if c.get("pg") is None else (c.get("service") or 0) + c["pg"]


def cpu_steady(r):
    """svc+pg without the JIT compilers' threads: what a call costs once the service is compiled (a one-off)."""
    c = cpu(r)
    return None if c is None else c - r.get("service_threads", {}).get("jit", 0)


def find(scenario, conns=None, rate=False):
    for r in runs:
        if r["scenario"] == scenario and not r.get("size") and bool(r.get("rate")) == rate and (conns is None or r.get("connections") == conns):
            return r
    return None


def line(name, value, target, met):
    mark = "" if met is None else ("met" if met else "NOT MET")
    print(f"  {name:<76}{value:<42}{target:<14}{mark}")


print("\nissue 29 targets (this run)")
levels = sorted({r["connections"] for r in runs if r.get("connections") and r["scenario"] == "sign-in"})
c = levels[0] if levels else None
s, f = find("sign-in", c), find("floor-sign-in", c)
if cpu(s) and f and f.get("cpu_us", {}).get("pg"):
    ratio = cpu(s) / f["cpu_us"]["pg"]
    line(f"sign-in svc+pg CPU vs its pgbench floor ({c} conns)", f"{cpu(s)} / {f['cpu_us']['pg']} µs = {ratio:.2f} ×",
         "≤ 1.5 ×", ratio <= 1.5)
else:
    line("sign-in svc+pg CPU vs its pgbench floor", "not measured (ONLY=signin or all)", "≤ 1.5 ×", None)
s, f = find("register-totp", c), find("floor-register-totp", c)
if s and f and f.get("rps"):
    ratio = s["rps"] / f["rps"]
    line(f"RegisterTOTP rate vs its pgbench floor ({c} conns)", f"{s['rps']} / {f['rps']} req/s = {ratio:.2f} ×",
         "≥ 0.6 ×", ratio >= 0.6)
else:
    line("RegisterTOTP rate vs its pgbench floor", "not measured (a full run)", "≥ 0.6 ×", None)
w, s = find("sign-in-webauthn", c), find("sign-in", c)
if cpu(w) and cpu(s):
    # sign-in-webauthn is two calls (options, then the assertion) against sign-in's one
    ratio = cpu(w) / cpu(s)
    line(f"security-key sign-in CPU vs a TOTP sign-in ({c} conns)", f"{cpu(w)} / {cpu(s)} µs = {ratio:.2f} ×", "≤ 2 ×",
         ratio <= 2)
    fw, fs = find("floor-sign-in-webauthn", c), find("floor-sign-in", c)
    if fw and fs and fw.get("cpu_us", {}).get("pg") and fs.get("cpu_us", {}).get("pg"):
        # what the database alone must do for each (pgbench, bench/floor_sign_in_webauthn.sql and floor_sign_in.sql)
        pw, ps = fw["cpu_us"]["pg"], fs["cpu_us"]["pg"]
        line("  their pgbench floors: security-key (2 tx) vs TOTP sign-in", f"{pw} / {ps} µs = {pw / ps:.2f} ×", "", None)
else:
    line("security-key sign-in CPU vs a TOTP sign-in", "not measured (ONLY=signin or all)", "≤ 2 ×", None)
h = find("sign-in", c, rate=True)
d = next((r for r in runs if r["scenario"] == "floor-sign-in" and r.get("rate")), None)
if h and d and d.get("p99_ms"):
    ratio = h["p99_ms"] / d["p99_ms"]
    line(f"p99 at half the top sign-in rate ({h['rate']:.0f}/s) vs the database's",
         f"{h['p99_ms']} / {d['p99_ms']} ms = {ratio:.1f} ×", "≤ 2 ×", ratio <= 2)
    st = find("sign-in-stalls", c)
    if st:
        slow = st["slow_seconds"]
        print(f"    its slow seconds (p99 over 4 × p50, ≥ 10 ms): {len(slow)} of {st['seconds']}; in them: service pauses "
              f"{sum(len(x['service']) for x in slow)}, client GC {sum(len(x['client']) for x in slow)}, during a "
              f"checkpoint {sum(1 for x in slow if x['checkpoint'])} (bench/stalls.py)")
else:
    line("p99 at half the top sign-in rate vs the database's", "not measured (a full run)", "≤ 2 ×", None)
g = find("service-gc")
if g:
    line("longest stop-the-world GC pause in the run", f"{g['max_ms']} ms (p99 {g['p99_ms']} ms, {g['pauses']} pauses)",
         "≤ 10 ms", g["max_ms"] <= 10)
sized = [r for r in runs if r.get("size") in ("small", "large") and "rps" in r]
for name in dict.fromkeys(r["scenario"] for r in sized):
    med = lambda size, f: statistics.median([f(r) for r in sized if r["scenario"] == name and r["size"] == size] or [0])
    small, large = med("small", cpu_steady), med("large", cpu_steady)
    j_small, j_large = med("small", cpu), med("large", cpu)
    p_small, p_large = med("small", lambda r: r["p99_ms"]), med("large", lambda r: r["p99_ms"])
    if small and large:
        line(f"{name}: svc+pg CPU less JIT, large instance vs a tenth",
             f"{large:.0f} / {small:.0f} µs = {large / small:.2f} ×", "≤ 1.10 ×", large / small <= 1.10)
        line(f"{name}: svc+pg CPU with JIT (not a target)",
             f"{j_large:.0f} / {j_small:.0f} µs = {j_large / j_small:.2f} ×", "", None)
        line(f"{name}: p99, large instance vs a tenth of it", f"{p_large:.2f} / {p_small:.2f} ms = {p_large / p_small:.2f} ×",
             "≤ 1.10 ×", p_large / p_small <= 1.10)
        w_small, w_large = (med(z, lambda r: r.get("wal", {}).get("bytes_per_call", 0)) for z in ("small", "large"))
        f_small, f_large = (med(z, lambda r: r.get("wal", {}).get("fpi_per_call", 0)) for z in ("small", "large"))
        if w_small and w_large:
            line(f"{name}: WAL per call, large vs a tenth (not a target)",
                 f"{w_large:.0f} / {w_small:.0f} B, {f_large:.2f} / {f_small:.2f} page images", "", None)
if not sized:
    line("flat as the data grows (ONLY=scale)", "not measured (a full run, SCALE=1)", "≤ 1.10 ×", None)
r = find("retention")
if r:
    line("disk per million sign-ins (events, sessions, event_heads)", f"{r['mb_per_million']} MB", "stated", None)
    line(f"tables' peak size, last third vs middle third of a {r['seconds']} s steady load ({r.get('vacuum', 'autovacuum')})",
         f"{r['late_growth_pct']:+.1f} % ({r['late_sign_ins']} sign-ins meanwhile)", "flat (≤ 5 %)", r["late_growth_pct"] <= 5)
else:
    line("retention: disk per million sign-ins, tables flat", "not measured (a full run, RETENTION_SECONDS > 0)", "", None)
