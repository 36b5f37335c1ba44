"""Ending the program without tearing the interpreter down, after a command that leaves nothing open.

Python's normal exit frees every object the process built, module by module (about 25–35 ms after
`selfcheck run`: the models, the banks, Rich's tables), though the operating system takes the whole
memory back at once. A command whose module says `FAST_EXIT = True` promises that when its run()
returns, everything it wrote is written and closed (the store writes each file whole with fsync and
closes it; output files are written with `with` or write_text), so freeing memory is all that is
left, and that it makes little garbage (see run()). Then the program runs what was registered with
atexit (a PostgreSQL pool's close, coverage), flushes standard output and error, and ends with
os._exit. Anything that would make this unsafe — a thread that is not a daemon still running, an
output that cannot be flushed — falls back to the normal exit, which reports it as usual. Only the
program itself does this (cli.main() called without arguments), never a call in a test or a
benchmark (issue 14 §2).
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
import threading
from typing import Any


def run(command: Any, args: Any) -> int:
    """command.run(args) and, when it succeeds, the end of the process. Garbage collection waits
    meanwhile: such a command builds its models, banks and report once and frees almost nothing, and
    the collector's passes over them (10–18 ms for `run`, a last one after it returned) would find
    nothing to free. If the command fails, or the process must end normally, it is on again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        code = command.run(args)
        if code == 0:
            leave(code)
        return code
    finally:
        if enabled:
            gc.enable()


def leave(code: int) -> None:
    """End the process now with `code` when only freeing memory is left; else return (and the caller
    exits as usual)."""
    main = threading.main_thread()
    if any(t is not main and t.is_alive() and not t.daemon for t in threading.enumerate()):
        return  # Python's exit would wait for it
    atexit._run_exitfuncs()  # what Python's exit runs after the threads (it reports their errors itself)
    atexit._clear()
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:  # None: started with that descriptor closed
                stream.flush()
    except Exception:  # e.g. a closed pipe: the normal exit says so, as it always has
        return
    os._exit(code)
