"""The Code dialog in real Chromium: the script for the chosen epochs, the server's bounds, and Copy."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from app.api.i18n import say_in
from app.engine import export


@pytest.fixture
def clipboard_page(browser: Browser):
    """A page allowed to write and read the clipboard, collecting console errors as ``console_errors`` does."""
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"],
                                  viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: page.errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(f"pageerror: {e}"))
    yield page
    context.close()


def _open_dialog(page: Page) -> None:
    page.click("#pg-code")
    expect(page.locator(".pg-code-text")).to_contain_text("EPOCHS = ", timeout=15_000)


def test_code_dialog_trains_the_epochs_chosen_and_copies_the_script(clipboard_page: Page, live_server):
    page = clipboard_page
    page.goto(live_server + "/")
    expect(page.locator("#pg-epoch")).to_have_attribute("data-epoch", "0", timeout=30_000)
    for _ in range(3):
        page.click("#pg-step")
    expect(page.locator("#pg-epoch")).to_have_attribute("data-epoch", "3", timeout=15_000)

    _open_dialog(page)
    epochs = page.locator("#pg-code-epochs")
    expect(epochs).to_have_value("3")  # as many as the session trained: the server's default
    expect(epochs).to_have_attribute("max", str(export.MAX_EPOCHS))
    expect(page.locator(".pg-code-text")).to_contain_text("EPOCHS = 3  #")

    epochs.fill("37")
    epochs.press("Tab")
    expect(page.locator(".pg-code-text")).to_contain_text("EPOCHS = 37  #")
    expect(page.locator("#pg-code-download")).to_have_attribute("href", re.compile(r"/export/script\.py\?epochs=37$"))

    epochs.fill("0")
    epochs.press("Tab")
    # The server's field error, said by the catalogue's sentence for its type (ge) in the page's language.
    expect(page.locator("#pg-code-notice")).to_contain_text(say_in("en", "error.greater_than_equal", field="epochs", ge=1, input=0))
    expect(page.locator(".pg-code-text")).to_contain_text("EPOCHS = 37  #")  # the last good script stays

    epochs.fill("37")
    epochs.press("Tab")
    expect(page.locator("#pg-code-notice")).to_be_empty()
    page.click("#pg-code-copy")
    expect(page.locator("#pg-code-notice")).to_have_text("Copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.text_content(".pg-code-text") and "EPOCHS = 37  #" in copied
    page.keyboard.press("Escape")

    page.click("#lang-switch")
    _open_dialog(page)
    expect(page.locator("#pg-code-copy")).to_have_accessible_name("复制")
    expect(epochs).to_have_value("3")  # a new opening starts from the server's default again
    page.click("#pg-code-copy")
    expect(page.locator("#pg-code-notice")).to_have_text("已复制")
    # The refused epochs (0) are the one failed request the console may show.
    assert [e for e in page.errors if "status of 422" not in e] == []
