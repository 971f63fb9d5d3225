"""The cross-entropy lab: the worked example in ln and log10, −ln 0 shown as infinite."""

from playwright.sync_api import expect

from tests.browser.lab_pages import WAIT, open_lab, switch_to_chinese


def test_cross_entropy_page(live_server, page, console_errors):
    open_lab(page, live_server, "cross-entropy")
    numbers = page.locator("#ce-numbers")
    expect(numbers).to_contain_text("0.6931", timeout=WAIT)  # the worked example, natural log
    expect(numbers).to_contain_text("0.2231")
    expect(numbers).to_contain_text("0.301")  # ... and in log base 10
    expect(page.locator("#ce-bars svg rect.bar")).to_have_count(4)
    expect(page.locator("#ce-steps tr.counts")).to_have_count(1)

    page.fill("#ce-y-pred", "0.2, 0.7, 0.1\n0.8, 0.1, 0.1")
    expect(numbers).to_contain_text("1.6094", timeout=WAIT)  # −ln 0.2
    expect(page.locator("#ce-formula")).to_contain_text("1·ln 0.2")
    page.select_option("#ce-epsilon", "0")
    page.fill("#ce-y-pred", "0, 1, 0\n0.8, 0.1, 0.1")
    # By hand −ln 0 = ∞ for sample 1; Keras clips with its own epsilon and stays finite.
    expect(page.locator("#ce-bars svg rect.bar.infinite")).to_have_count(1, timeout=WAIT)
    expect(page.locator("#ce-numbers td.overflow").first).to_have_text("—")

    switch_to_chinese(page)
    expect(numbers).to_contain_text("平均")
    assert console_errors == []
