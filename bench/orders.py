#!/usr/bin/env python3
"""Writes N generic-CSV orders for the conversion benchmark (bench/report.sh --orders N).

Reads `chatrev sessions --reveal --format csv` on stdin (the benchmark store's sessions) and writes
orders to stdout: 70 % from people who chatted, created 0-10 days after one of their sessions
started (so most are attributable, some fall outside the 7-day window); 29 % from phones that never
chatted; 1 % with no phone or e-mail. Statuses: 70 % paid, 10 % pending, 8 % cancelled, 5 %
refunded, 7 % partially refunded; 95 % BRL, 5 % USD. Seeded, so runs are comparable.

Columns: id,created,total,currency,status,phone,email,refunded (the config's [sources.columns]
map in bench/report.sh names them).
"""

import csv
import random
import sys
from datetime import datetime, timedelta


def main() -> None:
    n = int(sys.argv[1])
    rng = random.Random(42)
    sessions = []
    for row in csv.DictReader(sys.stdin):
        person = row["person"]
        if person.startswith("tel:"):
            sessions.append((person[4:], datetime.fromisoformat(row["start"])))
    if not sessions:
        sys.exit("orders.py: no sessions with a phone on stdin")
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["id", "created", "total", "currency", "status", "phone", "email", "refunded"])
    statuses = ["paid"] * 70 + ["pending"] * 10 + ["cancelled"] * 8 + ["refunded"] * 5 + [
        "partially_refunded"
    ] * 7
    first = min(s for _, s in sessions)
    span = (max(s for _, s in sessions) - first).total_seconds()
    for i in range(n):
        r = rng.random()
        if r < 0.70:
            phone, start = sessions[rng.randrange(len(sessions))]
            created = start + timedelta(seconds=rng.randrange(10 * 86400))
        else:
            created = first + timedelta(seconds=rng.randrange(int(span) + 1))
            phone = "" if r > 0.99 else f"+55 11 9{rng.randrange(10**8):08d}"
        cents = rng.randrange(1990, 99990)
        status = rng.choice(statuses)
        refunded = {"refunded": cents, "partially_refunded": cents // 4}.get(status, 0)
        currency = "USD" if rng.random() < 0.05 else "BRL"
        out.writerow(
            [
                f"B{i}",
                created.isoformat(),
                f"{cents // 100}.{cents % 100:02d}",
                currency,
                status,
                phone,
                "",
                f"{refunded // 100}.{refunded % 100:02d}",
            ]
        )


if __name__ == "__main__":
    main()
