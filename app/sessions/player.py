"""The play loop of the live stream: which streams play, when each one trains next and for how many epochs.

One ``Player`` per app knows every playing stream and makes every decision about training calls: how long a
call may take when streams outnumber the training threads (``slice_seconds``), who sits out over its training
budget, how many epochs go into the next call (``next_epochs``) and the pace a stream asked for. ``Player.plan``
is the one place that decides what trains next; ``Player.turn`` then trains the streams of one host and
architecture that are due together in one call (``app.sessions.gather``).

One ``Playback`` per connection runs that connection's loop: commands in (``app.sessions.commands``, parsed
by the route), frames and errors out through one ``send`` (so a header and its bytes are never split by another
message). It knows nothing of WebSockets.
"""

import asyncio
import json
import time
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass

from app.engine.frames import Frame
from app.engine.spec import DATA_FIELDS
from app.sessions.commands import KEEP, Command, Edit, Keep, Pause, Play, Refresh, Refused, Reset, Set, Step
from app.sessions.gather import Gatherer
from app.sessions.manager import SessionManager

TARGET_SECONDS = 0.03  # one training call; with the frame work around it, ~25 frames a second
MIN_SLICE_SECONDS = 0.002  # below this a call is all overhead
# A member of a group call trains this part of its slice: the rest pays for its frame (its heatmaps, encoding and
# sending, ~1 ms a session where a group call's training costs a fraction of a solo call's), so a classroom
# keeps its frame rate while each frame carries many more epochs.
GROUPED_SLICE_SHARE = 0.5
BUDGET_WAIT_SECONDS = 0.5  # a throttled stream looks again this often (and reads commands meanwhile)
COMPILING_POLL_SECONDS = 0.5  # a paused stream whose last frame said "compiling" sends a fresh one this often
# A paced stream that fell behind (a slow call, a budget wait) makes up at most this much of it at once, so a
# stall is never followed by a burst.
MAX_CATCH_UP_SECONDS = 0.5
# The paces a page offers (epochs per second; None: as fast as the server allows) and the one it starts at:
# TensorFlow Playground's own, about one epoch a frame, slow enough for a teacher to narrate.
PACES: tuple[float | None, ...] = (1, 3, 10, 30, 100, 300, 1000, None)
DEFAULT_PACE: float | None = 30


# ``send(text, data)``: one text message, then (unless None) one binary message right after it.
Send = Callable[[str, bytes | None], Awaitable[None]]


# -- the decisions ---------------------------------------------------------------------------------------


def slice_seconds(playing: int, workers: int) -> float:
    """How long one training call should take so every playing stream gets its turn.

    One stream alone gets ``TARGET_SECONDS``; with more streams than training threads the slices
    shrink in proportion, so a classroom of small sessions all keep moving instead of queueing
    behind each other's 30 ms calls. A session with a huge network gets the same slice, not more.
    """
    if playing <= workers:
        return TARGET_SECONDS
    return max(MIN_SLICE_SECONDS, TARGET_SECONDS * workers / playing)


def next_epochs(epochs: int, seconds: float, *, cap: int, target: float = TARGET_SECONDS) -> int:
    """The epochs for the next call so that it takes about ``target``: grow or shrink at most 2× a call."""
    if seconds <= 0:
        return min(cap, epochs * 2)
    ideal = epochs * target / seconds
    return max(1, min(cap, int(min(epochs * 2, max(epochs / 2, ideal)))))


def owed_epochs(pace: float, elapsed: float, done: int) -> float:
    """The epochs a stream playing at ``pace`` (epochs per second) owes after ``elapsed`` seconds with ``done``
    trained: the first is owed at once, and a debt beyond ``MAX_CATCH_UP_SECONDS`` of play is forgiven."""
    return min(pace * elapsed + 1 - done, pace * MAX_CATCH_UP_SECONDS + 1)


def paced_epochs(epochs: int, owed: float) -> int:
    """The next call of a paced stream: the whole epochs it owes, at least one, at most what the slice allows
    (``epochs``): the pace is a ceiling, never a floor. Slow frames carry more epochs, so the pace holds."""
    return max(1, min(epochs, int(owed)))


@dataclass(frozen=True)
class Turn:
    """Train ``epochs`` epochs in the next call."""

    epochs: int


@dataclass(frozen=True)
class Wait:
    """Not yet: look again after ``seconds`` (reading commands meanwhile)."""

    seconds: float


