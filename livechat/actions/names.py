"""Friendly names for visitors who have not given theirs: a colour and an animal, in
Dutch and English, as Chatwoot does ("Blue Fox", "Blauwe vos").

The name follows from the visitor's user id, so it needs no storage and two visitors
never share one: past the 288 pairs a number is added ("Blue Fox 2").
"""

from __future__ import annotations

# (English, Dutch): Dutch adjectives in the form before a "de" word; every animal is one.
COLOURS = [
    ("Red", "Rode"), ("Blue", "Blauwe"), ("Green", "Groene"), ("Yellow", "Gele"), ("Orange", "Oranje"),
    ("Purple", "Paarse"), ("Pink", "Roze"), ("Brown", "Bruine"), ("Grey", "Grijze"), ("Golden", "Gouden"),
    ("Silver", "Zilveren"), ("White", "Witte"),
]
ANIMALS = [
    ("Fox", "vos"), ("Bear", "beer"), ("Owl", "uil"), ("Wolf", "wolf"), ("Lion", "leeuw"), ("Tiger", "tijger"),
    ("Elephant", "olifant"), ("Giraffe", "giraf"), ("Panda", "panda"), ("Zebra", "zebra"), ("Dolphin", "dolfijn"),
    ("Whale", "walvis"), ("Penguin", "pinguïn"), ("Koala", "koala"), ("Kangaroo", "kangoeroe"), ("Otter", "otter"),
    ("Badger", "das"), ("Hedgehog", "egel"), ("Hare", "haas"), ("Falcon", "valk"), ("Eagle", "adelaar"),
    ("Swan", "zwaan"), ("Duck", "eend"), ("Turtle", "schildpad"),
]
PAIRS = len(COLOURS) * len(ANIMALS)


def alias(user_id: int) -> dict[str, str]:
    """``{"en": "Blue Fox", "nl": "Blauwe vos"}`` for a visitor's user id, unique per id."""
    # A stride coprime with PAIRS: visitors made one after another get unlike names.
    n = (user_id * 97) % PAIRS
    round_ = user_id // PAIRS
    (c_en, c_nl), (a_en, a_nl) = COLOURS[n % len(COLOURS)], ANIMALS[n // len(COLOURS)]
    suffix = f" {round_ + 1}" if round_ else ""
    return {"en": f"{c_en} {a_en}{suffix}", "nl": f"{c_nl} {a_nl}{suffix}"}
