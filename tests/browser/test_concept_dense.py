"""The dense lab: x · W + b drawn as matrices, the unit count changing the shapes."""

from playwright.sync_api import expect

from tests.browser.lab_pages import changes, check_language_switch, open_lab, run_shown_code


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
