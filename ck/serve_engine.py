"""The generation engine behind `ck serve`: slots, a queue, and batched decode steps.

One worker thread owns the model. Each request waits in a bounded queue until a slot (one KV
cache of the model's `slots`) is free, then its prompt is prefilled into that slot (after the
longest prefix the slot already holds: a follow-up turn of a chat feeds only its new tokens)
and it joins the running set. Every decode step feeds the last sampled token of every running
request through one `Model.decode_batch` call: the weights are read once for all of them, and
each row's logits are bit-identical to a one-slot step, so an answer never depends on what else
is running. A cancelled request (a client that went away) leaves its slot at the next step.

Results go back to the asyncio side through `Job`: an async iterator of token ids, fed with
`loop.call_soon_threadsafe`.
"""

from __future__ import annotations

import asyncio
import collections
import threading
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ck.errors import CkError

if TYPE_CHECKING:
    from ck.runtime import Model
    from ck.sampling import SamplingParams


class QueueFull(CkError):
    """More requests are waiting than the queue holds (the server answers 503)."""


FINISH_STOP, FINISH_LENGTH, FINISH_CANCELLED = "stop", "length", "cancelled"
_END = object()


class Job:
    """One request's generation: its tokens arrive as an async iterator, and `finish_reason`
    ("stop": an end-of-generation token; "length": max_tokens or a full context) is set when
    it ends. `cancel()` may be called from any thread."""

    def __init__(self, prompt_ids: Sequence[int], max_tokens: int, params: SamplingParams,
                 loop: asyncio.AbstractEventLoop) -> None:
        self.prompt_ids = list(prompt_ids)
        self.max_tokens = max_tokens
        self.params = params
        self.loop = loop
        self.generated: list[int] = []
        self.finish_reason: str | None = None
        self.cached_tokens = 0  # prompt tokens the slot already held (not prefilled again)
        self.error: BaseException | None = None
        self.cancelled = threading.Event()
        self.submitted = time.perf_counter()
        self._queue: asyncio.Queue[object] = asyncio.Queue()

    @property
    def prompt_tokens(self) -> int:
        return len(self.prompt_ids)

    @property
    def completion_tokens(self) -> int:
        return len(self.generated)

    def cancel(self) -> None:
        self.cancelled.set()

    def _push(self, item: object) -> None:
        self.loop.call_soon_threadsafe(self._queue.put_nowait, item)

    async def tokens(self) -> AsyncIterator[int]:
        """The generated token ids, as they are sampled; raises what the engine raised."""
        while True:
            item = await self._queue.get()
            if item is _END:
                if self.error is not None:
                    raise self.error
                return
            assert isinstance(item, int)
            yield item


@dataclass
class Slot:
    """One KV cache of the model: which tokens it holds, and the job using it (None: free)."""

    index: int
    cached: list[int] = field(default_factory=list)
    job: Job | None = None
    last: int = -1  # the sampled token the next step feeds
    history: list[int] = field(default_factory=list)  # prompt + generated, for the penalties
    sampler: object = None


@dataclass
class EngineStats:
    """Counters for /metrics (totals since start, and what is in use now)."""

    requests_total: int = 0
    requests_cancelled: int = 0
    prompt_tokens_total: int = 0
    prompt_tokens_cached_total: int = 0
    generated_tokens_total: int = 0
    decode_steps_total: int = 0
    decode_seconds_total: float = 0.0
    prefill_seconds_total: float = 0.0
    queue_depth: int = 0
    slots_busy: int = 0
    slots_total: int = 0
    recent: collections.deque[tuple[float, int]] = field(default_factory=lambda: collections.deque(maxlen=64))

    def tokens_per_second(self) -> float:
        """Generated tokens per second over the last decode steps (0 when idle for 10 s)."""
        now = time.perf_counter()
        steps = [(t, n) for t, n in self.recent if now - t < 10.0]
        if len(steps) < 2:
            return 0.0
        span = steps[-1][0] - steps[0][0]
        return sum(n for _, n in steps[1:]) / span if span > 0 else 0.0


