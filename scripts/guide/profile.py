"""Time spent in each MkDocs event of scripts/hooks.py, for `docs.py bench`.

With GUIDE_PROFILE=FILE in the environment, hooks.py wraps its own `on_*` functions; when the build
ends, FILE holds {event: [seconds, calls]}, summed over both languages' builds.
"""

from __future__ import annotations

import atexit
import collections
import functools
import json
import time
from pathlib import Path


def wrap(namespace: dict, path: str) -> None:
    totals: dict[str, list] = collections.defaultdict(lambda: [0.0, 0])

    def timed(name, fn):
        @functools.wraps(fn)     # keeps mkdocs_priority, set by @event_priority
        def run(*args, **kwargs):
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                totals[name][0] += time.perf_counter() - start
                totals[name][1] += 1
        return run

    for name, fn in list(namespace.items()):
        if name.startswith("on_") and callable(fn):
            namespace[name] = timed(name, fn)
    atexit.register(lambda: Path(path).write_text(json.dumps(totals, indent=1), encoding="utf-8"))
