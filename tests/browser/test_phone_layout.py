"""The playground on a phone (390 × 844, touch) in real Chromium: nothing overlaps, nothing is wider than the
screen, every control of a six-layer network can be tapped, and the output sits right under play."""

from urllib.parse import unquote

from playwright.sync_api import Page, expect

from tests.browser.test_playground import PHONE, _epoch, _open, _wait_for

SIX_LAYERS = "hidden_layers=4,2,2,2,2,2"
# Controls a learner taps; the layer +/− buttons are checked one by one below.
CONTROLS = ("#pg-play", "#pg-step", "#pg-reset", "#pg-reseed", "#pg-share", "#pg-learning-rate", "#pg-activation")


def _overlapping(page: Page, selector: str) -> list[str]:
    """Pairs of visible elements matching ``selector`` whose boxes intersect (by more than a pixel)."""
    return page.evaluate("""(selector) => {
        const boxes = [...document.querySelectorAll(selector)]
            .filter((e) => e.offsetParent !== null).map((e) => [e, e.getBoundingClientRect()]);
        const out = [];
        for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
            const [a, ra] = boxes[i], [b, rb] = boxes[j];
            const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
            const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
            if (w > 1 && h > 1) out.push(`${a.className} ${a.textContent} × ${b.className} ${b.textContent}`);
        }
        return out;
    }""", selector)


def _phone(browser):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True, device_scale_factor=2)
    return context, context.new_page()


def test_six_hidden_layers_have_tappable_headers_that_do_not_overlap(browser, live_server):
    context, page = _phone(browser)
    try:
        _open(page, f"{live_server}/?{SIX_LAYERS}")
        assert _overlapping(page, ".pg-layer-head") == []
        assert _overlapping(page, ".pg-neuron") == []
        # Every layer's "+" is tapped (scrolled into view inside its panel first): each layer gains a neuron.
        for layer in range(6):
            page.locator(f"[aria-label='Add a neuron to layer {layer + 1}']").tap()
            units = page.locator(".pg-layer-units").nth(layer)
            expect(units).to_contain_text("3 neurons" if layer else "5 neurons")
        assert "hidden_layers=5,3,3,3,3,3" in unquote(page.url)
    finally:
        context.close()


def test_no_page_is_wider_than_the_phone(browser, live_server):
    context, page = _phone(browser)
    try:
        for path in (f"/?{SIX_LAYERS}", "/concepts", "/concepts/cross-entropy", "/concepts/gradient-descent",
                     "/concepts/forward"):
            page.goto(f"{live_server}{path}")
            page.wait_for_load_state("networkidle")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{path} is {width} px wide"
    finally:
        context.close()


def test_a_live_copy_of_the_output_sits_beside_play_on_the_first_screen(browser, live_server):
    context, page = _phone(browser)
    try:
        _open(page, live_server)
        page.click("#pg-play")
        _wait_for(lambda: _epoch(page) > 50, 30, "training")
        mini = page.locator("#pg-output-mini-canvas")
        expect(mini).to_be_visible()
        box = mini.bounding_box()
        assert box["y"] + box["height"] <= PHONE["height"], "the live output is below the first screen"
        page.click("#pg-play")  # pause: both copies hold the same frame
        page.wait_for_timeout(500)
        # It shows the output: a tenth in from the top-left corner, the copy has the big canvas's colour there.
        big, small = page.evaluate("""async () => {
            const { MARGIN: m } = await import('/static/js/playground/heatmap.js');  // the page's own module
            const big = document.getElementById('pg-output-canvas'), small = document.getElementById('pg-output-mini-canvas');
            const size = big.width - m.left - m.right;
            const at = (c, x, y) => [...c.getContext('2d').getImageData(Math.round(x), Math.round(y), 1, 1).data.slice(0, 3)];
            return [at(big, m.left + size / 10, m.top + size / 10), at(small, small.width / 10, small.height / 10)];
        }""")
        assert max(abs(a - b) for a, b in zip(big, small)) <= 16, f"copy {small} vs output {big}"
    finally:
        context.close()


def test_every_control_can_be_tapped(browser, live_server):
    context, page = _phone(browser)
    try:
        _open(page, f"{live_server}/?{SIX_LAYERS}")
        for selector in CONTROLS:
            box = page.locator(selector).bounding_box()
            x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
            hit = page.evaluate("([x, y, s]) => document.elementFromPoint(x, y)?.closest(s) !== null", [x, y, selector])
            assert hit, f"{selector} is covered by another element where a finger lands"
    finally:
        context.close()
