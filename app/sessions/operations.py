"""Everything the web process may do to a session, as named operations run where the session lives.

Each operation is ``op(session, **kwargs) -> plain data`` (dicts, lists, strings, bytes, NumPy arrays, the
frozen ``TrainingSpec``, a ``Frame``): a result may cross a process boundary by pickling, so no tensor and no live
session ever leaves the place that hosts it. Routes and the live stream call them by name through
``SessionBackend.call``; ``OPERATIONS`` is the complete list. Errors are the engine's own (``ValueError``,
``Diverged``), raised to the caller as they are.
"""

import json
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from app.engine import export
from app.engine import background
from app.engine.frames import Frame, build_frame
from app.engine.group import BACKGROUND_SIZES, GroupTrainer
from app.engine.session import Diverged, Status, TrainingSession
from app.engine.snapshot import Snapshot, snapshot
from app.engine.spec import TrainingSpec

BOUNDARY_DECIMALS = 4  # heatmap values to 1e-4: below what a colour scale shows, and ~7 bytes a cell


def describe(session: TrainingSession) -> dict[str, Any]:
    """Status, epoch, losses and metrics (``TrainingSession.state``) plus the resolved ``spec``."""
    return {**session.state(), "spec": session.spec}


def train(session: TrainingSession, *, epochs: int) -> dict[str, Any]:
    """Train ``epochs`` epochs: ``describe`` plus ``seconds`` spent and whether this run ``diverged``.

    A session that had already diverged raises ``Diverged`` and trains nothing; one that diverges now keeps
    its last finite weights and says so (diverged runs cost time too, so ``seconds`` is always there).
    """
    if session.status is Status.DIVERGED:
        raise Diverged(session.message or "training diverged")
    before = session.train_seconds
    try:
        session.train(epochs)
        diverged = False
    except Diverged:
        diverged = True
    return {**describe(session), "seconds": session.train_seconds - before, "diverged": diverged}


def update(session: TrainingSession, *, changes: dict[str, Any]) -> dict[str, Any]:
    """Change live knobs (``TrainingSession.update``); returns ``describe``."""
    session.update(**changes)
    return describe(session)


def reset(session: TrainingSession, *, reseed: bool = False) -> dict[str, Any]:
    session.reset(reseed=reseed)
    return describe(session)


def set_parameter(session: TrainingSession, *, layer: int, kind: str, index: tuple[int, ...],
                  value: float) -> dict[str, Any]:
    session.set_parameter(layer=layer, kind=kind, index=tuple(index), value=value)
    return describe(session)


def boundary_cells(spec: TrainingSpec, resolution: int, neuron_resolution: int) -> int:
    """Heatmap cells of a boundary: the output grid per output unit, the neuron grid per feature and neuron."""
    inputs, *hidden, outputs = spec.layer_sizes
    return resolution**2 * outputs + neuron_resolution**2 * (inputs + sum(hidden))


def _rounded(a: np.ndarray) -> list:
    return np.round(a.astype(np.float64), BOUNDARY_DECIMALS).tolist()


def boundary(session: TrainingSession, *, resolution: int, neuron_resolution: int, max_cells: int) -> bytes:
    """The output and every hidden neuron over the input square: the JSON body of ``GET .../boundary``.

    Encoded here, where the session lives, so the web process only forwards bytes (190 MB of JSON built on
    its event loop once stalled every other request for seconds); ``max_cells`` bounds the work and size.
    """
    cells = boundary_cells(session.spec, resolution, neuron_resolution)
    if cells > max_cells:
        raise ValueError(f"resolution {resolution} and neuron_resolution {neuron_resolution} ask for {cells:,} "
                         f"heatmap cells for this network; at most {max_cells:,} (server limit). "
                         f"Lower neuron_resolution first: every neuron has a map of its own.")
    snap = snapshot(session, resolution, neuron_resolution)
    body = {"resolution": snap.resolution, "output": _rounded(snap.output), "neuron_resolution": snap.neuron_resolution,
            "neurons": [_rounded(layer) for layer in snap.neurons], "inputs": _rounded(snap.inputs)}
    return json.dumps(body, separators=(",", ":")).encode()


def history(session: TrainingSession) -> list[tuple[int, float, float]]:
    """``(epoch, train_loss, test_loss)`` after every training call."""
    return [(p.epoch, p.train_loss, p.test_loss) for p in session.history]


def weights(session: TrainingSession) -> list[np.ndarray]:
    """Kernel and bias of every layer, in order."""
    return session.parameters()


