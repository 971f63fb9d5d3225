"""The activation-functions lab: curves and derivatives, adding gelu and maxout."""

from playwright.sync_api import expect

from tests.browser.lab_pages import changes, check_language_switch, error_beside, open_lab, run_shown_code, switch_to_chinese


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


def test_a_range_that_ends_before_it_starts_is_said_in_words_in_both_languages(page, live_server):
    open_lab(page, live_server, "activations")
    page.fill("#activations-stop", "-6")
    error_beside(page, "#activations-stop")
    error = page.locator("#lab-error")
    expect(error).to_have_text("Error: “x to” must be greater than “x from”; received “x from” −5 and “x to” −6.")
    expect(page.locator('#activations-values path[data-series="tanh"]')).to_have_count(1)  # the last good figure
    switch_to_chinese(page)
    expect(error).to_have_text("错误：“x 终点”必须大于“x 起点”；收到的“x 起点”为 −5，“x 终点”为 −6。")
