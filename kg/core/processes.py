"""Child processes that do not outlive the build that started them, and a pool of them
that survives the death of one.

A build killed outright (SIGKILL, the OOM killer) cannot clean up: its pool workers and
the store loader would go on running, holding memory and writing a store folder the
next build then trips over. On Linux the kernel can send a child a signal when its
parent dies (``PR_SET_PDEATHSIG``); elsewhere this is a no-op.

The other way round, a worker killed by the OOM killer must cost one document, not the
build: :func:`ordered_map` knows which task each worker is running, so when a worker
dies it gives that task's result from ``on_death`` and starts another worker in its
place (``concurrent.futures`` only reports a broken pool, and loses every task).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import multiprocessing as mp
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any

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


def death_reason(exitcode: int | None) -> str:
    """How a worker ended, in words, for the message of the task it was running."""
    if exitcode == -signal.SIGKILL:
        return "worker was killed (out of memory?)"
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return f"worker died of {name}"
    return f"worker exited unexpectedly (exit code {exitcode})"


def _serve(conn: Connection, fn: Callable, initializer: Callable | None, initargs: tuple) -> None:
    """A worker's loop: say which task it starts, run it, send the result (or the error)."""
    if initializer is not None:
        initializer(*initargs)
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        index, arg = msg
        conn.send(("start", index, None))
        try:
            reply = ("done", index, fn(arg))
        except Exception as exc:
            reply = ("error", index, exc)
        try:
            conn.send(reply)
        except Exception as exc:  # an unpicklable result or exception
            conn.send(("error", index, RuntimeError(f"{type(exc).__name__}: {exc}")))


class _Worker:
    def __init__(self, context, fn: Callable, initializer: Callable | None, initargs: tuple):
        self.conn, child = context.Pipe(duplex=True)
        self.process = context.Process(target=_serve, args=(child, fn, initializer, initargs))
        self.process.start()
        child.close()
        self.queued: deque[int] = deque()  # tasks sent, in the order it runs them
        self.running: int | None = None  # the task it said it started
        self.started = False  # whether it ever started one

    def stop(self, wait: float) -> None:
        """Let it finish (``wait`` seconds at most, then kill it)."""
        with contextlib.suppress(OSError):
            self.conn.send(None)
        self.process.join(timeout=wait)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def ordered_map(
    fn: Callable[[Any], Any],
    args: Sequence,
    jobs: int,
    *,
    initializer: Callable | None = None,
    initargs: tuple = (),
    on_death: Callable[[Any, str], Any],
    window: int = 8,
    queue: int = 2,
) -> Iterator:
    """``fn(a)`` for every ``a``, in order, from ``jobs`` forked worker processes. At most
    ``window`` results per worker wait to be consumed (memory stays flat) and each worker
    has at most ``queue`` tasks sent ahead. A worker that dies (SIGKILL from the OOM
    killer, a crash) costs only the task it was running: its result is
    ``on_death(arg, reason)``, the tasks queued behind it go to the others, and a new
    worker takes its place. An exception raised by ``fn`` is raised here."""
    context = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    workers: list[_Worker] = []
    results: dict[int, tuple[str, Any]] = {}
    todo: deque[int] = deque(range(len(args)))
    limit = max(1, jobs) * window
    following = 0  # the next result to hand out
    barren = 0  # workers in a row that died before starting any task

    def start_worker() -> None:
        workers.append(_Worker(context, fn, initializer, initargs))

    def dispatch() -> None:
        for w in workers:
            while todo and len(w.queued) < queue and todo[0] < following + limit:
                index = todo.popleft()
                try:
                    w.conn.send((index, args[index]))
                except OSError:  # it died: found out below, when its sentinel fires
                    todo.appendleft(index)
                    return
                w.queued.append(index)

    def receive(w: _Worker) -> bool:
        """Take every message waiting from ``w``; False when it has gone away."""
        try:
            while w.conn.poll():
                kind, index, value = w.conn.recv()
                if kind == "start":
                    w.running, w.started = index, True
                    continue
                w.queued.remove(index)
                w.running = None
                results[index] = (kind, value)
        except (EOFError, OSError):
            return False
        return True

    def bury(w: _Worker) -> None:
        """A worker died: its running task fails, its queue goes back to the others."""
        nonlocal barren
        w.process.join()
        barren = 0 if w.started else barren + 1
        if barren > max(1, jobs) + 2:
            raise RuntimeError(
                f"worker processes keep dying before they start a task: {death_reason(w.process.exitcode)}"
            )
        if w.running is not None:
            results[w.running] = ("done", on_death(args[w.running], death_reason(w.process.exitcode)))
            w.queued.remove(w.running)
        todo.extendleft(sorted(w.queued, reverse=True))
        w.conn.close()
        workers.remove(w)
        start_worker()

    try:
        for _ in range(min(max(1, jobs), len(args))):
            start_worker()
        while following < len(args):
            while following in results:
                kind, value = results.pop(following)
                following += 1
                if kind == "error":
                    raise value
                yield value
                dispatch()
            if following >= len(args):
                break
            dispatch()
            ready = wait([w.conn for w in workers] + [w.process.sentinel for w in workers])
            for w in list(workers):
                alive = receive(w) if w.conn in ready or w.process.sentinel in ready else True
                if not alive or w.process.sentinel in ready:
                    alive = receive(w) and w.process.is_alive()
                    if not alive:
                        bury(w)
    finally:  # all done: the workers are idle; stopped early (an error): no need to wait
        for w in workers:
            w.stop(5.0 if following >= len(args) else 0.0)
