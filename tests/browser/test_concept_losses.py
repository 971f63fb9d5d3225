"""The losses lab: curves per loss, hinge added, from_logits shifting the range."""

from playwright.sync_api import expect

from tests.browser.lab_pages import changes, check_language_switch, open_lab, run_shown_code


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
