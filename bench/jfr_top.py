#!/usr/bin/env python3
"""The top frames of a JFR recording's execution samples (bench/run PROFILE=dir): self time and inclusive time.

  jfr_top.py RECORDING.jfr [N] [--only PACKAGE-PREFIX...]

Self: the share of samples whose top frame is the method. Inclusive: the share of samples with the method anywhere
in their stack (counted once per sample). JDK 17's `jfr` has no `view`; this reads `jfr print` (stacks 64 deep).
"""
import collections
import re
import subprocess
import sys


def samples(path):
    text = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "64", path],
                          check=True, capture_output=True, text=True).stdout
    for block in text.split("jdk.ExecutionSample {")[1:]:
        m = re.search(r"stackTrace = \[(.*?)\n\s*\]", block, re.S)
        if not m:
            continue
        frames = [re.sub(r"\s+line:.*$", "", f.strip()) for f in m.group(1).strip().splitlines()]
        frames = [re.sub(r"\(.*\)$", "", f) for f in frames if f and f != "..."]
        if frames:
            yield frames


def main():
    path = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2].isdigit() else 15
    prefixes = sys.argv[sys.argv.index("--only") + 1:] if "--only" in sys.argv else []
    own, anywhere, total = collections.Counter(), collections.Counter(), 0
    for frames in samples(path):
        total += 1
        own[frames[0]] += 1
        for f in set(frames):
            if not prefixes or f.startswith(tuple(prefixes)):
                anywhere[f] += 1
    print(f"{total} samples; self time:")
    for f, c in own.most_common(n):
        print(f"  {100 * c / total:6.2f}%  {f}")
    print("inclusive:")
    for f, c in anywhere.most_common(n):
        print(f"  {100 * c / total:6.2f}%  {f}")


if __name__ == "__main__":
    main()
