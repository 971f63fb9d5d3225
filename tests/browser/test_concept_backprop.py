"""The backpropagation lab: the worked example's gradients, stepping back a layer, a new rate."""

from playwright.sync_api import expect

from tests.browser.lab_pages import WAIT, open_lab, switch_to_chinese


def test_backprop_page(live_server, page, console_errors):
    open_lab(page, live_server, "backprop")
    numbers = page.locator("#bp-numbers")
    expect(numbers).to_contain_text("0.082167", timeout=WAIT)  # ∂E/∂w5 of the worked example
    expect(page.locator("#bp-summary")).to_contain_text("agree")
    expect(page.locator("#bp-network svg circle.node")).to_have_count(6)

    page.click("#bp-back")
    expect(page.locator("#bp-network svg line.edge.active")).to_have_count(4)
    expect(page.locator("#bp-factors")).to_contain_text("∂L/∂z = ∂L/∂a × ∂a/∂z")
    page.click("#bp-back")
    expect(page.locator("#bp-status")).to_contain_text("layer 1 of 2")

    page.fill("#bp-learning-rate", "1")
    expect(numbers).to_contain_text("0.317833", timeout=WAIT)  # 0.4 − 1 × 0.082167

    switch_to_chinese(page)
    expect(page.locator("#bp-summary")).to_contain_text("一致")
    assert console_errors == []
