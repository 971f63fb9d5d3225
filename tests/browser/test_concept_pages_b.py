"""Concept labs 6–10 in a real browser: each page loads, draws, follows its inputs and speaks Chinese."""

import re

from playwright.sync_api import expect

WAIT = 20_000  # ms: the first request of a kind compiles its TensorFlow function


def open_lab(page, live_server, slug):
    page.goto(f"{live_server}/concepts/{slug}")
    expect(page.locator("#lab-code")).not_to_be_empty(timeout=WAIT)


def switch_to_chinese(page):
    page.click("#lang-switch")
    expect(page.locator('.lab-explain [data-lang="zh"]').first).to_be_visible()
    expect(page.locator('.lab-explain [data-lang="en"]').first).to_be_hidden()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")


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
    expect(numbers).to_contain_text("-80")  # 5 · (1 − 2 · 1.5)^4

    page.locator("#gd-optimizers input[value=nesterov]").check()
    expect(page.locator("#gd-contour")).to_have_attribute("data-drawn", "4", timeout=WAIT)
    page.fill("#gd-batch-size", "16")
    expect(numbers).to_contain_text("16", timeout=WAIT)

    switch_to_chinese(page)
    expect(verdict).to_contain_text("结论：发散")
    assert console_errors == []


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
