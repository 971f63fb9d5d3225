"""What the concept-lab browser tests share: opening a lab, switching its language, running its code."""

import contextlib
import io

from playwright.sync_api import Page, expect

TIMEOUT = 15_000  # ms: one lab request
WAIT = 20_000  # ms: the first request of a kind compiles its TensorFlow function


def open_lab(page: Page, live_server: str, name: str) -> None:
    """Opens ``/concepts/<name>`` and waits for its first answer (the code panel is written from it)."""
    page.set_default_timeout(TIMEOUT)
    page.goto(f"{live_server}/concepts/{name}")
    expect(page.locator("#lab-code")).not_to_be_empty(timeout=WAIT)
    expect(page.locator("#lab-error")).to_be_hidden()


def check_language_switch(page: Page) -> None:
    explain_en = page.locator('.lab-explain [data-lang="en"]').first
    explain_zh = page.locator('.lab-explain [data-lang="zh"]').first
    expect(explain_en).to_be_visible()
    expect(explain_zh).to_be_hidden()
    page.click("#lang-switch")
    expect(page.locator("html")).to_have_attribute("data-lang", "zh")
    expect(explain_zh).to_be_visible()
    expect(explain_en).to_be_hidden()
    expect(page.locator("h1 [data-lang=zh]")).to_be_visible()


def switch_to_chinese(page: Page) -> None:
    page.click("#lang-switch")
    expect(page.locator('.lab-explain [data-lang="zh"]').first).to_be_visible()
    expect(page.locator('.lab-explain [data-lang="en"]').first).to_be_hidden()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")


def run_shown_code(page: Page) -> str:
    """Executes the page's TensorFlow snippet as a learner would paste it; returns what it printed."""
    source = page.locator("#lab-code").inner_text()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(source, "<lab-code>", "exec"), {})
    return out.getvalue()


def changes(page: Page, selector: str, action) -> None:
    """Runs ``action`` and waits until the text of ``selector`` differs from before."""
    before = page.locator(selector).inner_text()
    action()
    page.wait_for_function("([s, b]) => document.querySelector(s).innerText !== b", arg=[selector, before])


def error_beside(page: Page, input_selector: str) -> None:
    """The lab's error is shown and sits right after ``input_selector`` (or the label holding it), on screen."""
    error = page.locator("#lab-error")
    expect(error).to_be_visible()
    placed = page.evaluate("""(selector) => {
        const input = document.querySelector(selector);
        const anchor = input.closest('label') ?? input;
        const error = document.getElementById('lab-error');
        error.scrollIntoView({ block: 'nearest' });
        const gap = error.getBoundingClientRect().top - anchor.getBoundingClientRect().bottom;
        return { next: anchor.nextElementSibling === error, gap };
    }""", input_selector)
    assert placed["next"], f"the error is not right after {input_selector}"
    assert 0 <= placed["gap"] < 40, placed
