"""A server restart during a lesson, in real Chromium against a real server process: SIGTERM with the page open
and playing; the page says the server restarted (in English and 中文) and offers the saved run this page saved,
or else a new session with the same settings; once the server is back on the same port the offer works."""

import re
from urllib.parse import unquote

import httpx
from playwright.sync_api import Page, expect

from tests.browser.test_playground import DESKTOP, _epoch, _open, _session, _wait_for
from tests.fault.test_restart_close import server  # noqa: F401  (the fixture: a server of the test's own)

HAPPENED = {"en": "The server restarted", "zh": "服务器已重启"}
NOT_BACK = {"en": "not back yet", "zh": "尚未恢复"}
OPENED = {"en": "Saved run opened", "zh": "已打开保存的运行"}


def _restart_notice_in(page: Page, lang: str) -> None:
    if page.get_attribute("html", "data-lang") != lang:
        page.click("#lang-switch")
    expect(page.locator("#pg-restart")).to_be_visible(timeout=30_000)
    expect(page.locator("#pg-restart")).to_contain_text(HAPPENED[lang])


def _play_until(page: Page, epochs: int) -> None:
    page.click("#pg-play")
    _wait_for(lambda: _epoch(page) >= epochs, 60, f"{epochs} epochs")


def test_after_a_restart_the_page_offers_the_run_it_saved_and_the_link_opens_it(page: Page, server, console_errors):
    page.set_viewport_size(DESKTOP)
    _open(page, server.url + "/?pace=100")
    _play_until(page, 30)
    page.fill("#pg-save-name", "before the restart")
    page.click("#pg-save-button")
    link = page.locator("#pg-save-link")
    expect(link).to_be_visible(timeout=30_000)
    run_path = re.search(r"/runs/[\w-]+$", link.get_attribute("href")).group(0)
    saved_epoch = httpx.get(f"{server.url}/api{run_path}").json()["epoch"]

    server.stop()  # SIGTERM while the page plays on
    _restart_notice_in(page, "en")
    expect(page.locator("#pg-play")).to_have_attribute("aria-label", "Play")
    offer = page.locator("#pg-restart-run")
    expect(offer).to_be_visible()
    expect(offer).to_have_attribute("href", run_path)
    expect(page.locator("#pg-restart-reconnect")).to_be_hidden()
    _restart_notice_in(page, "zh")
    expect(offer).to_contain_text("保存的运行")

    server.start()  # same port, same database: the page's link reaches the new server
    offer.click()
    page.wait_for_url(f"**{run_path}")
    expect(page.locator("#pg-status")).to_contain_text(OPENED["zh"], timeout=30_000)
    _wait_for(lambda: _epoch(page) == saved_epoch, 30, f"the saved run's epoch {saved_epoch}")
    assert console_errors == []


def test_after_a_restart_without_a_saved_run_the_page_reconnects_with_the_same_settings(page: Page, server):
    page.set_viewport_size(DESKTOP)
    page.add_init_script("localStorage.setItem('tp.lang', 'zh')")
    setup = "dataset=spiral&hidden_layers=5,3&activation=relu&learning_rate=0.01&pace=100"
    _open(page, f"{server.url}/?{setup}")
    config = httpx.get(f"{server.url}/api/sessions/{_session(page)}").json()["config"]
    _play_until(page, 10)

    server.stop()
    _restart_notice_in(page, "zh")
    reconnect = page.locator("#pg-restart-reconnect")
    expect(reconnect).to_be_visible()
    expect(page.locator("#pg-restart-run")).to_be_hidden()
    _restart_notice_in(page, "en")
    reconnect.click()  # the server is still down: the page says so and keeps the offer
    expect(page.locator("#pg-restart-wait")).to_contain_text(NOT_BACK["en"])
    expect(reconnect).to_be_visible()

    server.start()
    reconnect.click()
    expect(page.locator("#pg-restart")).to_be_hidden(timeout=30_000)
    _wait_for(lambda: _epoch(page) == 0, 30, "the new session's first frame")
    new = httpx.get(f"{server.url}/api/sessions/{_session(page)}")
    assert new.status_code == 200 and new.json()["config"] == config
    assert unquote(page.url).endswith(f"/?{setup}")
