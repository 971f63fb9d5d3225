"""The playground's speed control in real Chromium: a pace a teacher can narrate, held while XLA compiles."""

import time
from urllib.parse import unquote

import httpx
from playwright.sync_api import Page, expect

from tests.browser.test_playground import _epoch, _open, _wait_for


def _rate(page: Page, seconds: float) -> float:
    """Epochs per second shown on the page over ``seconds``, from the first epoch on."""
    _wait_for(lambda: _epoch(page) > 0, 60, "the first epoch")
    start, started = _epoch(page), time.monotonic()
    time.sleep(seconds)
    return (_epoch(page) - start) / (time.monotonic() - started)


def test_a_new_page_plays_at_the_servers_default_pace_even_while_xla_compiles(page: Page, live_server, console_errors):
    pace = httpx.get(f"{live_server}/api/options").json()["pace"]["default"]
    _open(page, f"{live_server}/?hidden_layers=7,5")  # a network no one compiled yet: play starts without XLA
    page.click("#pg-play")
    rate = _rate(page, 4)
    assert 0.5 * pace <= rate <= 1.3 * pace, f"{rate:.1f} epochs/s at a pace of {pace}"
    assert console_errors == []


def test_fast_plays_as_fast_as_the_server_allows_and_goes_into_the_link(page: Page, live_server, console_errors):
    _open(page, live_server)
    page.select_option("#pg-pace", "max")
    assert "pace=max" in unquote(page.url)
    page.click("#pg-play")
    assert _rate(page, 3) > 300
    page.select_option("#pg-pace", "3")  # slowed down while playing: the stream takes it at once
    page.wait_for_timeout(500)
    assert _rate(page, 3) <= 3 * 1.5
    assert console_errors == []


def test_a_link_with_a_pace_opens_at_that_pace(page: Page, live_server, console_errors):
    _open(page, f"{live_server}/?pace=10")
    expect(page.locator("#pg-pace")).to_have_value("10")
    page.click("#lang-switch")
    expect(page.locator("#pg-pace option[value='10']")).to_have_text("每秒 10 轮")
    page.click("#lang-switch")
    assert console_errors == []