class Player:
    """The playing streams of one app and the rules of their training calls.

    ``capacity`` (calls the backend runs at once) comes from the backend, which the app's settings sized
    (worker processes × threads each, or the in-process thread pool).
    """

    def __init__(self, manager: SessionManager, *, resolution: int, neuron_resolution: int,
                 max_epochs_per_call: int, grouping: bool = True) -> None:
        self.manager = manager
        self.resolution = resolution
        self.neuron_resolution = neuron_resolution
        self.max_epochs_per_call = max_epochs_per_call
        self.grouping = grouping  # off: every stream makes its own calls
        self.streams: set[Hashable] = set()  # the playing ones (their Playbacks)
        self.gatherer = Gatherer(manager, resolution=resolution, neuron_resolution=neuron_resolution,
                                 expected=self._playing_with, solo=self._frame)

    def __repr__(self) -> str:
        return f"Player(playing={len(self.streams)}, capacity={self.capacity})"

    @property
    def capacity(self) -> int:
        return self.manager.backend.capacity

    def playback(self, session_id: str, send: Send) -> "Playback":
        return Playback(self, session_id, send)

    def slice(self) -> float:
        return slice_seconds(len(self.streams), self.capacity)

    def contended(self) -> bool:
        """More playing streams than training threads: someone is waiting for their turn."""
        return len(self.streams) > self.capacity

    def plan(self, playback: "Playback") -> Turn | Wait:
        """What a playing stream does next.

        The compute budget only bites when others wait: a learner alone on the server plays at full speed; in a
        busy classroom a session past its budget sits out until it has time left again. A paced stream waits
        until its epochs are due.
        """
        session_id = playback.session_id
        if self.contended() and self.manager.budget_left(session_id) <= 0:
            wait = min(BUDGET_WAIT_SECONDS, self.manager.budget_retry_after(session_id))
            return Wait(max(MIN_SLICE_SECONDS, wait))
        if playback.pace is None:
            return Turn(playback.epochs)
        owed = playback.owed()
        if owed < 1:
            return Wait((1 - owed) / playback.pace)
        return Turn(paced_epochs(playback.epochs, owed))

    async def frame(self, session_id: str, *, epochs: int = 0, all_features: bool = False) -> Frame:
        """One call where the session lives: train ``epochs`` (0: none), then draw; the time is charged."""
        return self._charged(session_id, await self._frame(session_id, epochs, all_features=all_features))

    async def turn(self, playback: "Playback", epochs: int) -> tuple[Frame, int]:
        """A playing stream's turn: ``epochs`` epochs and a frame, in one call with the other streams of its
        host and architecture that are due now (``Gatherer``), or alone; the time is charged. Returns the frame
        and the call's members."""
        playback.group = self.manager.group_key(playback.session_id) if self.grouping else None
        if playback.group is None:
            return await self.frame(playback.session_id, epochs=epochs), 1
        frame, members = await self.gatherer.frame(playback.group, playback.session_id, epochs)
        return self._charged(playback.session_id, frame), members

    def _playing_with(self, key: Hashable) -> int:
        return sum(1 for p in self.streams if getattr(p, "group", None) == key)

    async def _frame(self, session_id: str, epochs: int, *, all_features: bool = False) -> Frame:
        return await self.manager.call(session_id, "frame", epochs=epochs, resolution=self.resolution,
                                       neuron_resolution=self.neuron_resolution, all_features=all_features)

    def _charged(self, session_id: str, frame: Frame) -> Frame:
        if frame.seconds:
            self.manager.charge(session_id, frame.seconds)
        return frame


