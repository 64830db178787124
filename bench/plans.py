#!/usr/bin/env python3
"""The plans auto_explain logged for one database (bench/scale): a summary, then each distinct statement's slowest plan.

  plans.py <server log> <byte offset to read from> <database>

Summary: per distinct statement (its text as the service sends it, $n parameters) how often it ran, its median and
slowest time, its shared buffers per execution (hit: in shared_buffers; read: from the OS, its page cache or the disk;
the plan's first Buffers line, its top node's, which counts its children's), its WAL per execution when logged
(auto_explain.log_wal: full-page images, bytes), and its scans (index or sequential, and on
what); SEQ marks a sequential scan.
"""
import re
import statistics
import sys

STARTS = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")
SCAN = re.compile(r"((?:Parallel )?Seq Scan|Index Only Scan|Index Scan|Bitmap Index Scan|Bitmap Heap Scan)(?: Backward)?"
                  r"(?: using (\S+))? on (\S+)")


def buffers(plan):
    """(hit, read) of the plan's first Buffers line: its top node's, its children's included."""
    for line in plan:
        if "Buffers: shared" in line:
            hit, read = re.search(r"hit=(\d+)", line), re.search(r"read=(\d+)", line)
            return int(hit.group(1)) if hit else 0, int(read.group(1)) if read else 0
    return 0, 0


def wal(plan):
    """(full-page images, bytes) of the plan's first WAL line (its top node's), or None when WAL was not logged."""
    for line in plan:
        m = re.search(r"WAL: (.*)", line)
        if m:
            fpi, size = re.search(r"fpi=(\d+)", m.group(1)), re.search(r"bytes=(\d+)", m.group(1))
            return int(fpi.group(1)) if fpi else 0, int(size.group(1)) if size else 0
    return None


def entries(path, offset):
    with open(path, "rb") as f:
        f.seek(offset)
        text = f.read().decode(errors="replace")
    entry = []
    for line in text.splitlines():
        if STARTS.match(line):
            if entry:
                yield entry
            entry = [line]
        elif entry:
            entry.append(line)
    if entry:
        yield entry


def plans(path, offset, db):
    for e in entries(path, offset):
        head = e[0]
        m = re.search(r"duration: ([\d.]+) ms\s+plan:", head)
        if f"@{db} " not in head or not m:
            continue
        body = [line[1:] if line.startswith("\t") else line for line in e[1:]]
        start = next(i for i, line in enumerate(body) if "(cost=" in line or "(actual" in line)
        query = " ".join(" ".join(body[:start]).replace("Query Text:", "", 1).split())
        yield query, float(m.group(1)), body[start:]


def main():
    path, offset, db = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    seen = {}
    for query, ms, plan in plans(path, offset, db):
        runs = seen.setdefault(query, [])
        runs.append((ms, plan))
    print(f"{len(seen)} distinct statements, {sum(len(v) for v in seen.values())} executions\n")
    for n, (query, runs) in enumerate(sorted(seen.items(), key=lambda kv: -len(kv[1])), 1):
        times = [ms for ms, _ in runs]
        slowest = max(runs, key=lambda r: r[0])[1]
        scans = sorted({f"{kind}{' using ' + index if index else ''} on {table}"
                        for line in slowest for kind, index, table in SCAN.findall(line)})
        seq = any("Seq Scan" in s for s in scans)
        hits, reads = zip(*(buffers(plan) for _, plan in runs))
        wals = [w for w in (wal(plan) for _, plan in runs) if w] or [(0, 0)]
        print(f"[{n}] {len(runs)}×, median {statistics.median(times):.3f} ms, slowest {max(times):.3f} ms, per execution: "
              f"buffers hit {statistics.mean(hits):.1f}, read {statistics.mean(reads):.1f}; WAL fpi "
              f"{statistics.mean(w[0] for w in wals):.2f}, bytes {statistics.mean(w[1] for w in wals):.0f}"
              f"{'  SEQ' if seq else ''}\n    {query[:300]}\n    " + ("\n    ".join(scans) or "(no scan)"))
    print("\n\nThe slowest plan of each statement\n")
    for n, (query, runs) in enumerate(sorted(seen.items(), key=lambda kv: -len(kv[1])), 1):
        ms, plan = max(runs, key=lambda r: r[0])
        print(f"[{n}] {query}\n" + "\n".join("    " + line for line in plan) + "\n")


if __name__ == "__main__":
    main()
