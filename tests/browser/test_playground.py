"""The playground in real Chromium: play, steer live, reach a target on the spiral, edit a weight, share a link."""

import re
import time

import httpx
import pytest
from playwright.sync_api import Page, expect

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def _epoch(page: Page) -> int:
    return int(page.get_attribute("#pg-epoch", "data-epoch") or -1)


def _open(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator("#pg-epoch")).to_have_attribute("data-epoch", re.compile(r"\d+"), timeout=30_000)


def _session(page: Page) -> str:
    return page.get_attribute("#playground", "data-session")


def _config(page: Page, live_server: str) -> dict | None:
    """The config of the page's current session, or None while a new one is being made."""
    sid = _session(page)
    r = httpx.get(f"{live_server}/api/sessions/{sid}") if sid else None
    return r.json()["config"] if r is not None and r.status_code == 200 else None


def _output_pixels(page: Page) -> str:
    return page.eval_on_selector("#pg-output-canvas", "c => c.toDataURL()")


def _wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def test_play_trains_and_updates_epoch_loss_and_output(page: Page, live_server, console_errors):
    page.set_viewport_size(DESKTOP)
    _open(page, live_server + "/")
    assert _epoch(page) == 0
    loss_before = page.text_content("#pg-train-loss")
    pixels_before = _output_pixels(page)
    page.click("#pg-play")
    expect(page.locator("#pg-play")).to_have_attribute("aria-label", "Pause")
    _wait_for(lambda: _epoch(page) > 50, 30, "the epoch counter to pass 50")
    _wait_for(lambda: page.text_content("#pg-train-loss") != loss_before, 10, "the loss to change")
    _wait_for(lambda: _output_pixels(page) != pixels_before, 10, "the output canvas to change")
    assert float(page.get_attribute("#pg-test-accuracy", "data-value")) > 0
    page.click("#pg-play")  # pause
    expect(page.locator("#pg-play")).to_have_attribute("aria-label", "Play")
    time.sleep(0.5)
    paused = _epoch(page)
    time.sleep(0.5)
    assert _epoch(page) == paused
    page.click("#pg-step")
    _wait_for(lambda: _epoch(page) == paused + 1, 5, "a step of exactly one epoch")
    assert console_errors == []


def test_learning_rate_changes_live_without_a_reset(page: Page, live_server, console_errors):
    page.set_viewport_size(DESKTOP)
    _open(page, live_server + "/")
    page.click("#pg-play")
    _wait_for(lambda: _epoch(page) > 100, 30, "training to start")
    before = _epoch(page)
    page.select_option("#pg-learning-rate", "0.01")
    seen = []
    for _ in range(15):
        seen.append(_epoch(page))
        time.sleep(0.1)
    assert seen == sorted(seen) and seen[0] >= before, seen
    assert seen[-1] > before
    assert "learning_rate=0.01" in page.url
    state = httpx.get(f"{live_server}/api/sessions/{_session(page)}").json()
    assert state["config"]["learning_rate"] == pytest.approx(0.01)
    assert state["epoch"] >= before
    page.click("#pg-play")
    assert console_errors == []


def _set_layers(page: Page, target: list[int]) -> None:
    """Use the +/− buttons until the hidden layers are ``target``."""
    def layers() -> list[int]:
        match = re.search(r"hidden_layers=([\d%C,]*)", page.url)
        return [int(x) for x in match.group(1).replace("%2C", ",").split(",") if x] if match else [4, 2]

    while len(layers()) < len(target):
        page.click("button[aria-label='Add a hidden layer']")
    while len(layers()) > len(target):
        page.click("button[aria-label='Remove a hidden layer']")
    for i, units in enumerate(target):
        while layers()[i] < units:
            page.click(f"button[aria-label='Add a neuron to layer {i + 1}']")
            assert len(layers()) == len(target), (page.url, page.text_content("#pg-status-line"))
        while layers()[i] > units:
            page.click(f"button[aria-label='Remove a neuron from layer {i + 1}']")


