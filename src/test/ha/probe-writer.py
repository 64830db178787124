#!/usr/bin/python3
"""Write loop for failover-probe.sh: probe-writer.py URL RUN INTERVAL WORKDIR.

Inserts (RUN, i) for i = 1, 2, ... every INTERVAL seconds over one connection (as a pool
would) and reconnects after an error. Appends "i epoch_ms rc" to WORKDIR/writes; rc 0
means COMMIT returned (the row is acknowledged). Stops when WORKDIR/stop exists.
psycopg2 is a dependency of Debian's patroni package.
"""
import os
import sys
import time

import psycopg2

url, run, interval, work = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
conn, i = None, 0
with open(os.path.join(work, "writes"), "a", buffering=1) as out:
    while not os.path.exists(os.path.join(work, "stop")):
        i += 1
        start = time.monotonic()
        rc = 0
        try:
            if conn is None:
                conn = psycopg2.connect(url, connect_timeout=1)
                conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute("INSERT INTO failover_probe (run, id) VALUES (%s, %s)", (run, i))
        except Exception as e:  # any failure: not acknowledged, reconnect next time
            rc = 1
            print("%d %d %s" % (i, int(time.time() * 1000), " ".join(str(e).split())), file=sys.stderr)
            try:
                if conn is not None:
                    conn.close()
            except Exception:
                pass
            conn = None
        out.write("%d %d %d\n" % (i, int(time.time() * 1000), rc))
        time.sleep(max(0.0, interval - (time.monotonic() - start)))
