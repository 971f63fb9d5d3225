"""The losses lab: curves per loss, hinge added, from_logits shifting the range."""

from playwright.sync_api import expect

from tests.browser.lab_pages import changes, check_language_switch, error_beside, open_lab, run_shown_code


def test_losses_page(page, live_server, console_errors):
    open_lab(page, live_server, "losses")
    expect(page.locator('#losses-chart path[data-series="binary_crossentropy"]')).to_have_count(1)
    expect(page.locator("#losses-numbers")).to_contain_text("0.5108")  # mean binary cross entropy of the example

    changes(page, "#losses-numbers", lambda: page.check('#losses-names input[value="hinge"]'))
    expect(page.locator('#losses-chart path[data-series="hinge"]')).to_have_count(1)
    changes(page, "#losses-numbers", lambda: page.check("#losses-from-logits"))
    expect(page.locator("#losses-start")).to_have_value("-4")
    expect(page.locator("#losses-numbers")).to_contain_text("binary_crossentropy (from_logits)")

    run_shown_code(page)
    check_language_switch(page)
    expect(page.locator("#losses-numbers")).to_contain_text("平均值")
    assert console_errors == []


def test_kl_divergence_with_from_logits_draws_its_curve_from_the_softmax(page, live_server):
    open_lab(page, live_server, "losses")
    page.check('#losses-names input[value="kl_divergence"]')
    expect(page.locator('#losses-chart path[data-series="kl_divergence"]')).to_have_count(1)
    changes(page, "#losses-numbers", lambda: page.check("#losses-from-logits"))
    expect(page.locator("#losses-numbers")).to_contain_text("kl_divergence (softmax)")
    expect(page.locator('#losses-chart path[data-series="kl_divergence"]')).to_have_count(1)
    expect(page.locator("#lab-error")).to_be_hidden()
    assert "tf.nn.softmax(y_pred)" in page.locator("#lab-code").inner_text()
    run_shown_code(page)


def test_an_error_shows_beside_its_input_and_the_last_figure_stays(page, live_server):
    open_lab(page, live_server, "losses")
    page.fill("#losses-y-pred", "0.9, 0.1\n0.2, 0.8\n0.3, 5")
    error_beside(page, "#losses-y-pred")
    expect(page.locator("#lab-error")).to_contain_text("received 5")
    # The figure and numbers of the last inputs that worked stay, marked stale.
    expect(page.locator('#losses-chart path[data-series="binary_crossentropy"]')).to_have_count(1)
    expect(page.locator("#losses-numbers")).to_contain_text("0.5108")
    expect(page.locator("article.lab")).to_have_attribute("data-stale", "")

    page.fill("#losses-y-pred", "0.9, 0.1\n0.2, 0.8\n0.3, 0.7")
    expect(page.locator("#lab-error")).to_be_hidden()
    expect(page.locator("article.lab")).not_to_have_attribute("data-stale", "")


def test_a_number_that_does_not_read_is_shown_beside_its_input(page, live_server):
    open_lab(page, live_server, "losses")
    page.fill("#losses-y-true", "1, 0\n0, x\n1, 0")
    error_beside(page, "#losses-y-true")
    expect(page.locator("#lab-error")).to_contain_text("x")