@pytest.mark.slow
def test_spiral_with_three_layers_reaches_90_percent_test_accuracy(page: Page, live_server, console_errors):
    page.set_viewport_size(DESKTOP)
    _open(page, live_server + "/")
    page.click("button[data-dataset='spiral']")
    _set_layers(page, [8, 8, 8])
    page.select_option("#pg-optimizer", "adam")
    page.select_option("#pg-learning-rate", "0.01")
    expect(page.locator("#pg-layer-count")).to_contain_text("3 hidden layers")
    assert "dataset=spiral" in page.url and "hidden_layers=8%2C8%2C8" in page.url
    _wait_for(lambda: (c := _config(page, live_server)) and c["hidden_layers"] == [8, 8, 8] and c["optimizer"] == "adam",
              20, "the session for the new network")
    _open(page, page.url)  # the link alone holds the setup
    page.click("#pg-play")
    started = time.monotonic()
    accuracy = _wait_for(lambda: (v := page.get_attribute("#pg-test-accuracy", "data-value")) and float(v) >= 0.9
                         and float(v), 60, "test accuracy of 0.9")
    print(f"spiral [8, 8, 8] adam 0.01 x1,x2: test accuracy {accuracy:.3f} after {time.monotonic() - started:.1f} s, "
          f"epoch {_epoch(page)}")
    page.click("#pg-play")
    page.screenshot(path="/tmp/playground-spiral-1280.png")
    assert console_errors == []


def test_edit_a_weight_and_read_a_bias(page: Page, live_server, console_errors):
    page.set_viewport_size(DESKTOP)
    _open(page, live_server + "/")
    link = page.locator(".pg-link-hit[data-layer='0'][data-from='1'][data-to='2']")
    link.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#pg-edit-value")).to_be_visible()
    page.fill("#pg-edit-value", "2.5")
    page.click("#pg-edit-apply")
    sid = _session(page)
    _wait_for(lambda: httpx.get(f"{live_server}/api/sessions/{sid}/weights").json()["layers"][0]["weights"][1][2]
              == pytest.approx(2.5), 5, "the edited weight on the server")
    line = page.locator(".pg-link").nth(1 * 4 + 2)  # links are drawn [from][to], four per source
    _wait_for(lambda: float(line.get_attribute("stroke-width")) > 4.5, 5, "a thick link for |w| = 2.5")
    expect(line).to_have_attribute("stroke", "rgb(8, 119, 189)")  # positive: blue
    page.hover(".pg-bias >> nth=0")
    expect(page.locator(".pg-tip")).to_contain_text("Bias")
    assert _epoch(page) == 0  # an edit is not a reset and not a step
    assert console_errors == []


def test_shared_url_restores_the_same_state_and_back_button_restores_the_previous(page: Page, live_server,
                                                                                   console_errors):
    page.set_viewport_size(DESKTOP)
    _open(page, live_server + "/")
    page.click("button[data-dataset='xor']")
    page.select_option("#pg-activation", "relu")
    page.select_option("#pg-learning-rate", "0.1")
    page.click(".pg-feature[data-feature='x1_x2']")
    page.check("#pg-show-test")
    _wait_for(lambda: (c := _config(page, live_server)) and c["features"] == ["x1", "x2", "x1_x2"], 20,
              "the session with the new feature")
    _wait_for(lambda: page.text_content("#pg-train-loss") not in ("", "–"), 10, "the first frame")
    url = page.url
    loss = page.text_content("#pg-train-loss")
    for part in ("dataset=xor", "activation=relu", "learning_rate=0.1", "features=x1%2Cx2%2Cx1_x2", "show_test=1"):
        assert part in url, (part, url)

    other = page.context.new_page()
    _open(other, url)
    assert other.get_attribute("button[data-dataset='xor']", "aria-pressed") == "true"
    assert other.input_value("#pg-activation") == "relu"
    assert other.input_value("#pg-learning-rate") == "0.1"
    assert other.get_attribute(".pg-feature[data-feature='x1_x2']", "aria-pressed") == "true"
    assert other.is_checked("#pg-show-test")
    _wait_for(lambda: other.text_content("#pg-train-loss") == loss, 10, "the same initial loss")
    config = _config(other, live_server)
    assert (config["dataset"], config["activation"], config["init_seed"]) == ("xor", "relu", 1)
    other.close()

    page.go_back()  # undo show_test
    expect(page.locator("#pg-show-test")).not_to_be_checked()
    page.go_back()  # undo the feature
    expect(page.locator(".pg-feature[data-feature='x1_x2']")).to_have_attribute("aria-pressed", "false")
    assert console_errors == []


