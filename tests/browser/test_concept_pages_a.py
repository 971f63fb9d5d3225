"""Concept labs 1–5 in Chromium: each page loads, draws, reacts to its inputs, switches language and
shows TensorFlow code that runs as written."""

import contextlib
import io

import pytest
from playwright.sync_api import Page, expect

TIMEOUT = 15_000


def open_lab(page: Page, live_server: str, name: str) -> None:
    page.set_default_timeout(TIMEOUT)
    page.goto(f"{live_server}/concepts/{name}")
    expect(page.locator("#lab-code")).not_to_be_empty()
    expect(page.locator("#lab-error")).to_be_hidden()


def check_language_switch(page: Page) -> None:
    explain_en = page.locator('.lab-explain [data-lang="en"]').first
    explain_zh = page.locator('.lab-explain [data-lang="zh"]').first
    expect(explain_en).to_be_visible()
    expect(explain_zh).to_be_hidden()
    page.click("#lang-switch")
    expect(page.locator("html")).to_have_attribute("data-lang", "zh")
    expect(explain_zh).to_be_visible()
    expect(explain_en).to_be_hidden()
    expect(page.locator("h1 [data-lang=zh]")).to_be_visible()


def run_shown_code(page: Page) -> str:
    """Executes the page's TensorFlow snippet as a learner would paste it; returns what it printed."""
    source = page.locator("#lab-code").inner_text()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(source, "<lab-code>", "exec"), {})
    return out.getvalue()


def changes(page: Page, selector: str, action) -> None:
    """Runs ``action`` and waits until the text of ``selector`` differs from before."""
    before = page.locator(selector).inner_text()
    action()
    page.wait_for_function("([s, b]) => document.querySelector(s).innerText !== b", arg=[selector, before])


def test_softmax_page(page, live_server, console_errors):
    open_lab(page, live_server, "softmax")
    expect(page.locator("#softmax-figure rect.logit-bar")).to_have_count(3)
    expect(page.locator("#softmax-figure rect.prob-bar")).to_have_count(3)
    expect(page.locator("#softmax-formula")).to_contain_text("0.659")

    changes(page, "#softmax-numbers", lambda: page.fill("#softmax-logits", "1000, -1000"))
    expect(page.locator("#softmax-numbers")).to_contain_text("∞")
    expect(page.locator("#softmax-figure rect.prob-bar")).to_have_count(2)

    # Dragging the first logit bar up edits the logits and recomputes on release.
    bar = page.locator("#softmax-figure rect.logit-bar").nth(1)
    box = bar.bounding_box()
    changes(page, "#softmax-numbers", lambda: (
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 2), page.mouse.down(),
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] - 40, steps=4), page.mouse.up()))
    assert page.input_value("#softmax-logits") != "1000, -1000"

    printed = run_shown_code(page)
    assert "[" in printed
    check_language_switch(page)
    expect(page.locator("#softmax-figure")).to_contain_text("概率")
    assert console_errors == []


def test_activations_page(page, live_server, console_errors):
    open_lab(page, live_server, "activations")
    expect(page.locator('#activations-values path[data-series="tanh"]')).to_have_count(1)
    expect(page.locator('#activations-derivatives path[data-series="sigmoid"]')).to_have_count(1)

    changes(page, "#activations-numbers", lambda: page.check('#activations-names input[value="gelu"]'))
    expect(page.locator('#activations-values path[data-series="gelu"]')).to_have_count(1)
    changes(page, "#activations-formula", lambda: page.check("#activations-maxout"))
    expect(page.locator("#activations-formula")).to_contain_text("maxout(")
    expect(page.locator('#activations-values path[data-series="maxout"]')).to_have_count(1)

    run_shown_code(page)
    check_language_switch(page)
    expect(page.locator("#activations-numbers")).to_contain_text("饱和")
    assert console_errors == []


def test_metrics_page(page, live_server, console_errors):
    open_lab(page, live_server, "metrics")
    expect(page.locator('#metrics-chart path[data-series="ROC curve"]')).to_have_count(1)
    point = page.locator("#metrics-chart circle")
    expect(point).to_have_count(1)
    cx = point.get_attribute("cx")

    changes(page, "#metrics-confusion", lambda: page.fill("#metrics-threshold", "0.85"))
    assert page.locator("#metrics-chart circle").get_attribute("cx") != cx
    expect(page.locator('#metrics-confusion [data-cell="TP"]')).to_contain_text("1")
    expect(page.locator("#metrics-formula")).to_contain_text("recall = TP / (TP + FN) = 1 / (1 + 5)")

    run_shown_code(page)
    changes(page, "#metrics-numbers", lambda: page.select_option("#metrics-problem", "regression"))
    expect(page.locator("#metrics-formula")).to_contain_text("RMSE")
    expect(page.locator("#metrics-confusion-box")).to_be_hidden()
    run_shown_code(page)

    check_language_switch(page)
    expect(page.locator("#metrics-numbers")).to_contain_text("每个样本")
    assert console_errors == []


def test_losses_page(page, live_server, console_errors):
    open_lab(page, live_server, "losses")
    expect(page.locator('#losses-chart path[data-series="binary_crossentropy"]')).to_have_count(1)
    expect(page.locator("#losses-numbers")).to_contain_text("0.5108")  # mean binary cross entropy of the example

    changes(page, "#losses-numbers", lambda: page.check('#losses-names input[value="hinge"]'))
    expect(page.locator('#losses-chart path[data-series="hinge"]')).to_have_count(1)
    changes(page, "#losses-numbers", lambda: page.check("#losses-from-logits"))
    expect(page.locator("#losses-start")).to_have_value("-4")
    expect(page.locator("#losses-numbers")).to_contain_text("binary_crossentropy (from_logits)")

    run_shown_code(page)
    check_language_switch(page)
    expect(page.locator("#losses-numbers")).to_contain_text("平均值")
    assert console_errors == []


def test_dense_page(page, live_server, console_errors):
    open_lab(page, live_server, "dense")
    cells = page.locator("#dense-figure rect.cell")
    expect(cells).to_have_count(2 * 3 + 3 * 2 + 2 * 2 + 2 + 2 * 2 + 2 * 2)
    expect(page.locator("#dense-formula")).to_contain_text("parameters = 3 × 2 + 2 = 8")

    changes(page, "#dense-numbers", lambda: page.fill("#dense-units", "3"))
    expect(page.locator("#dense-formula")).to_contain_text("parameters = 3 × 3 + 3 = 12")
    expect(cells).to_have_count(2 * 3 + 3 * 3 + 2 * 3 + 3 + 2 * 3 + 2 * 3)
    changes(page, "#dense-formula", lambda: page.click("#dense-next"))
    expect(page.locator("#dense-formula")).to_contain_text("output[0, 1]")

    printed = run_shown_code(page)
    assert "parameters: 12" in printed
    check_language_switch(page)
    expect(page.locator("#dense-formula")).to_contain_text("参数个数")
    assert console_errors == []


@pytest.mark.parametrize("name", ["softmax", "activations", "metrics", "losses", "dense"])
def test_lab_page_links_to_a_playground_preset(page, live_server, name):
    page.goto(f"{live_server}/concepts/{name}")
    href = page.locator("a.try-playground").first.get_attribute("href")
    assert href.startswith("/?dataset=")
