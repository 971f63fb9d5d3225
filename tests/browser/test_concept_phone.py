"""Every concept lab on a phone (390 × 844): no page is wider than the screen, and the text of every figure
is drawn at 10 px or more (its font size times the scale its SVG is shown at)."""

import pytest

from app.concepts_catalog import CONCEPTS
from tests.browser.lab_pages import open_lab

PHONE = {"width": 390, "height": 844}
MIN_TEXT_PX = 10

# The rendered size of each visible SVG text: font size × the SVG's on-screen scale (shown width / viewBox width).
SMALL_TEXT = """(minPx) => {
    const small = [];
    for (const text of document.querySelectorAll('svg text')) {
        const root = text.ownerSVGElement;
        const box = root.getBoundingClientRect();
        if (!text.textContent.trim() || box.width === 0 || text.getClientRects().length === 0) continue;
        const view = root.viewBox.baseVal;
        const scale = view && view.width ? Math.min(box.width / view.width, box.height / view.height) : 1;
        const px = parseFloat(getComputedStyle(text).fontSize) * scale;
        if (px < minPx - 0.01) small.push(`${root.getAttribute('class')}: "${text.textContent}" at ${px.toFixed(1)} px`);
    }
    return small;
}"""


@pytest.mark.parametrize("name", [c.name for c in CONCEPTS])
def test_lab_fits_a_phone_and_its_figure_text_stays_readable(browser, live_server, name):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True, device_scale_factor=2)
    page = context.new_page()
    try:
        open_lab(page, live_server, name)
        page.wait_for_timeout(300)  # a figure redrawn at the width it is shown at
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert page.evaluate(SMALL_TEXT, MIN_TEXT_PX)[:5] == []
    finally:
        context.close()
