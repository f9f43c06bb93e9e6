"""Keep hypothesis's failure reports readable under ``-W error``.

When a property test fails, hypothesis imports libcst to suggest an explicit
example, and libcst's import emits a DeprecationWarning (from mypy_extensions)
that the suite's warnings-as-errors turns into a pytest INTERNALERROR hiding the
real failure. Importing it once here, with that one warning ignored, caches the
module so the later import is silent. Passing runs never import it at all.
"""

from __future__ import annotations

import warnings

with warnings.catch_warnings():
    warnings.filterwarnings(
        "ignore", message="mypy_extensions.TypedDict is deprecated", category=DeprecationWarning
    )
    try:
        import libcst.metadata  # noqa: F401
    except ImportError:  # hypothesis then skips the suggestion; nothing to guard
        pass