def export_script(session: TrainingSession, *, epochs: int | None = None) -> dict[str, Any]:
    """The Keras script (``text``) and the ``epochs`` it trains (``None``: the export's default for the session)."""
    epochs = epochs or export.default_epochs(session.epoch)
    return {"text": export.script(session, epochs), "epochs": epochs}


def export_keras(session: TrainingSession) -> bytes:
    return export.keras_file(session)


def frame(session: TrainingSession, *, resolution: int, neuron_resolution: int, epochs: int = 0,
          all_features: bool = False) -> Frame:
    """Train ``epochs`` (0: none), then draw: one ``Frame``, which says how long the training took, whether it
    diverged and whether some of it is provisional (``compiling``).

    The only operation that reads a session provisionally (``TrainingSession.train``): live play must not
    wait for a compile.
    """
    seconds, diverged = 0.0, False
    if epochs:
        started = time.perf_counter()
        try:
            session.train(epochs, provisional=True)  # a new network plays at once, before it is compiled
        except Diverged:
            diverged = True
        seconds = time.perf_counter() - started
    else:
        session.settle(wait=False)
    return build_frame(session, resolution=resolution, neuron_resolution=neuron_resolution,
                       all_features=all_features, seconds=seconds, diverged=diverged)


GROUP = GroupTrainer()  # one call trains at most MAX_GROUP_SIZE sessions; more go in even slices
# Group sizes compiled for the default network at start-up, largest first: once the first is ready any class
# of it trains together (padded), the smaller ones then cut the padding.
PREWARM_GROUP_SIZES = tuple(reversed(BACKGROUND_SIZES))


def prewarm(spec: TrainingSpec, *, jit_compile: bool, resolution: int, neuron_resolution: int) -> None:
    """Compile a network's functions before anyone plays it: alone now, in groups (``PREWARM_GROUP_SIZES``) on
    the engine's background thread, so the host answers meanwhile (its classes train alone until then)."""
    session = TrainingSession(spec, jit_compile=jit_compile)
    session.warm(resolution, neuron_resolution)
    background.in_background(("prewarm groups", session.architecture),
                             lambda: GROUP.warm_sizes(session, PREWARM_GROUP_SIZES))


def groupable(session: TrainingSession, epochs: int) -> bool:
    """Whether a member of a group call may train in one call with others of its network: trained exactly (not
    provisional, not diverged) and on built-in data (custom data changes size with every point; each size
    would compile group functions of its own)."""
    return epochs > 0 and not session.provisional and session.status is not Status.DIVERGED and not session.spec.custom


def frame_group(sessions: Sequence[TrainingSession], epochs: Sequence[int], *, resolution: int,
                neuron_resolution: int) -> list[Frame]:
    """``frame(session, epochs=e)`` for every session, each with its own epochs, in as few calls as the networks
    allow: members of one architecture train in one compiled call (``GroupTrainer``) once its function is
    compiled (till then they train alone and it compiles in the background), and members of one network
    draw their heatmaps in one call. Each frame says its own member's numbers, time share and divergence."""
    by_architecture: dict[Any, list[int]] = defaultdict(list)
    first: dict[int, int] = {}  # a session listed twice (two tabs playing it) trains its second turn alone
    for i, (session, e) in enumerate(zip(sessions, epochs, strict=True)):
        if groupable(session, e) and first.setdefault(id(session), i) == i:
            by_architecture[session.architecture].append(i)
    seconds, diverged = [0.0] * len(sessions), [False] * len(sessions)
    together: set[int] = set()
    for members in by_architecture.values():
        group = [sessions[i] for i in members]
        if len(members) < 2:
            continue
        before = [s.train_seconds for s in group]
        try:
            if not GROUP.compiled(group):
                if background.idle():  # networks still compiling to play at all go first; asked again next call
                    GROUP.compile_later(group)
                continue
            outcome = GROUP.train(group, [epochs[i] for i in members])
        except ValueError:  # a member changed shape since it was grouped (a REST PATCH meanwhile): all alone
            continue
        for i, error, start in zip(members, outcome, before):
            seconds[i], diverged[i] = sessions[i].train_seconds - start, error is not None
        together.update(members)
    for i, session in enumerate(sessions):
        if i not in together and epochs[i]:
            started = time.perf_counter()
            try:
                session.train(epochs[i], provisional=True)
            except Diverged:
                diverged[i] = True
            seconds[i] = time.perf_counter() - started
    snaps = _snapshots(sessions, resolution, neuron_resolution)
    return [build_frame(s, resolution=resolution, neuron_resolution=neuron_resolution, seconds=seconds[i],
                        diverged=diverged[i], snap=snaps.get(i)) for i, s in enumerate(sessions)]


