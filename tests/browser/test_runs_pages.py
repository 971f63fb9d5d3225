"""Saved runs in real Chromium: save from the playground, open the link, compare runs on /runs."""

import re

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests import devserver

OWNER = {"X-Owner-Token": "browser-test-" + "c" * 32}


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """A server of these tests' own, with an empty database; in-process sessions start fastest."""
    env = {"TP_DATA_DIR": str(tmp_path_factory.mktemp("runs-pages-data")), "TP_BACKEND": "inprocess",
           "TP_PREWARM": "false", "TP_MAX_SESSIONS_PER_CLIENT_PER_MINUTE": "100000"}
    with devserver.serve(env, start_timeout=240) as url:
        yield url


def _saved_run(live_server: str, name: str, **config) -> dict:
    sid = httpx.post(f"{live_server}/api/sessions", json=config).json()["id"]
    httpx.post(f"{live_server}/api/sessions/{sid}/train", json={"epochs": 40}, timeout=60)
    r = httpx.post(f"{live_server}/api/runs", json={"session_id": sid, "name": name}, headers=OWNER)
    assert r.status_code == 201, r.text
    return r.json()


def test_save_in_the_playground_then_the_link_opens_the_run_at_its_epoch(page: Page, live_server, console_errors):
    page.goto(live_server + "/")
    expect(page.locator("#pg-epoch")).to_have_attribute("data-epoch", re.compile(r"\d+"), timeout=30_000)
    page.click("#pg-play")
    expect(page.locator("#pg-epoch")).to_have_attribute("data-epoch", re.compile(r"[1-9]\d{2,}"), timeout=30_000)
    page.click("#pg-play")  # pause
    page.fill("#pg-save-name", "first try")
    page.click("#pg-save-button")
    link = page.locator("#pg-save-link")
    expect(link).to_be_visible(timeout=10_000)
    run_id = link.get_attribute("href").rsplit("/", 1)[1]
    saved = httpx.get(f"{live_server}/api/runs/{run_id}").json()
    assert saved["name"] == "first try" and saved["epoch"] > 0
    first_session = page.get_attribute("#playground", "data-session")

    page.goto(live_server + f"/runs/{run_id}")
    expect(page.locator("#pg-epoch")).to_have_attribute("data-epoch", str(saved["epoch"]), timeout=30_000)
    session = page.get_attribute("#playground", "data-session")
    assert session and session != first_session
    assert httpx.get(f"{live_server}/api/sessions/{session}/history").json() == saved["history"]
    assert console_errors == []


def test_the_runs_page_compares_ticked_runs_curves_boundaries_and_differing_settings(
        page: Page, live_server, console_errors):
    a = _saved_run(live_server, "narrow", hidden_layers=[2], learning_rate=0.03)
    b = _saved_run(live_server, "wide", hidden_layers=[6, 6], learning_rate=0.1)
    page.goto(live_server + "/runs")
    for run in (a, b):
        page.check(f"tr[data-run='{run['id']}'] input[type=checkbox]")
    expect(page.locator("#runs-compare")).to_be_visible()
    expect(page.locator("#runs-boundaries canvas")).to_have_count(2)
    keys = page.eval_on_selector_all("#runs-diff-table tr[data-key]", "rows => rows.map(r => r.dataset.key)")
    assert set(keys) == {"hidden_layers", "learning_rate"}
    box = page.locator("#runs-curves-canvas").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] / 2)
    expect(page.locator("#runs-hover")).to_contain_text("narrow")
    expect(page.locator("#runs-hover")).to_contain_text("wide")
    page.uncheck(f"tr[data-run='{b['id']}'] input[type=checkbox]")  # one run alone is not a comparison
    expect(page.locator("#runs-compare")).to_be_hidden()
    assert console_errors == []
