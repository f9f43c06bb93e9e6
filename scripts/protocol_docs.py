"""Rewrite docs/protocol.md's event tables from the declarations (chatserver.protocol.events
and each feature's ``events``). tests/protocol/test_event_contract.py fails while they differ.

    python scripts/protocol_docs.py
"""

from __future__ import annotations

import pathlib

from chatserver.protocol import events
from chatserver.services import features

DOC = pathlib.Path(__file__).resolve().parent.parent / "docs" / "protocol.md"


def main() -> None:
    for feature in features():
        events.register(feature.events)
    DOC.write_text(events.render_doc(DOC.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main()
