"""The live stream's commands as the client sends them (JSON text), checked and turned into the player's.

``play`` (``pace``), ``pause``, ``step`` (one epoch), ``set`` (``changes``: the fields of PATCH; and/or
``pace``), ``reset`` (``reseed``), ``edit`` (``layer``, ``kind``, ``index``, ``value``: as PUT weights) and
``frame`` (send one now, with every feature's thumbnail). ``pace`` is the epochs per second the stream should
show, a positive number, or ``null`` for as fast as the server allows; left out, it stays as it was.
"""

import json
import math
import sys
from typing import Any

from pydantic import ValidationError

from app.schemas.sessions import SessionPatch, WeightEdit
from app.sessions.commands import KEEP, Command, Edit, Keep, Pause, Play, Refresh, Reset, Set, Step

SHOWN_CHARACTERS = 40  # of a value echoed in an error: enough to recognise it, never the whole message

# Each command and the fields it takes (None: its model checks them).
FIELDS: dict[str, tuple[str, ...] | None] = {
    "play": ("pace",), "pause": (), "step": (), "set": ("changes", "pace"), "reset": ("reseed",), "edit": None,
    "frame": ()}
COMMANDS = tuple(FIELDS)


class BadCommand(ValueError):
    pass


def _validation_detail(e: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(part)[:SHOWN_CHARACTERS] for part in err['loc']) or 'body'}: {err['msg']}"
                     for err in e.errors())


def _shown(value: Any) -> str:
    text = repr(value) if isinstance(value, (str, int, float, bool)) or value is None else type(value).__name__
    return text if len(text) <= SHOWN_CHARACTERS else text[:SHOWN_CHARACTERS] + "…"


def _read_json(text: str) -> Any:
    """The message as JSON, or ``BadCommand`` in our words for what the decoder refuses, however it refuses."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise BadCommand(f"Messages must be JSON objects; could not parse: {e.msg}") from None
    except RecursionError:  # the decoder recurses once per nesting level: "[[[[...]]]]" exhausts the stack
        raise BadCommand("Messages must be flat JSON objects; this one nests arrays or objects too deeply "
                         "to read") from None
    except ValueError:  # Python refuses to read integers longer than its limit (a guard against slow parsing)
        raise BadCommand(f"Numbers in messages may have at most {sys.get_int_max_str_digits()} digits; this "
                         "message has a longer one") from None


def _pace(message: dict[str, Any]) -> float | None | Keep:
    if "pace" not in message:
        return KEEP
    pace = message["pace"]
    if pace is None:
        return None
    if isinstance(pace, bool) or not isinstance(pace, (int, float)) or not math.isfinite(pace) or pace <= 0:
        raise BadCommand(f"'pace' must be a positive number of epochs per second, or null for as fast as the "
                         f"server allows; received {_shown(pace)}")
    return float(pace)




def _allow(message: dict[str, Any]) -> None:
    """Refuse fields a command does not take: a misspelt ``pace`` must not be ignored without a word."""
    fields = FIELDS.get(message["type"])
    unknown = sorted(set(message) - {"type", *fields}) if fields is not None else []
    if unknown:
        raise BadCommand(f"Unknown field {_shown(unknown[0])} in '{message['type']}'. Expected: "
                         f"{', '.join(fields) or 'no other field'}")


def parse_command(text: str) -> Command:
    """A client message as a checked command; raises ``BadCommand`` saying what was expected."""
    message = _read_json(text)
    if not isinstance(message, dict) or message.get("type") not in COMMANDS:
        got = message.get("type") if isinstance(message, dict) else message
        raise BadCommand(f"Unknown command {_shown(got)}. Expected an object with type one of: {', '.join(COMMANDS)}")
    kind = message["type"]
    _allow(message)
    try:
        if kind == "play":
            return Play(pace=_pace(message))
        if kind == "set":
            changes = message.get("changes")
            if "pace" in message and changes is None:
                return Set(pace=_pace(message))
            if not isinstance(changes, dict) or not changes:
                raise BadCommand("'set' needs 'changes': an object of live fields such as {\"learning_rate\": 0.01}"
                                 ", or 'pace'")
            return Set(changes=SessionPatch.model_validate(changes).changes(), pace=_pace(message))
        if kind == "edit":
            edit = WeightEdit.model_validate({k: v for k, v in message.items() if k != "type"})
            return Edit(layer=edit.layer, kind=edit.kind, index=tuple(edit.index), value=edit.value)
        if kind == "reset":
            reseed = message.get("reseed", False)
            if not isinstance(reseed, bool):
                raise BadCommand(f"'reseed' must be true or false; received {_shown(reseed)}")
            return Reset(reseed=reseed)
    except ValidationError as e:
        raise BadCommand(f"Invalid '{kind}': {_validation_detail(e)}") from None
    except RecursionError:  # deep nesting the decoder still read, in a field the models walk
        raise BadCommand(f"Invalid '{kind}': its fields nest too deeply") from None
    return {"pause": Pause, "step": Step, "frame": Refresh}[kind]()
