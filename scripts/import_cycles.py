"""Import cycles among our own modules; exits 1 when there is any (scripts/test.sh runs it).

Every import counts, also those inside functions and under TYPE_CHECKING: a cycle that
only exists at type-checking time still ties two modules' designs together.
Usage: python scripts/import_cycles.py [PACKAGE_DIR ...]
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGES = ("chatserver", "livechat", "sms", "signaling", "widget")


def modules(roots: list[str]) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for root in roots:
        for path in Path(root).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def imported(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The known modules ``name`` imports (a ``from x import y`` counts x.y when that is a module)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(parts + ([base] if base else []))
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        for target in targets:
            if target in known and target != name:
                out.add(target)
    return out


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def main(argv: list[str]) -> int:
    roots = argv or [p for p in PACKAGES if Path(p).is_dir()]
    known = modules(roots)
    graph = {name: imported(name, path, known) for name, path in known.items()}
    found = cycles(graph)
    for component in found:
        print("cycle:", " ".join(component))
    print(f"{len(found)} import cycles among {len(known)} modules")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
