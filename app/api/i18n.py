"""The language catalogue as the templates read it: ``static/i18n/<lang>.json``, one file per language.

The browser reads the same files (``static/js/i18n.js``). A template's ``{{ say('key') }}`` writes the entry
in every language as ``<span data-lang="…">``, and CSS shows the page's language only, so switching
language needs no reload. Entries are written as they are: the catalogue is the project's own text and may
hold inline markup (``<em>``, ``<code>``).
"""

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

CATALOGUE_DIR = Path(__file__).resolve().parents[2] / "static" / "i18n"
LANGS = ("en", "zh")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


@cache
def catalogue(lang: str) -> dict[str, str]:
    return json.loads((CATALOGUE_DIR / f"{lang}.json").read_text(encoding="utf-8"))


def fill(text: str, params: dict[str, Any]) -> str:
    """``text`` with each ``{name}`` replaced by ``params[name]`` (escaped); others stay as written."""
    return PLACEHOLDER.sub(lambda m: str(escape(params[m[1]])) if m[1] in params else m[0], text)


def say_in(lang: str, key: str, **params: Any) -> str:
    entries = catalogue(lang)
    if key not in entries:
        raise KeyError(f"No catalogue entry {key!r} in static/i18n/{lang}.json; add it to every language")
    return fill(entries[key], params)


def say_in_every_language(key: str, **params: Any) -> Markup:
    return Markup("").join(
        Markup('<span data-lang="{}">{}</span>').format(lang, Markup(say_in(lang, key, **params))) for lang in LANGS
    )
