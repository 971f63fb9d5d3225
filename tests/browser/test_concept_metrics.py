"""The metrics lab: the ROC point and confusion matrix follow the threshold; regression metrics."""

from playwright.sync_api import expect

from tests.browser.lab_pages import changes, check_language_switch, open_lab, run_shown_code


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
