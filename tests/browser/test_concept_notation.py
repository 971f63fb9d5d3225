"""Maths on every lab page reads as maths: negative numbers with a real minus sign (U+2212), a negative operand
in parentheses ("(−0.5)²", "1 − (−1)·0.1"), and no doubled signs ("+ -1", "− -1")."""

import re

import pytest

from app.concepts_catalog import CONCEPTS
from tests.browser.lab_pages import changes, open_lab

# What the page shows (formulas, figure, numbers), not what a learner types or the code they copy.
SHOWN = """() => [...document.querySelectorAll('.lab-explain .formula, .lab-figure, .lab-numbers')]
    .map((el) => el.innerText).join('\\n')"""

HYPHEN_NUMBER = re.compile(r"(^|[\s(\[,=:×·/])-\d")  # "-0.5" written with a hyphen
DOUBLE_SIGN = re.compile(r"[+\-−×·]\s*[-−]\d")  # "+ -1", "1 − -1", "0.5·-2"
BARE_NEGATIVE_SQUARE = re.compile(r"(^|[^(\w.])[-−]\d+(\.\d+)?²")  # "−0.5²" reads as −(0.5²)



def _losses(page):
    page.uncheck('#losses-names input[value="binary_crossentropy"]')
    page.check('#losses-names input[value="hinge"]')
    page.fill("#losses-y-pred", "-0.5, 0.5\n0.2, 0.8\n0.3, 0.7")  # (1 − (−0.5))², 1 − (−1)·(−0.5)


# Inputs that put negative numbers into a lab's formulas where its defaults have none (the networks' random
# weights and the activations' range are negative already).
NEGATIVE_INPUTS = {
    "losses": _losses,
    "metrics": lambda page: page.select_option("#metrics-problem", "regression"),
    "softmax": lambda page: page.fill("#softmax-logits", "2.0, -1.0, 0.1"),
    "activations": lambda page: page.check("#activations-maxout"),
}


@pytest.mark.parametrize("name", [c.name for c in CONCEPTS])
def test_lab_writes_negative_numbers_as_maths(page, live_server, name):
    open_lab(page, live_server, name)
    if name in NEGATIVE_INPUTS:
        changes(page, ".lab-numbers", lambda: NEGATIVE_INPUTS[name](page))
    page.wait_for_timeout(300)
    assert "\u2212" in page.evaluate(SHOWN), "the lab shows no negative number to check"
    text = page.evaluate(SHOWN)
    for pattern in (HYPHEN_NUMBER, DOUBLE_SIGN, BARE_NEGATIVE_SQUARE):
        found = [m.group(0) for m in pattern.finditer(text)]
        assert found == [], f"{pattern.pattern}: {found[:5]}"