def test_layout_on_a_phone_and_a_desktop(page: Page, live_server, console_errors):
    page.set_viewport_size(PHONE)
    _open(page, live_server + "/")
    page.click("#pg-play")
    _wait_for(lambda: _epoch(page) > 200, 30, "training")
    # Nothing wider than the phone: controls stack.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    columns = [page.locator(s).bounding_box() for s in (".pg-data", ".pg-network", ".pg-output")]
    assert columns[0]["y"] < columns[1]["y"] < columns[2]["y"], "columns stack on a phone"
    page.screenshot(path="/tmp/playground-390.png", full_page=True)
    page.set_viewport_size(DESKTOP)
    time.sleep(0.5)
    columns = [page.locator(s).bounding_box() for s in (".pg-data", ".pg-network", ".pg-output")]
    assert columns[0]["x"] < columns[1]["x"] < columns[2]["x"], "data | network | output side by side"
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    page.screenshot(path="/tmp/playground-1280.png")
    page.click("#pg-play")
    assert console_errors == []


def test_diverged_training_is_shown_and_recoverable(page: Page, live_server, console_errors):
    page.set_viewport_size(DESKTOP)
    _open(page, live_server + "/?dataset=plane&optimizer=sgd&learning_rate=10&hidden_layers=8,8&activation=relu"
                               "&batch_size=1")
    page.click("#pg-play")
    expect(page.locator("#pg-status")).to_contain_text("Training diverged", timeout=20_000)
    expect(page.locator("#pg-play")).to_have_attribute("aria-label", "Play")
    page.select_option("#pg-learning-rate", "0.001")
    expect(page.locator("#pg-status")).to_be_empty()
    before = _epoch(page)
    page.click("#pg-step")
    _wait_for(lambda: _epoch(page) == before + 1, 5, "a step after lowering the learning rate")
    assert console_errors == []


def test_code_dialog_shows_the_keras_script(page: Page, live_server, console_errors):
    page.set_viewport_size(DESKTOP)
    _open(page, live_server + "/")
    page.click("#pg-code")
    expect(page.locator(".pg-code-text")).to_contain_text("keras", timeout=10_000)
    href = page.get_attribute("#pg-download-model", "href")
    assert href.endswith("/export/model.keras")
    page.keyboard.press("Escape")
    assert console_errors == []


def test_reload_resumes_the_session_where_it_was(page: Page, live_server, console_errors):
    page.set_viewport_size(DESKTOP)
    _open(page, live_server + "/?learning_rate=0.1")
    page.click("#pg-play")
    _wait_for(lambda: _epoch(page) > 200, 30, "training")
    page.click("#pg-play")
    _wait_for(lambda: page.get_attribute("#pg-play", "aria-label") == "Play", 5, "pause")
    time.sleep(0.3)
    sid, epoch = _session(page), _epoch(page)
    page.reload()
    _wait_for(lambda: _session(page) == sid and _epoch(page) == epoch, 10, "the same session at the same epoch")
    assert page.input_value("#pg-learning-rate") == "0.1"
    assert console_errors == []


def test_a_new_network_plays_at_once_and_says_while_it_compiles(page: Page, live_server, console_errors):
    page.set_viewport_size(DESKTOP)
    # softplus with four layers: a network no other test builds, so nothing of it is compiled yet
    _open(page, live_server + "/?activation=softplus&hidden_layers=5%2C4%2C3%2C2")
    page.evaluate("""() => {
        window.compilingSeen = false;
        const badge = document.getElementById('pg-compiling');
        new MutationObserver(() => { if (!badge.hidden) window.compilingSeen = true; })
            .observe(badge, { attributes: true, attributeFilter: ['hidden'] });
    }""")
    page.click("#pg-play")
    _wait_for(lambda: page.evaluate("window.compilingSeen"), 10, "the compiling notice")
    expect(page.locator("#pg-compiling")).to_be_hidden(timeout=30_000)  # compiled: exact numbers from here on
    assert _epoch(page) > 0
    page.click("#pg-play")
    assert console_errors == []


