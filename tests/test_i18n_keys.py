"""Every screen text exists in Dutch and in English, with the same placeholders (issue 18).

The string tables are plain object literals in the front-end files (no build step), so
this reads them as text: each ``en: {`` / ``nl: {`` block, one ``key: "text"`` per line.
A key in one language and not the other, or a ``{name}`` that only one language fills,
fails here before a user sees a key name or an English sentence in a Dutch screen.
Keys the code names literally (``t("send")``, ``st("ledger")``) must exist too.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "chatserver" / "static"
VIDEO = ROOT / "signaling" / "static"
TABLES = {
    "app": STATIC / "app" / "js" / "i18n.js",
    "sms": STATIC / "app" / "js" / "sms-i18n.js",
    "console": STATIC / "console" / "js" / "i18n.js",
    "widget": ROOT / "widget" / "src" / "strings.js",
    # Screens that add their own texts to the app's table with i18n.extend().
    "app-video": STATIC / "app" / "js" / "ui-video.js",
    "app-chat": STATIC / "app" / "js" / "chat-i18n.js",
    # Sent files' texts, which the app and the console both extend their tables with.
    "shared-files": STATIC / "shared" / "files-i18n.js",
    "app-records": STATIC / "app" / "js" / "records-i18n.js",
    "console-webhooks": STATIC / "console" / "js" / "webhooks.js",
    "console-privacy": STATIC / "console" / "js" / "privacy.js",
    "console-hours": STATIC / "console" / "js" / "hours.js",
    "console-earlier": STATIC / "console" / "js" / "earlier.js",
    "console-prechat": STATIC / "console" / "js" / "prechat.js",
    "console-reports": STATIC / "console" / "js" / "reports.js",
    "console-site-editor": STATIC / "console" / "js" / "site-editor.js",
    "console-site-errors": STATIC / "console" / "js" / "site-errors.js",
    "console-errors": STATIC / "console" / "js" / "errors-i18n.js",
    "call": VIDEO / "call-i18n.js",
    "agenda": VIDEO / "agenda.js",
}
# Tables that extend another's: their keys are known where that table's are.
EXTENDS = {"app": ["app-video", "app-chat", "app-records", "shared-files"], "console": ["shared-files", "console-webhooks", "console-privacy", "console-hours", "console-earlier", "console-prechat", "console-reports", "console-site-editor", "console-site-errors", "console-errors"], "call": ["app"], "agenda": ["app"]}
# Which function reads which table, for the literal uses.
LOOKUPS = {
    "app": (re.compile(r"(?<![\w.])t\(\"(\w+)\""), sorted((STATIC / "app" / "js").glob("*.js"))),
    "sms": (re.compile(r"(?<![\w.])st\(\"(\w+)\""), sorted((STATIC / "app" / "js").glob("sms*.js"))),
    "console": (re.compile(r"(?<![\w.])t\(\"(\w+)\""), sorted((STATIC / "console" / "js").glob("*.js"))),
    "widget": (re.compile(r"(?<![\w.])[tT]\(\"(\w+)\""), sorted((ROOT / "widget" / "src").glob("*.js"))),  # T(): a label kept to relabel
    "call": (re.compile(r"(?<![\w.])t\(\"(\w+)\""), sorted(VIDEO.glob("call*.js"))),
    "agenda": (re.compile(r"(?<![\w.])t\(\"(\w+)\""), [VIDEO / "agenda.js"]),
}
HTML = {"app": STATIC / "app" / "index.html", "console": STATIC / "console" / "index.html",
        "call": VIDEO / "call.html", "agenda": VIDEO / "agenda.html"}


def tables(path: Path) -> dict[str, dict[str, str]]:
    """{language: {key: text}} from the ``en: {`` and ``nl: {`` blocks of a file."""
    found: dict[str, dict[str, str]] = {}
    lines = path.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        start = re.fullmatch(r"(\s*)(en|nl): \{\s*", line)
        if not start:
            continue
        indent, language = start.group(1), start.group(2)
        entries: dict[str, str] = {}
        for inner in lines[i + 1:]:
            if re.fullmatch(re.escape(indent) + r"\},?\s*", inner):
                break
            entry = re.match(re.escape(indent) + r"  \"?([\w.]+)\"?: (.*)", inner)
            if entry:
                entries[entry.group(1)] = entry.group(2)
        found[language] = entries
    return found


@pytest.mark.parametrize("name", sorted(TABLES))
def test_both_languages_have_the_same_keys_and_placeholders(name: str) -> None:
    found = tables(TABLES[name])
    assert set(found) == {"en", "nl"}
    en, nl = found["en"], found["nl"]
    assert len(en) >= 5  # the reader found the table
    assert sorted(set(en) - set(nl)) == [], "missing in Dutch"
    assert sorted(set(nl) - set(en)) == [], "missing in English"
    placeholders = {
        key: (set(re.findall(r"\{(\w+)\}", en[key])), set(re.findall(r"\{(\w+)\}", nl[key]))) for key in en
    }
    assert {key: pair for key, pair in placeholders.items() if pair[0] != pair[1]} == {}


@pytest.mark.parametrize("name", sorted(LOOKUPS))
def test_every_key_the_code_names_exists(name: str) -> None:
    pattern, files = LOOKUPS[name]
    known = set(tables(TABLES[name])["en"])
    for other in EXTENDS.get(name, []):
        known |= set(tables(TABLES[other])["en"])
        for deeper in EXTENDS.get(other, []):
            known |= set(tables(TABLES[deeper])["en"])
    used = {key for path in files for key in pattern.findall(path.read_text(encoding="utf-8"))}
    if name in HTML:
        used |= set(re.findall(r"data-i18n(?:-placeholder)?=\"(\w+)\"", HTML[name].read_text(encoding="utf-8")))
    assert used, "the pattern finds nothing: the test would pass on anything"
    assert sorted(used - known) == []


def test_the_reader_sees_a_missing_key(tmp_path: Path) -> None:
    """The parser itself: a key only in English is reported (so the test above can fail)."""
    sample = 'const STRINGS = {\n  en: {\n    a: "A",\n    b: "B {x}",\n  },\n  nl: {\n    a: "A",\n  },\n};\n'
    path = tmp_path / "i18n-sample.js"
    path.write_text(sample, encoding="utf-8")
    found = tables(path)
    assert set(found["en"]) - set(found["nl"]) == {"b"}