class Engine:
    """Runs generation requests on `model`'s slots from one worker thread (see the module doc)."""

    def __init__(self, model: Model, queue_limit: int = 64) -> None:
        if queue_limit < 0:
            raise CkError(f"the queue limit must be >= 0, got {queue_limit}")
        self.model = model
        self.queue_limit = queue_limit
        self.slots = [Slot(i) for i in range(model.slots)]
        self.stats = EngineStats(slots_total=model.slots)
        self._waiting: collections.deque[Job] = collections.deque()
        self._wake = threading.Condition()
        self._stop = False
        self._thread = threading.Thread(target=self._run, name="ck-engine", daemon=True)
        self._thread.start()

    # -- the asyncio side

    def submit(self, prompt_ids: Sequence[int], max_tokens: int, params: SamplingParams) -> Job:
        """Queue a request (from the event loop's thread); QueueFull when the queue is full,
        CkError when the prompt cannot fit a slot's context."""
        if not prompt_ids:
            raise CkError("the prompt is empty: nothing to continue from")
        room = self.model.context_len
        if len(prompt_ids) > room:
            raise CkError(f"the prompt is {len(prompt_ids)} tokens, longer than a slot's context of {room} "
                          "(prompt and answer together; raise -c/--ctx-size)")
        job = Job(prompt_ids, max_tokens, params, asyncio.get_running_loop())
        with self._wake:
            if len(self._waiting) >= self.queue_limit and not self._free_slot_exists():
                raise QueueFull(f"the server is busy: {len(self._waiting)} requests are waiting "
                                f"(--queue {self.queue_limit})")
            self._waiting.append(job)
            self.stats.requests_total += 1
            self.stats.queue_depth = len(self._waiting)
            self._wake.notify()
        return job

    def close(self) -> None:
        with self._wake:
            self._stop = True
            self._wake.notify()
        self._thread.join()
        for job in list(self._waiting):
            self._finish(job, FINISH_CANCELLED)

    def _free_slot_exists(self) -> bool:
        busy = sum(1 for s in self.slots if s.job is not None)
        return busy + len(self._waiting) < len(self.slots)

    # -- the worker thread

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._stop and not self._waiting and not any(s.job for s in self.slots):
                    self._wake.wait()
                if self._stop:
                    break
            try:
                self._drop_cancelled()
                self._admit()
                self._step()
            except BaseException as e:  # a runtime failure ends every running job with it, never the thread
                for slot in self.slots:
                    if slot.job is not None:
                        slot.job.error = e
                        self._release(slot, FINISH_CANCELLED)
        for slot in self.slots:
            if slot.job is not None:
                self._release(slot, FINISH_CANCELLED)

    def _drop_cancelled(self) -> None:
        with self._wake:
            for job in [j for j in self._waiting if j.cancelled.is_set()]:
                self._waiting.remove(job)
                self.stats.requests_cancelled += 1
                self._finish(job, FINISH_CANCELLED)
            self.stats.queue_depth = len(self._waiting)
        for slot in self.slots:
            if slot.job is not None and slot.job.cancelled.is_set():
                self.stats.requests_cancelled += 1
                self._release(slot, FINISH_CANCELLED)

    def _admit(self) -> None:
        """Move waiting jobs into free slots (each into the one holding most of its prompt) and prefill them."""
        while True:
            with self._wake:
                free = [s for s in self.slots if s.job is None]
                if not free or not self._waiting:
                    return
                job = self._waiting.popleft()
                self.stats.queue_depth = len(self._waiting)
            slot = max(free, key=lambda s: (_common_prefix(s.cached, job.prompt_ids), -s.index))
            self._start(slot, job)

    def _start(self, slot: Slot, job: Job) -> None:
        from ck.sampling import Sampler

        # Feed at least the prompt's last two tokens: a chunk of two or more takes the prefill
        # kernels, as a fresh prompt does, so a prefix the slot holds from an earlier prompt gives
        # the logits a fresh prefill gives (one token alone would take the decode step's).
        keep = min(_common_prefix(slot.cached, job.prompt_ids), max(len(job.prompt_ids) - 2, 0))
        slot.job, slot.sampler, slot.history = job, Sampler(job.params), list(job.prompt_ids)
        self.stats.slots_busy = sum(1 for s in self.slots if s.job is not None)
        self.model.rewind(keep, slot=slot.index)
        slot.cached = job.prompt_ids[:keep]
        job.cached_tokens = keep
        t0 = time.perf_counter()
        logits = self.model.forward(job.prompt_ids[keep:], logits="last", slot=slot.index)[-1]
        self.stats.prefill_seconds_total += time.perf_counter() - t0
        slot.cached = list(job.prompt_ids)
        self.stats.prompt_tokens_total += len(job.prompt_ids)
        self.stats.prompt_tokens_cached_total += keep
        self._emit(slot, logits)

    def _emit(self, slot: Slot, logits: np.ndarray) -> None:
        """Sample the slot's next token from its logits and hand it to the job, or end the job."""
        job = slot.job
        assert job is not None
        if job.max_tokens == 0:
            self._release(slot, FINISH_LENGTH)
            return
        token = slot.sampler.sample(logits, slot.history)  # type: ignore[attr-defined]
        if self.model.tokenizer.is_eog(token):
            self._release(slot, FINISH_STOP)
            return
        job.generated.append(token)
        slot.history.append(token)
        self.stats.generated_tokens_total += 1
        job._push(token)
        if len(job.generated) >= job.max_tokens or len(slot.cached) >= self.model.context_len:
            self._release(slot, FINISH_LENGTH)
            return
        slot.last = token

    def _step(self) -> None:
        """One decode step of every running slot, batched."""
        running = [s for s in self.slots if s.job is not None]
        if not running:
            return
        t0 = time.perf_counter()
        logits = self.model.decode_batch([s.index for s in running], [s.last for s in running])
        now = time.perf_counter()
        self.stats.decode_seconds_total += now - t0
        self.stats.decode_steps_total += 1
        self.stats.recent.append((now, len(running)))
        for row, slot in enumerate(running):
            slot.cached.append(slot.last)
            self._emit(slot, logits[row])

    def _release(self, slot: Slot, reason: str) -> None:
        job = slot.job
        slot.job, slot.sampler, slot.last = None, None, -1
        self.stats.slots_busy = sum(1 for s in self.slots if s.job is not None)
        if job is not None:
            self._finish(job, reason)

    def _finish(self, job: Job, reason: str) -> None:
        job.finish_reason = reason
        job._push(_END)


def _common_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i
