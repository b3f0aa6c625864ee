#!/usr/bin/env python3
"""Which pages each single-event append writes to the WAL, by table or index: the ledger beside
the C baseline inserting the very same rows (W1's comparison, measured instead of timed).

  tools/bench/wal-pages.py RELEASE_LEDGER BENCH BASELINE [EVENTS] [WORK]

RELEASE_LEDGER, BENCH and BASELINE are the built release-ledger, release-ledger-bench and
tools/bench/baseline.c. The ledger side appends EVENTS simulated pipeline events one per
transaction (`release-ledger-bench profile single`); the baseline then inserts the same rows.
This script holds a read transaction open on each file meanwhile, so no checkpoint restarts the
WAL and it outlives the writer; then it reads every frame, groups them by commit and names each
page's owner with SQLite's dbstat table.
"""
import collections
import os
import sqlite3
import struct
import subprocess
import sys


def transactions(wal_path):
    """The page numbers of each committed transaction in the WAL's current generation."""
    with open(wal_path, "rb") as wal:
        header = wal.read(32)
        if len(header) < 32:
            return []
        page_size = struct.unpack(">I", header[8:12])[0]
        salts = header[16:24]
        result, current = [], []
        while True:
            frame = wal.read(24)
            if len(frame) < 24 or frame[8:16] != salts:
                break
            page, commit_size = struct.unpack(">II", frame[0:8])
            wal.seek(page_size, os.SEEK_CUR)
            current.append(page)
            if commit_size:
                result.append(current)
                current = []
        return result


def owners(connection):
    names = {}
    for name, page in connection.execute("SELECT name, pageno FROM dbstat"):
        names[page] = name
    return names


def hold(path):
    """A connection with a read transaction open: the WAL keeps every frame while it lasts."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("BEGIN")
    connection.execute("SELECT count(*) FROM sqlite_master").fetchall()
    return connection


def report(label, path, connection):
    connection.execute("COMMIT")
    committed = transactions(path + "-wal")
    names = owners(connection)
    counts = collections.Counter()
    for pages in committed:
        for page in pages:
            counts[names.get(page, "page 1 / freelist" if page == 1 else "other")] += 1
    total = sum(len(pages) for pages in committed)
    print(f"## {label}: {len(committed)} transactions, "
          f"{total / max(1, len(committed)):.2f} frames each")
    print("| table or index | frames per transaction |")
    print("|---|---|")
    for name, count in counts.most_common():
        print(f"| {name} | {count / max(1, len(committed)):.2f} |")
    print()


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    cli, bench, baseline = sys.argv[1:4]
    events = sys.argv[4] if len(sys.argv) > 4 else "600"
    work = sys.argv[5] if len(sys.argv) > 5 else "/tmp/release-ledger-wal-pages"
    os.makedirs(work, exist_ok=True)
    ledger, copy = f"{work}/ledger.sqlite", f"{work}/baseline.sqlite"
    for path in (ledger, copy):
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.unlink(path + suffix)
    subprocess.run([cli, "init", "--db", ledger], check=True, stdout=subprocess.DEVNULL)
    held = hold(ledger)
    subprocess.run([bench, "profile", "single", ledger, events], check=True)
    report("release-ledger", ledger, held)
    subprocess.run([baseline, "w1", copy, "0", "setup"], check=True, stdout=subprocess.DEVNULL)
    held_copy = hold(copy)
    count = held.execute("SELECT count(*) FROM events").fetchone()[0]
    subprocess.run([baseline, "w1", copy, str(count), "w", ledger], check=True, stdout=subprocess.DEVNULL)
    report("C baseline, the same rows", copy, held_copy)


if __name__ == "__main__":
    main()
