"""Screenshots for the README: the playground (played on the spiral to 1,500 epochs) and two concept labs
(softmax, gradient descent), at a laptop's 1440 × 900 and a phone's 390 × 844, in English and 中文.

    .venv/bin/python scripts/screenshots.py            # writes docs/screenshots/*.png

It serves the app itself (as the browser tests do, ``tests/devserver.py``, on a free loopback port with a
throwaway data directory) and drives Debian's Chromium (``TP_CHROMIUM``, default /usr/bin/chromium) through
Playwright. Needs the test dependencies, Pillow (``pip install .[docs]``) and a CJK font for 中文
(``apt-get install fonts-wqy-zenhei``). Each PNG is reduced to a 256-colour palette; the last line printed says
how much smaller that made them.
"""

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.devserver import serve  # noqa: E402  (the repository's own helper, importable once ROOT is on the path)

OUT = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("TP_CHROMIUM", "/usr/bin/chromium")
LANGUAGES = ("en", "zh")
SCREENS = {  # name: the browser context's options
    "1440": {"viewport": {"width": 1440, "height": 900}},
    "390": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True},
}
SPIRAL = "/?dataset=spiral&features=x1,x2,x1_squared,x2_squared,sin_x1,sin_x2&hidden_layers=8,8,5&pace=max"
PLAY_SECONDS = 6.0  # at the least; and until the spiral is well under way, however long compiling takes
PLAY_EPOCHS = 1500
PLAY_TIMEOUT_SECONDS = 120
LOAD_TIMEOUT_MS = 120_000  # the first session compiles its network; the first lab call its TensorFlow function


def playground(page: Page, url: str) -> None:
    page.goto(url + SPIRAL)
    expect(page.locator("#pg-epoch")).to_have_attribute("data-epoch", "0", timeout=LOAD_TIMEOUT_MS)
    page.click("#pg-play")
    time.sleep(PLAY_SECONDS)
    deadline = time.monotonic() + PLAY_TIMEOUT_SECONDS
    while int(page.get_attribute("#pg-epoch", "data-epoch")) < PLAY_EPOCHS:  # the page's CSP forbids eval
        if time.monotonic() > deadline:
            raise RuntimeError(f"the spiral did not reach {PLAY_EPOCHS} epochs in {PLAY_TIMEOUT_SECONDS} s")
        time.sleep(0.2)
    page.click("#pg-play")  # pause: the picture is of one frame, not of one being drawn
    page.wait_for_timeout(800)


def lab(name: str):
    def open_lab(page: Page, url: str) -> None:
        page.goto(f"{url}/concepts/{name}")
        expect(page.locator("#lab-code")).not_to_be_empty(timeout=LOAD_TIMEOUT_MS)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)
    return open_lab


PAGES = {"playground": playground, "softmax": lab("softmax"), "gradient-descent": lab("gradient-descent")}


def compressed(png: bytes) -> bytes:
    """The screenshot as a 256-colour PNG (lossy only in gradients: the heatmaps dither slightly)."""
    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def shoot(url: str, out: Path) -> tuple[list[Path], int]:
    """Every screenshot, written under ``out``; and the bytes Chromium's own PNGs of them took."""
    written, raw = [], 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            for screen, options in SCREENS.items():
                for lang in LANGUAGES:
                    context = browser.new_context(**options)
                    context.add_init_script(f"localStorage.setItem('tp.lang', '{lang}')")
                    page = context.new_page()
                    for name, visit in PAGES.items():
                        visit(page, url)
                        path = out / f"{name}-{screen}-{lang}.png"
                        png = page.screenshot()
                        raw += len(png)
                        path.write_bytes(compressed(png))
                        written.append(path)
                        print(f"{path.name}  {path.stat().st_size / 1024:.0f} KB", flush=True)
                    context.close()
        finally:
            browser.close()
    return written, raw


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"directory for the PNGs (default {OUT})")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tp-screenshots-") as data_dir:
        with serve({"TP_DATA_DIR": data_dir}) as url:
            written, raw = shoot(url, args.out)
    total = sum(p.stat().st_size for p in written)
    print(f"{len(written)} screenshots, {total / 2**20:.2f} MB in {args.out} (Chromium's PNGs: {raw / 2**20:.2f} MB)")


if __name__ == "__main__":
    main()
