"""Child processes that do not outlive the build that started them.

A build killed outright (SIGKILL, the OOM killer) cannot clean up: its pool workers and
the store loader would go on running, holding memory and writing a store folder the
next build then trips over. On Linux the kernel can send a child a signal when its
parent dies (``PR_SET_PDEATHSIG``); elsewhere this is a no-op.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Ask the kernel to SIGKILL this process when its parent dies (Linux only); for a
    pool initializer or a ``subprocess`` ``preexec_fn``."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before the request took effect
        os._exit(1)
