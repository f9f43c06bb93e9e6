"""The demo's video recorder (``serve --demo``): ``chatserver video-recorder`` as a process
of its own, a member of the calls it records, started and stopped with the serving node.
Production runs the recorder from the Procfile instead.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys

from chatserver.actions.context import Services

__all__ = ["run_demo_recorder"]


async def run_demo_recorder(svc: Services) -> None:
    """A worker (Feature.workers): runs the recorder against this hub as long as the node
    serves, when the demo gave its address (Config.demo_hub_url)."""
    if not svc.config.demo_hub_url:
        return
    proc = subprocess.Popen([sys.executable, "-m", "chatserver", "video-recorder",
                             "--hub-url", svc.config.demo_hub_url])
    try:
        await asyncio.Event().wait()  # until the node stops (the worker is cancelled)
    finally:
        await _stop(proc)


async def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            await asyncio.to_thread(proc.wait, 10)
        except subprocess.TimeoutExpired:
            proc.kill()
            await asyncio.to_thread(proc.wait, 5)