def run_group(sessions: Sequence[TrainingSession | None], epochs: Sequence[int], *, resolution: int,
              neuron_resolution: int) -> list[Frame | None]:
    """``frame_group`` of the sessions still hosted, None for those removed meanwhile (None in ``sessions``):
    how every backend executes ``call_group`` where the sessions live."""
    here = [i for i, s in enumerate(sessions) if s is not None]
    frames = frame_group([sessions[i] for i in here], [epochs[i] for i in here], resolution=resolution,
                         neuron_resolution=neuron_resolution)
    out: list[Frame | None] = [None] * len(sessions)
    for i, f in zip(here, frames):
        out[i] = f
    return out


def group_key(spec: TrainingSpec, jit_compile: bool) -> Any:
    """What sessions must share to train in one call (their ``Architecture``); None for custom data (see
    ``groupable``) or a spec the engine refuses."""
    try:
        return None if spec.custom else spec.resolved().architecture(jit_compile=jit_compile)
    except (ValueError, LookupError):
        return None


def _snapshots(sessions: Sequence[TrainingSession], resolution: int, neuron_resolution: int) -> dict[int, Snapshot]:
    """The heatmaps of every two or more sessions of one network and features, from one call each."""
    by_network: dict[Any, list[int]] = defaultdict(list)
    first: dict[int, int] = {}
    for i, s in enumerate(sessions):
        if first.setdefault(id(s), i) == i:  # a session listed twice draws its own second frame
            by_network[(s.shape, s.spec.layer_sizes, s.spec.features)].append(i)
    out: dict[int, Snapshot] = {}
    for members in by_network.values():
        if len(members) > 1:
            try:
                out.update(zip(members, GROUP.snapshots([sessions[i] for i in members], resolution,
                                                        neuron_resolution)))
            except ValueError:  # a member changed network since it was listed: each draws its own
                pass
    return out


def export_state(session: TrainingSession) -> dict[str, Any]:
    """What ``TrainingSession.from_state`` needs to rebuild the session elsewhere."""
    return session.export_state()


def saved_run(session: TrainingSession, *, resolution: int) -> dict[str, Any]:
    """What a saved run keeps: ``export_state``, the data's points and the output over a ``resolution``² grid,
    all from the same settled moment."""
    state = session.export_state()
    # drawn from a copy of the exported state: live play may train the session itself meanwhile
    copy = TrainingSession.from_state(state, jit_compile=False)
    split = copy.split
    return {**state, "problem": copy.spec.problem.value, "boundary": snapshot(copy, resolution, 2).output,
            "points": {"train_points": split.train_points, "train_labels": split.train_labels,
                       "test_points": split.test_points, "test_labels": split.test_labels}}


def load_state(session: TrainingSession, *, state: dict[str, Any]) -> None:
    session.load_state(state)


def warm(session: TrainingSession, *, resolution: int, neuron_resolution: int) -> None:
    """Compile the session's functions here before it is needed (a moved session's first frame stays fast)."""
    session.warm(resolution, neuron_resolution)


OPERATIONS: dict[str, Callable[..., Any]] = {op.__name__: op for op in (
    describe, train, update, reset, set_parameter, boundary, history, weights, export_script, export_keras,
    frame, export_state, saved_run, load_state, warm)}


def get(name: str) -> Callable[..., Any]:
    try:
        return OPERATIONS[name]
    except KeyError:
        raise ValueError(f"Unknown operation {name!r}. Expected one of: {', '.join(OPERATIONS)}") from None


# Operations that need no settled session: ``frame`` shows live play as it is, ``update`` only changes the
# knobs of calls to come (the replay knows each call's own), ``reset`` and ``load_state`` drop the replay.
UNSETTLED = {frame, update, reset, load_state}


def run(session: TrainingSession, name: str, kwargs: dict[str, Any]) -> Any:
    """Apply operation ``name`` to ``session``: how every backend executes a call. The others see the session
    settled: exact numbers, never the stand-ins of live play (``TrainingSession.train``)."""
    op = get(name)
    if op not in UNSETTLED:
        session.settle()
    return op(session, **kwargs)
