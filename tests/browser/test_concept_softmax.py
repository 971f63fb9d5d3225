"""The softmax lab: logit bars, overflow shown as ∞, dragging a bar, the code it shows."""

from playwright.sync_api import expect

from tests.browser.lab_pages import changes, check_language_switch, open_lab, run_shown_code


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
