"""What every concept lab does in Chromium, for each lab of the catalog: it loads and answers, draws its
figure and numbers, links to a playground preset, speaks Chinese, and logs no error. What one lab does of
its own is in test_concept_<lab>.py."""

import pytest
from playwright.sync_api import expect

from app.concepts_catalog import CONCEPTS
from tests.browser.lab_pages import check_language_switch, open_lab

NAMES = [c.name for c in CONCEPTS]


@pytest.mark.parametrize("name", NAMES)
def test_lab_loads_draws_and_switches_language_without_errors(page, live_server, console_errors, name):
    open_lab(page, live_server, name)
    # The templates hold no SVG: what the figure shows, the lab's script drew from the answer.
    expect(page.locator(".lab-figure svg").first).to_be_visible()
    expect(page.locator('.lab-numbers [id$="-numbers"]')).not_to_be_empty()
    check_language_switch(page)
    assert console_errors == []


@pytest.mark.parametrize("name", NAMES)
def test_lab_page_links_to_a_playground_preset(page, live_server, name):
    page.goto(f"{live_server}/concepts/{name}")
    href = page.locator("a.try-playground").first.get_attribute("href")
    assert href.startswith("/?dataset=")