def test_choices_read_in_the_chosen_language_and_switch_live(page: Page, live_server, console_errors):
    options = httpx.get(f"{live_server}/api/options").json()
    loss = next(e for e in options["losses"] if e["name"] == options["default_losses"]["binary"])
    spiral = next(e for e in options["datasets"] if e["name"] == "spiral")
    decay_rate = next(e for e in options["lr_schedules"] if e["name"] == "exponential_decay")["params"]["decay_rate"]
    assert loss["label_zh"] != loss["label"] and spiral["label_zh"] != spiral["label"]
    page.set_viewport_size(DESKTOP)
    _open(page, live_server + "/?dataset=spiral&optimizer=momentum&lr_schedule=exponential_decay&regularization=l2")
    selects = ["#pg-lr-schedule", "#pg-activation", "#pg-loss", "#pg-optimizer", "#pg-regularization"]
    chosen = {s: page.input_value(s) for s in selects}
    session = _session(page)
    selected_loss = page.locator("#pg-loss option:checked")
    dataset_label = page.locator(".pg-dataset[data-dataset='spiral'] .pg-dataset-label")
    decay_rate_label = page.locator("label[for='pg-lr-decay_rate']")
    expect(selected_loss).to_have_text(loss["label"])
    expect(dataset_label).to_have_text(spiral["label"])

    page.click("#lang-switch")
    expect(page.locator("html")).to_have_attribute("data-lang", "zh")
    expect(selected_loss).to_have_text(loss["label_zh"])
    expect(dataset_label).to_have_text(spiral["label_zh"])
    expect(decay_rate_label).to_have_text(decay_rate["label_zh"], use_inner_text=True)
    assert {s: page.input_value(s) for s in selects} == chosen  # relabelled in place: nothing re-chosen
    assert _session(page) == session

    page.reload()  # the stored language applies from the first render
    _wait_for(lambda: _session(page) == session, 10, "the same session after a reload")
    expect(selected_loss).to_have_text(loss["label_zh"])

    page.click("#lang-switch")
    expect(page.locator("html")).to_have_attribute("data-lang", "en")
    expect(selected_loss).to_have_text(loss["label"])
    expect(dataset_label).to_have_text(spiral["label"])
    expect(decay_rate_label).to_have_text("decay rate", use_inner_text=True)
    assert {s: page.input_value(s) for s in selects} == chosen
    assert _session(page) == session
    assert console_errors == []


def test_the_batch_slider_ends_at_the_servers_training_set_size(page: Page, live_server, console_errors):
    """25 points at ratio 0.5: the server trains 12 (Python rounds halves to even), so the page offers 12."""
    sized = httpx.get(f"{live_server}/api/options", params={"num_samples": 25, "train_ratio": 0.5}).json()
    n_train = sized["limits"]["batch_size"]["maximum"]
    page.set_viewport_size(DESKTOP)
    _open(page, live_server + f"/?num_samples=25&train_ratio=0.5&batch_size={n_train + 1}")
    assert page.get_attribute("#pg-batch-size", "max") == str(n_train)
    _wait_for(lambda: (_config(page, live_server) or {}).get("batch_size") == n_train, 10, "a session at the cap")
    wider = httpx.get(f"{live_server}/api/options", params={"num_samples": 25, "train_ratio": 0.7}).json()
    page.locator("#pg-train-ratio").fill("70")
    page.locator("#pg-train-ratio").dispatch_event("change")
    _wait_for(lambda: page.get_attribute("#pg-batch-size", "max") == str(wider["limits"]["batch_size"]["maximum"]),
              10, "the slider to follow the server's new training-set size")
    assert console_errors == []
