"""Where a GUI stall went (`bench_gui.py --stacks`): stack samples and garbage-collection pauses;
and the heartbeat whose late beats are the stalls."""

from __future__ import annotations

import gc
import os
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any


class StallSampler:
    """`--stacks`: while the heartbeat is late by > 25 ms, sample the GUI thread's stack every
    2 ms, so a missed stall target comes with where the time went (project frames only); and
    time every garbage collection over 5 ms."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.samples: dict[str, int] = {}
        self._main = threading.main_thread().ident
        self._gc_start = 0.0
        gc.callbacks.append(self._gc)  # a collection holds the GIL: the sampler cannot see it
        threading.Thread(target=self._run, daemon=True).start()

    def _gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_start = time.perf_counter()
        elif (ms := (time.perf_counter() - self._gc_start) * 1000) > 5:
            key = f"garbage collection, generation {info['generation']} (one pause of {ms:.0f} ms)"
            self.samples[key] = self.samples.get(key, 0) + round(ms)

    def beat(self) -> None:
        self.last = time.perf_counter()

    def _run(self) -> None:
        while True:
            time.sleep(0.002)
            if time.perf_counter() - self.last <= 0.025:
                continue
            frames = sys._current_frames()
            if self._main in frames:
                key = self._where(frames.pop(self._main))
                others = [w for w in map(self._where, frames.values()) if "proxyshop_desktop" in w]
                if others:  # another thread may hold the GIL: say what it runs
                    key += "  || other thread: " + others[0].split(" <- ")[0]
                self.samples[key] = self.samples.get(key, 0) + 2

    @staticmethod
    def _where(frame: Any) -> str:
        ours = [f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in traceback.extract_stack(frame)
                if "proxyshop_desktop" in f.filename or "site-packages" in f.filename][-4:]
        return " <- ".join(reversed(ours)) or "(C code)"


class Pulse:
    """A precise `ms` heartbeat on the GUI thread, from when the event loop runs: a gap between
    two beats is a stall. With BENCH_STACKS set, a StallSampler says where the stalls went."""

    def __init__(self, ms: int) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.beats: list[float] = []
        self.heart = QTimer()
        self.heart.setTimerType(Qt.TimerType.PreciseTimer)
        self.heart.timeout.connect(lambda: self.beats.append(time.perf_counter()))
        self.sampler: StallSampler | None = None
        if os.environ.get("BENCH_STACKS"):
            self.sampler = StallSampler()
            self.heart.timeout.connect(self.sampler.beat)
        self.heart.start(ms)

    def since(self, start: float) -> list[float]:
        return [b for b in self.beats if b >= start]
