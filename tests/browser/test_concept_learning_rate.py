"""The learning-rate lab: schedules from the registry, their verdicts and code."""

import re

from playwright.sync_api import expect

from tests.browser.lab_pages import WAIT, open_lab, switch_to_chinese


def test_learning_rate_page(live_server, page, console_errors):
    open_lab(page, live_server, "learning-rate")
    verdict = page.locator("#lr-verdict")
    expect(verdict).to_contain_text("with the constant rate 1 it bounces forever", timeout=WAIT)
    expect(verdict).to_have_attribute("data-verdict", "converging")
    expect(page.locator("#lr-rates svg path[data-series]")).to_have_count(2)
    expect(page.locator("#lr-params input")).to_have_count(3)  # ExponentialDecay's parameters, from the registry

    page.select_option("#lr-schedule", "constant")
    expect(page.locator("#lr-params input")).to_have_count(0)
    expect(verdict).to_have_attribute("data-verdict", "bouncing", timeout=WAIT)
    page.select_option("#lr-schedule", "piecewise_constant")
    expect(page.locator("#lab-code")).to_contain_text("PiecewiseConstantDecay(boundaries=[10, 20]", timeout=WAIT)
    page.fill("#lr-steps", "25")
    expect(page.locator("#lr-numbers tbody tr").last).to_contain_text(re.compile(r"^25"), timeout=WAIT)

    switch_to_chinese(page)
    expect(verdict).to_contain_text("使用衰减时")
    assert console_errors == []
