"""The embeddable live-chat widget: one plain-JavaScript file, ``widget.js``.

A package only so that the file ships in the wheel beside the server that serves it
at ``/widget.js`` (see ``chatserver.app.widget_js``); there is no Python here.
"""

from importlib.resources import files
from pathlib import Path


def script_path() -> Path:
    """Where ``widget.js`` lies in this installation (a repo checkout or a wheel)."""
    return Path(str(files(__name__) / "widget.js"))
