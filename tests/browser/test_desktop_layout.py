"""The playground on a laptop screen (1440 × 900) in real Chromium, in English and 中文: what a teacher needs is
on the first screen, and nothing moves under the pointer when the problem type changes or a message appears."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_playground import _open

LAPTOP = {"width": 1440, "height": 900}
LANGUAGES = ("en", "zh")
DIVERGING = "dataset=plane&optimizer=sgd&learning_rate=10&hidden_layers=8,8&activation=relu&batch_size=1"
# The controls a change of problem type must not move, and what a message must not push down.
STEADY = (".pg-columns", "#pg-play", "#pg-code", "#pg-heatmap", "#pg-network-body")


def _open_in(page: Page, url: str, lang: str) -> None:
    page.set_viewport_size(LAPTOP)
    page.add_init_script(f"localStorage.setItem('tp.lang', '{lang}')")
    _open(page, url)
    expect(page.locator("html")).to_have_attribute("data-lang", lang)


def _boxes(page: Page, selector: str) -> list[tuple[float, float, float, float]]:
    """The page boxes (x, y, width, height) of every element matching ``selector``, to the pixel."""
    return page.evaluate("""(selector) => [...document.querySelectorAll(selector)].map((e) => {
        const r = e.getBoundingClientRect();
        return [r.x + scrollX, r.y + scrollY, r.width, r.height].map(Math.round);
    })""", selector)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_code_download_and_save_are_on_the_first_screen(page: Page, live_server, lang, console_errors):
    _open_in(page, live_server + "/", lang)
    for selector in ("#pg-code", "#pg-download-model", "#pg-save-button"):
        box = page.locator(selector).bounding_box()
        assert box is not None and 0 <= box["y"] and box["y"] + box["height"] <= LAPTOP["height"], \
            f"{selector} at {box}: below the first screen"
    assert console_errors == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_switching_to_a_regression_dataset_moves_no_control(page: Page, live_server, lang, console_errors):
    # A schedule with parameters fills a third row of controls: the crowded case.
    _open_in(page, live_server + "/?lr_schedule=exponential_decay", lang)
    before = _boxes(page, ".pg-controls .pg-field")
    rate_before = _boxes(page, "#pg-regularization-rate")
    page.click(".pg-dataset[data-dataset='plane']")
    expect(page.locator("#pg-problem")).to_contain_text("Regression" if lang == "en" else "回归")
    page.wait_for_load_state("networkidle")
    assert _boxes(page, "#pg-regularization-rate") == rate_before
    assert _boxes(page, ".pg-controls .pg-field") == before
    assert console_errors == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_divergence_message_moves_nothing(page: Page, live_server, lang, console_errors):
    _open_in(page, f"{live_server}/?{DIVERGING}", lang)
    before = {s: _boxes(page, s) for s in STEADY}
    page.click("#pg-play")
    expect(page.locator("#pg-status.pg-error")).to_be_visible(timeout=20_000)
    assert {s: _boxes(page, s) for s in STEADY} == before
    # The message shows whole, above what it overlays.
    status = page.locator("#pg-status")
    assert status.evaluate("(e) => e.scrollWidth <= e.clientWidth && e.scrollHeight <= e.clientHeight")
    box = status.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    assert page.evaluate("([x, y]) => document.elementFromPoint(x, y)?.closest('#pg-status') !== null", [x, y])
    assert console_errors == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_choosing_a_schedule_with_parameters_moves_no_control(page: Page, live_server, lang, console_errors):
    _open_in(page, live_server + "/", lang)
    steady = "#pg-play, #pg-step, .pg-controls .pg-field:not(.pg-param)"
    before = _boxes(page, steady)
    page.select_option("#pg-lr-schedule", "exponential_decay")
    expect(page.locator(".pg-param").first).to_be_visible()  # its parameters come after every other control
    assert _boxes(page, steady) == before
    assert console_errors == []