class Playback:
    """One connection's loop over one session: its commands, its training calls and its frames, in order."""

    def __init__(self, player: Player, session_id: str, send: Send) -> None:
        self.player = player
        self.session_id = session_id
        self._send = send
        self._playing = False
        self.pace: float | None = None  # epochs per second wanted; None: as fast as the slices allow
        self.epochs = 1  # per call while playing; adapted from the measured time
        self.rate = 0.0  # epochs per second shown, smoothed
        self._paced_since: float | None = None  # perf_counter time the current pace started counting
        self._paced_done = 0  # epochs trained at the current pace since then
        self.compiling = False  # the last frame sent while paused said so
        self.group: Hashable | None = None  # the group key of its last turn (None: alone)

    def __repr__(self) -> str:
        return f"Playback({self.session_id[:6]}…, playing={self.playing}, pace={self.pace}, epochs={self.epochs})"

    def owed(self) -> float:
        """The epochs a paced stream owes now (``owed_epochs``); its count starts at its first call."""
        now = time.perf_counter()
        if self._paced_since is None:
            self._paced_since, self._paced_done = now, 0
        owed = owed_epochs(self.pace, now - self._paced_since, self._paced_done)
        # a forgiven debt moves the start, so the next call counts from the forgiven point, not from before it
        self._paced_since = now - (owed - 1 + self._paced_done) / self.pace
        return owed

    @property
    def playing(self) -> bool:
        return self._playing

    @playing.setter
    def playing(self, value: bool) -> None:
        self._playing = value
        (self.player.streams.add if value else self.player.streams.discard)(self)

    async def run(self, inbox: "asyncio.Queue[Command | None]") -> None:
        """Serve the commands of ``inbox`` (``None``: the client has gone) until the client goes."""
        try:
            await self.show(all_features=True)
            while True:
                if self.playing:
                    while not inbox.empty():
                        if not await self.handle(inbox.get_nowait()):
                            return
                    if not self.playing:
                        continue
                    turn = self.player.plan(self)
                    if isinstance(turn, Wait):
                        self.group = None  # not due: its group's calls do not wait for it
                        if not await self._wait(inbox, turn.seconds):
                            return
                        continue
                    await self.train(turn.epochs)
                    await asyncio.sleep(0)  # let the reader run between calls
                elif self.compiling:  # paused before the compile finished: show the settled numbers once ready
                    if not await self._wait(inbox, COMPILING_POLL_SECONDS, on_timeout=self.show):
                        return
                else:
                    if not await self.handle(await inbox.get()):
                        return
        finally:
            self.playing = False

    async def _wait(self, inbox: "asyncio.Queue[Command | None]", seconds: float,
                    on_timeout: Callable[[], Awaitable[None]] | None = None) -> bool:
        """Handle the next command if one comes within ``seconds``; False when the client has gone."""
        try:
            command = await asyncio.wait_for(inbox.get(), seconds)
        except asyncio.TimeoutError:
            if on_timeout is not None:
                await on_timeout()
            return True
        return await self.handle(command)

    async def handle(self, command: Command | None) -> bool:
        """Apply one command; False when the client has gone."""
        if command is None:
            return False
        try:
            await self.apply(command)
        except ValueError as e:  # the engine's own checks (e.g. a batch size above the data)
            await self.error(str(e))
        return True

    async def apply(self, command: Command) -> None:
        match command:
            case Refused(detail):
                await self.error(detail)
                return
            case Play(pace):
                self._set_pace(pace)
                self._paced_since = None  # a pause is not made up after it
                self.playing = True  # keeps the epochs per call measured last time: full speed at once
                return
            case Pause():
                self.playing = False
            case Step():
                self.playing = False
                await self.train(1)
                return
            case Set(changes, pace):
                if changes:
                    await self.player.manager.call(self.session_id, "update", changes=changes)
                    if changes.keys() & set(DATA_FIELDS):  # new points: show them trained on at once, then grow
                        self.epochs = 1
                self._set_pace(pace)
            case Reset(reseed):
                await self.player.manager.call(self.session_id, "reset", reseed=reseed)
            case Edit(layer, kind, index, value):
                await self.player.manager.call(self.session_id, "set_parameter", layer=layer, kind=kind,
                                               index=index, value=value)
            case Refresh():
                await self.show(all_features=True)
                return
        if not self.playing:
            await self.show()

    def _set_pace(self, pace: float | None | Keep) -> None:
        if pace is not KEEP:
            self.pace = pace
            self._paced_since = None  # a new pace starts counting now

    async def train(self, epochs: int) -> None:
        """Train ``epochs`` epochs and send the frame; a divergence stops play."""
        started = time.perf_counter()
        members = 1
        if self.playing:
            frame, members = await self.player.turn(self, epochs)
        else:
            frame = await self.player.frame(self.session_id, epochs=epochs)
        if frame.diverged:
            self.playing = False
        elif self.playing:
            target = self.player.slice() * (GROUPED_SLICE_SHARE if members > 1 else 1)
            self.epochs = next_epochs(epochs, frame.seconds, cap=self.player.max_epochs_per_call, target=target)
            wall = time.perf_counter() - started
            if self.pace is not None:  # shown at its pace: the waits between its calls are part of its time
                self._paced_done += epochs
                wall = max(wall, epochs / self.pace)
            self.rate = epochs / wall if self.rate == 0 else 0.7 * self.rate + 0.3 * epochs / wall
        await self.send(frame)

    async def show(self, *, all_features: bool = False) -> None:
        """Send a frame of the session as it is (nothing trained)."""
        await self.send(await self.player.frame(self.session_id, all_features=all_features))

    async def send(self, frame: Frame) -> None:
        if not self.playing:
            self.compiling = frame.compiling
        text, data = frame.wire(playing=self.playing,
                                epochs_per_second=round(self.rate, 1) if self.playing else 0.0)
        await self._send(text, data)

    async def error(self, detail: str) -> None:
        await self._send(json.dumps({"type": "error", "detail": detail}), None)
