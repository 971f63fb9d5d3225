"""The gradient-descent lab: verdicts for each learning rate, optimizers on the contour, batches."""

from playwright.sync_api import expect

from tests.browser.lab_pages import WAIT, open_lab, switch_to_chinese


def test_gradient_descent_page(live_server, page, console_errors):
    open_lab(page, live_server, "gradient-descent")
    numbers = page.locator("#gd-numbers")
    expect(numbers).to_contain_text("0.0512", timeout=WAIT)  # J(x) = x², x0 = 5, η = 0.3, 5 steps
    expect(page.locator("#gd-curve svg path[data-series]")).to_have_count(2)
    expect(page.locator("#gd-contour")).to_have_attribute("data-drawn", "3", timeout=WAIT)
    expect(page.locator("#gd-updates svg path[data-series]")).to_have_count(3, timeout=WAIT)
    expect(page.locator("#gd-bands svg rect")).to_have_count(3)

    verdict = page.locator("#gd-verdict")
    for rate, expected in (("0.7", "oscillating"), ("1", "bouncing"), ("1.5", "diverging")):
        page.fill("#gd-lr", rate)
        expect(verdict).to_have_attribute("data-verdict", expected, timeout=WAIT)
    expect(numbers).to_contain_text("\u221280")  # 5 · (1 − 2 · 1.5)^4, with a real minus sign

    page.locator("#gd-optimizers input[value=nesterov]").check()
    expect(page.locator("#gd-contour")).to_have_attribute("data-drawn", "4", timeout=WAIT)
    page.fill("#gd-batch-size", "16")
    expect(numbers).to_contain_text("16", timeout=WAIT)

    switch_to_chinese(page)
    expect(verdict).to_contain_text("结论：发散")
    assert console_errors == []
