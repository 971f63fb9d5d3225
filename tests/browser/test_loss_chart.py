"""The playground's loss chart in real Chromium: values under the cursor, the y-axis scale, both languages."""

import re

import httpx
from playwright.sync_api import Page, expect

from tests.browser.test_playground import _epoch, _open, _session, _wait_for


def _legend_values(page: Page) -> list[str]:
    return page.locator("#pg-loss-plot .u-legend .u-value").all_text_contents()


def test_hover_shows_the_epoch_and_both_losses_of_the_session_history(page: Page, live_server, console_errors):
    _open(page, f"{live_server}/?dataset=plane")
    page.click("#pg-play")
    _wait_for(lambda: _epoch(page) >= 20, 30, "20 epochs")
    page.click("#pg-play")  # pause, so the chart stops moving under the cursor
    page.wait_for_timeout(500)
    box = page.locator("#pg-loss-plot .u-over").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] / 2)
    epoch_text, train_text, test_text = _wait_for(
        lambda: (v := _legend_values(page)) and v[0] not in ("", "–") and v, 5, "the legend to show the hovered point")
    epoch = int(epoch_text.replace(",", ""))
    # Reading the history waits for a compile still under way (the page trained without XLA meanwhile).
    history = httpx.get(f"{live_server}/api/sessions/{_session(page)}/history", timeout=120).json()
    i = history["epochs"].index(epoch)
    assert abs(float(train_text) - history["train_loss"][i]) < 1e-4
    assert abs(float(test_text) - history["test_loss"][i]) < 1e-4
    assert console_errors == []


def test_the_y_axis_can_be_switched_between_linear_and_log(page: Page, live_server, console_errors):
    _open(page, f"{live_server}/?dataset=plane")
    page.click("#pg-play")
    _wait_for(lambda: _epoch(page) >= 5, 30, "5 epochs")
    page.click("#pg-play")
    plot = page.locator("#pg-loss-plot")
    page.select_option("#pg-loss-scale", "log")
    expect(plot).to_have_attribute("data-scale", "log")
    page.select_option("#pg-loss-scale", "linear")
    expect(plot).to_have_attribute("data-scale", "linear")
    # The legend still reads the latest values after the chart was rebuilt for the new scale.
    expect(page.locator("#pg-loss-plot .u-legend .u-series")).to_have_count(3)
    assert console_errors == []


def test_the_chart_speaks_the_page_language(page: Page, live_server, console_errors):
    _open(page, live_server)
    legend = page.locator("#pg-loss-plot .u-legend")
    expect(legend).to_contain_text("Training loss")
    page.click("#lang-switch")
    expect(legend).to_contain_text("训练损失")
    expect(legend).to_contain_text("轮次")
    expect(page.locator("#pg-loss-scale option[value='log']")).to_have_text(re.compile("对数"))
    page.click("#lang-switch")
    expect(legend).to_contain_text("Epoch")
    assert console_errors == []
