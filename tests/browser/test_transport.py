"""The playground's transport in real Chromium: keys a teacher uses while narrating, and sharing a link."""

import re

from playwright.sync_api import Page, expect

from tests.browser.test_playground import _epoch, _open, _wait_for


def test_space_plays_and_pauses_and_the_right_arrow_steps(page: Page, live_server, console_errors):
    _open(page, live_server)
    page.locator("body").click(position={"x": 5, "y": 5})  # focus on the page, not on a control
    page.keyboard.press("Space")
    expect(page.locator("#pg-play")).to_have_attribute("aria-label", "Pause")
    _wait_for(lambda: _epoch(page) > 0, 30, "training to start")
    page.keyboard.press("Space")
    expect(page.locator("#pg-play")).to_have_attribute("aria-label", "Play")
    page.wait_for_timeout(300)
    before = _epoch(page)
    page.keyboard.press("ArrowRight")
    _wait_for(lambda: _epoch(page) == before + 1, 10, "one step")
    assert console_errors == []


def test_keys_typed_into_a_field_do_not_play(page: Page, live_server, console_errors):
    _open(page, live_server)
    page.focus("#pg-learning-rate")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(500)
    expect(page.locator("#pg-play")).to_have_attribute("aria-label", "Play")
    assert _epoch(page) == 0
    assert console_errors == []


def test_share_copies_the_link_and_says_what_it_holds(browser, live_server):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        _open(page, f"{live_server}/?dataset=xor&learning_rate=0.1")
        page.click("#pg-share")
        expect(page.locator("#pg-status")).to_contain_text("not the trained weights")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == page.url
        assert re.search(r"dataset=xor", copied) and re.search(r"learning_rate=0\.1", copied)
    finally:
        context.close()


def test_the_output_background_is_lighter_than_the_points_on_it(page: Page, live_server, console_errors):
    _open(page, live_server)
    page.click("#pg-play")
    _wait_for(lambda: _epoch(page) > 300, 60, "300 epochs")
    page.click("#pg-play")
    # The far corner of the circle data set is class 0 with high confidence; compare it with class 0's colour.
    corner, point = page.evaluate("""() => {
        const c = document.getElementById('pg-output-canvas');
        const px = c.getContext('2d').getImageData(30, 10, 1, 1).data;
        return [[px[0], px[1], px[2]], [245, 147, 34]];
    }""")
    luminance = lambda rgb: 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]
    assert corner[0] > corner[2], f"the corner {corner} should still read as orange (class 0)"
    assert luminance(corner) > luminance(point) + 20, f"the background {corner} is as dark as a point {point}"
    assert console_errors == []


def test_the_live_copy_of_the_output_is_hidden_on_a_desktop(page: Page, live_server, console_errors):
    page.set_viewport_size({"width": 1280, "height": 800})
    _open(page, live_server)
    expect(page.locator("#pg-output-mini-canvas")).to_be_hidden()
    assert console_errors == []
