"""Where a new session goes: the one rule every backend with many hosts (worker processes, Ray actors) follows.

A host that already compiled a session's network serves its first call in milliseconds where another spends a
second compiling; one that traced its kind of network plays a new width at once instead of op by op. So a new
session joins such a host unless that one is much busier than the least loaded.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:  # the rule itself needs no TensorFlow: a Ray directory actor places without importing it
    from app.engine.spec import TrainingSpec
    from app.engine.trainer import Architecture, Kind

# A new session joins a host that compiled its network unless that one hosts more than RATIO × the least
# loaded + SLACK sessions; else one that traced its kind of network unless that one hosts more than the
# least loaded + KIND_SLACK.
AFFINITY_RATIO, AFFINITY_SLACK = 1.25, 2
KIND_SLACK = 1

H = TypeVar("H")


def compile_key(spec: TrainingSpec) -> Architecture | None:
    """The compiled functions a session needs (the trainer's own ``Architecture``); None for a spec the engine
    will refuse. Every host compiles alike, so the XLA flag is left at its default here."""
    try:
        return spec.resolved().architecture()
    except (ValueError, LookupError):
        return None


def kind_key(spec: TrainingSpec) -> Kind | None:
    """The graph-mode stand-ins a session plays on before it is compiled (the trainer's own ``Kind``): a
    host that traced them shows a new width's first frame at once instead of op by op."""
    try:
        return spec.resolved().kind()
    except (ValueError, LookupError):
        return None


def choose(candidates: Sequence[H], key: Hashable, kind: Hashable, *, load: Callable[[H], int],
           compiled: Callable[[H], set], traced: Callable[[H], set]) -> H:
    """The least-loaded of ``candidates`` (never empty); but one whose ``compiled`` set holds ``key`` if it is
    not much busier, else one whose ``traced`` set holds ``kind`` if it is hardly busier."""
    least = min(candidates, key=load)
    preferences = [([h for h in candidates if key in compiled(h)], load(least) * AFFINITY_RATIO + AFFINITY_SLACK),
                   ([h for h in candidates if kind in traced(h)], load(least) + KIND_SLACK)]
    for preferred, most in preferences:
        if preferred:
            best = min(preferred, key=load)
            if load(best) <= most:
                return best
    return least
