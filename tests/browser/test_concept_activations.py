"""The activation-functions lab: curves and derivatives, adding gelu and maxout."""

from playwright.sync_api import expect

from tests.browser.lab_pages import changes, check_language_switch, open_lab, run_shown_code


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
