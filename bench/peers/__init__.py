"""Peer servers for the benchmark, each as small as its framework allows.

All three speak what ``bench.clients`` expects: a connection says who it is (``uid``),
``send`` relays ``{to, cid, body}`` to every connection of user ``to`` and acks the sender,
``presence`` tells the user's subscribers (read at start from ``BENCH_CONTACTS``, the same
contact list the hub is seeded with). None stores anything, authenticates, or replays.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict


def load_subscribers() -> dict[int, list[int]]:
    """``{user: [users who see that user's presence]}`` from the file in BENCH_CONTACTS."""
    path = os.environ.get("BENCH_CONTACTS")
    subs: dict[int, list[int]] = defaultdict(list)
    if path:
        with open(path) as f:
            for a, b in json.load(f):
                subs[a].append(b)
                subs[b].append(a)
    return dict(subs)
