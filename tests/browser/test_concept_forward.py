"""The forward-propagation lab: stepping through layers, the MNIST-sized preset summarised."""

from playwright.sync_api import expect

from tests.browser.lab_pages import WAIT, open_lab, switch_to_chinese


def test_forward_page(live_server, page, console_errors):
    open_lab(page, live_server, "forward")
    numbers = page.locator("#fw-numbers")
    expect(numbers).to_contain_text("39 parameters", timeout=WAIT)
    expect(page.locator("#fw-network svg circle.node")).to_have_count(3 + 4 + 3 + 2 + 2)

    page.click("#fw-start")
    expect(page.locator("#fw-status")).to_have_text("step 1 of 5")
    page.click("#fw-next")
    expect(page.locator("#fw-status")).to_have_text("step 2 of 5")
    expect(page.locator("#fw-network svg g.column.current")).to_have_attribute("data-column", "1")

    page.select_option("#fw-preset", "mnist")
    expect(numbers).to_contain_text("242762 parameters", timeout=WAIT)
    expect(page.locator("#fw-network")).to_contain_text("⋮ +776")
    expect(page.locator("#fw-x")).to_be_disabled()

    switch_to_chinese(page)
    expect(numbers).to_contain_text("共 242762 个参数")
    assert console_errors == []
