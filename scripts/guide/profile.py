"""Time spent in each MkDocs event of scripts/hooks.py, for `docs.py bench`.

With GUIDE_PROFILE=FILE in the environment, hooks.py wraps its own `on_*` functions; when the process
ends, FILE holds, for each build (a build starts at the Chinese on_config; `mkdocs serve` makes one per
rebuild), {event: seconds} summed over both languages.
"""

from __future__ import annotations

import atexit
import collections
import functools
import json
import time
from pathlib import Path


def wrap(namespace: dict, path: str, translation) -> None:
    """`translation(config)`: true inside mkdocs-static-i18n's nested English build, which calls
    on_config again (hooks._building_translation)."""
    builds: list[dict[str, float]] = []

    def timed(name, fn):
        @functools.wraps(fn)     # keeps mkdocs_priority, set by @event_priority
        def run(*args, **kwargs):
            if name == "on_config" and not translation(args[0] if args else kwargs["config"]):
                builds.append(collections.defaultdict(float))
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                if builds:
                    builds[-1][name] += time.perf_counter() - start
        return run

    for name, fn in list(namespace.items()):
        if name.startswith("on_") and callable(fn):
            namespace[name] = timed(name, fn)
    atexit.register(lambda: Path(path).write_text(json.dumps(builds, indent=1), encoding="utf-8"))

