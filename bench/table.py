#!/usr/bin/env python3
"""Prints bench/run's table from its JSON lines (bench/results/<stamp>.jsonl)."""
import json
import sys

FLOOR = {"register-totp": "floor-register-totp", "sign-in": "floor-sign-in", "verify-totp": "floor-verify-totp",
         "add-otp-email": "floor-add-otp-email", "sign-in-email": "floor-sign-in-email",
         "sign-in-webauthn": "floor-sign-in-webauthn"}
PER = {"sign-in-email": " (2 calls)", "sign-in-webauthn": " (2 calls)", "floor-sign-in-email": " (2 tx)", "floor-sign-in-webauthn": " (2 tx)", "verify": " (2 calls)",
       "sign-in-sms": " (2 calls)", "verify-by-sid": " (2 calls)"}
# Twilio Verify next to the ZITADEL-side OTP sign-in of the same run (issue 28: its CPU within 20 % of it)
COMPARED = [(v, s) for v in ("verify", "verify-by-sid") for s in ("sign-in-email", "sign-in-sms")] + [
    ("verify-totp-challenge", "sign-in")]

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
statements = {r["scenario"]: r for r in rows if "sample" in r}
runs = [r for r in rows if "sample" not in r]
floors = {(r["scenario"], r["connections"]): r for r in runs if r.get("client") == "pgbench" and not r.get("rate")}


def cpu(r, k):
    return r.get("cpu_us", {}).get(k)


def fmt(v, spec):
    return "" if v is None else format(v, spec)


print()
print(f"{'scenario':<26}{'conns':>6}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}{'p99.9':>8}{'errors':>7}{'stmts':>7}"
      f"{'svc µs':>8}{'kern':>6}{'jit':>6}{'pg µs':>8}{'svc+pg':>8}{'client':>8}  vs floor (req/s, CPU)")
for r in runs:
    s = r["scenario"]
    if s == "service-gc":
        print(f"service GC: {r['pauses']} stop-the-world pauses in the whole run, longest {r['max_ms']} ms, p99 "
              f"{r['p99_ms']} ms, {r['total_ms']} ms in all; longest safepoint {r.get('safepoint_max_ms', '?')} ms"
              f" ({r.get('safepoint_max_op')}, {r.get('safepoint_max_reaching_ms')} ms of it reaching it)"
              + (f"; {r['stalls']} allocation stalls, longest {r['stall_max_ms']} ms" if r.get("stalls") else ""))
        continue
    if s in ("retention", "scale-load", "sign-in-stalls") or r.get("size"):
        continue  # printed by bench/retention, bench/scale and bench/stalls.py, and by bench/targets.py
    if s == "service-memory":
        print(f"service memory: RSS {r['rss_mb']} MB, heap used {r['heap_used_mb']} MB (-Xmx{r['xmx']})")
        continue
    c = r.get("connections")
    name = s + PER.get(s, "")
    if r.get("rate"):
        name = f"{s} @ {r['rate']:.0f}/s fixed"
    svc, pg = cpu(r, "service"), cpu(r, "pg")
    total = None if pg is None else (svc or 0) + pg
    note = ""
    f = floors.get((FLOOR.get(s), c))
    if f and not r.get("rate") and f.get("rps") and total:
        note = f"{r['rps'] / f['rps']:.2f} ×, {total / max(cpu(f, 'pg'), 1):.1f} ×"
    if r.get("client") == "pgbench" and not r.get("rate"):
        note = f"(pgbench, {r.get('clients', c)} clients, avg {r.get('avg_ms')} ms)"
    if r.get("refused") or s == "verify-totp-challenge":
        note = f"{note} refused (answered, not approved): {r.get('refused', 0)}".strip()
    if r.get("invalid"):
        note = "INVALID: " + r["invalid"]
    st = statements.get(s, {}).get("statements")
    p = lambda k: fmt(r.get(k), ".2f")
    print(f"{name:<26}{c:>6}{r['rps']:>8}{p('p50_ms'):>8}{p('p99_ms'):>8}{p('p999_ms'):>8}{r.get('errors', 0):>7}"
          f"{fmt(st, '.1f'):>7}{fmt(svc, 'd'):>8}{fmt(cpu(r, 'service_kernel'), 'd'):>6}{fmt(r.get('service_threads', {}).get('jit'), 'd'):>6}{fmt(pg, 'd'):>8}{fmt(total, 'd'):>8}{fmt(cpu(r, 'client'), 'd'):>8}  {note}")
for a, b in COMPARED:
    for ra in [r for r in runs if r["scenario"] == a and not r.get("rate")]:
        rb = next((r for r in runs if r["scenario"] == b and r.get("connections") == ra.get("connections")
                   and not r.get("rate")), None)
        ta, tb = [(cpu(r, "service") or 0) + (cpu(r, "pg") or 0) if r and cpu(r, "pg") is not None else None for r in (ra, rb)]
        if ta and tb:
            print(f"{a} / {b} at {ra['connections']} connections: svc+pg {ta} / {tb} µs = {ta / tb:.2f} × "
                  f"(target ≤ 1.20), req/s {ra['rps']} / {rb['rps']}")
print("""
stmts: statements PostgreSQL executed per request (BEGIN and COMMIT included), from a 200-request sample.
svc / pg / client µs: CPU time per request (user + system, from /proc) of the service's JVM, of PostgreSQL (the
bench database's backends and the cluster's background processes) and of the load generator; svc+pg is what a
request costs the server side; kern: the part of svc spent in the kernel (system time); jit: the part of svc its JIT
compilers took (a start-up cost: warm-ups run first so that it is small). vs floor: the service's rate and its svc+pg CPU next to pgbench running the smallest
durable write of the same command (floor-*) with the service stopped, with as many clients as the service has
connections to PostgreSQL (its pool, POOL) or the level's connections when fewer. verify: Twilio Verify, Create
Verification (sms) and VerificationCheck with the code the SMS brought (the service delivers it through its Twilio
transport to the load client's sink: that work is in svc and pg; sign-in-email's code comes back in its answer,
sign-in-sms's is sent as Verify's). verify-totp-challenge: Twilio Verify, Create Challenge with a verified TOTP
factor's current code (AuthPayload) → approved, one call, compared with sign-in (CreateSession, user + TOTP); refused:
requests the service answered without approving (a replayed step would be one), counted in errors too.""")
print(f"JSON: {sys.argv[1]}")
