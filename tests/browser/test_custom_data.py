"""Your own data in real Chromium: points drawn on the output train the network, a CSV comes in through the file
input, a drop on the data panel or the paste dialog, a bad file says where it is wrong and changes nothing, and a
finger draws on a phone; drawn and uploaded points show their test split as built-in data does, and the download
and the exported script hold the points."""

import ast
import re
from pathlib import Path

import httpx
import numpy as np
from playwright.sync_api import Page, expect

from tests.browser import add_point_timing
from tests.browser.test_playground import DESKTOP, PHONE, _config, _epoch, _open, _session, _wait_for

# OutputHeatmap's layout: the square [-6, 6]² is `SIZE` canvas pixels, `LEFT`/`TOP` in from the corner.
LEFT, TOP, SIZE = 26, 6, 300
DOMAIN = 6.0

# Two classes far apart, ten points each: a line separates them, so a trained network classifies all of them.
CLASS_0 = [(-4.5 + 0.5 * (i % 3), -4 + 0.9 * i) for i in range(10)]
CLASS_1 = [(3.5 + 0.5 * (i % 3), -4 + 0.9 * i) for i in range(10)]


def _page_point(page: Page, x1: float, x2: float) -> tuple[float, float]:
    """Where (x1, x2) of the input square is on the screen (the canvas may be shown smaller than its pixels),
    scrolled into view first: a pointer acts only inside the viewport."""
    page.locator("#pg-output-canvas").scroll_into_view_if_needed()
    box = page.locator("#pg-output-canvas").bounding_box()
    width = page.eval_on_selector("#pg-output-canvas", "c => c.width")
    scale = box["width"] / width
    px = LEFT + (x1 + DOMAIN) / (2 * DOMAIN) * SIZE
    py = TOP + (DOMAIN - x2) / (2 * DOMAIN) * SIZE
    return box["x"] + px * scale, box["y"] + py * scale


def _custom_config(page: Page, live_server: str, rows: int) -> dict | None:
    """The session's config once it trains on `rows` custom points (None until then, or while the loaded
    machine answers slowly)."""
    try:
        config = _config(page, live_server)
    except httpx.TimeoutException:
        return None
    if config and config["dataset"] == "custom" and len(config.get("points") or ()) == rows:
        return config
    return None


def _csv(rows) -> str:
    return "x1,x2,label\n" + "".join(f"{x1},{x2},{label}\n" for x1, x2, label in rows)


GOOD = [(x1, x2, "left") for x1, x2 in CLASS_0] + [(x1, x2, "right") for x1, x2 in CLASS_1]


def _upload(page: Page, live_server: str, path, rows) -> dict:
    """Opens the playground, uploads `rows` as a CSV file through the file input and waits for its session."""
    page.set_viewport_size(DESKTOP)
    _open(page, live_server)
    path.write_text(_csv(rows))
    page.set_input_files("#pg-data-file", str(path))
    return _wait_for(lambda: _custom_config(page, live_server, len(rows)), 20, "a session on the file's points")


def _start_empty(page: Page, tap: bool = False) -> None:
    thumb = page.locator(".pg-dataset[data-dataset='custom']")
    thumb.tap() if tap else thumb.click()
    expect(page.locator("#pg-data-edit")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#pg-data-count")).to_contain_text("0 of at most")


def _draw(page: Page, count: int = 10, tap: bool = False) -> None:
    """Draws `count` points of class 0 on the left, then `count` of class 1 on the right (clicks or taps)."""
    def put(x1, x2):
        if tap:
            page.touchscreen.tap(*_page_point(page, x1, x2))
        else:
            page.mouse.click(*_page_point(page, x1, x2))

    for point in CLASS_0[:count]:
        put(*point)
    button = page.locator(".pg-data-class[data-class='1']")
    button.tap() if tap else button.click()
    put(*CLASS_1[0])
    # The first point of a second class makes the data trainable: the panel shows its download link and how to
    # keep the points, and the page may change height, which can move the canvas under the pointer.
    expect(page.locator("#pg-data-download")).to_be_visible()
    expect(page.locator("#pg-data-keep")).to_be_visible()
    page.wait_for_timeout(300)
    for point in CLASS_1[1:count]:
        put(*point)
    expect(page.locator("#pg-data-count")).to_contain_text(f"{2 * count} of at most")


def test_twenty_drawn_points_of_two_classes_train_to_full_accuracy(page: Page, live_server, console_errors):
    page.set_viewport_size(DESKTOP)
    _open(page, live_server)
    _start_empty(page)
    _draw(page)
    config = _wait_for(lambda: _custom_config(page, live_server, 20), 20, "a session on the 20 drawn points")
    # The points are where they were clicked (to within a pixel of the canvas), with the class picked for each.
    pixel = 2 * DOMAIN / SIZE
    for (x1, x2), label in [*((p, 0) for p in CLASS_0), *((p, 1) for p in CLASS_1)]:
        assert any(abs(a - x1) <= pixel and abs(b - x2) <= pixel and c == label for a, b, c in config["points"]), (
            (x1, x2), label, config["points"])
    page.click("#pg-play")
    _wait_for(lambda: page.text_content("#pg-train-accuracy") == "1.000"
              and page.get_attribute("#pg-test-accuracy", "data-value") == "1", 60, "accuracy 1.0 on the drawn data")
    page.click("#pg-play")
    state = httpx.get(f"{live_server}/api/sessions/{_session(page)}").json()
    assert state["train_metrics"]["accuracy"] == 1.0 and state["metrics"]["accuracy"] == 1.0
    assert state["num_parameters"] > 0 and state["problem"] == "binary"
    assert console_errors == []


def test_a_point_added_while_playing_reaches_the_running_session(page: Page, live_server, console_errors):
    page.set_viewport_size(DESKTOP)
    _open(page, live_server + "/?dataset=spiral")
    page.click("#pg-play")
    _wait_for(lambda: _epoch(page) > 20, 30, "training on the spiral")
    session = _session(page)
    page.click("#pg-data-edit")  # the spiral's points become editable
    expect(page.locator("#pg-data-count")).to_contain_text("500 of at most")
    page.mouse.click(*_page_point(page, 0.5, 0.5))
    config = _wait_for(lambda: _custom_config(page, live_server, 501), 20, "the spiral with one more point")
    assert _session(page) == session, "the data changed live, in the same session"
    epoch = _epoch(page)
    _wait_for(lambda: _epoch(page) > epoch, 20, "training to go on")
    assert config["problem_type"] == "classification"
    assert console_errors == []


def test_a_csv_file_through_the_file_input_becomes_the_data(page: Page, live_server, tmp_path, console_errors):
    config = _upload(page, live_server, tmp_path / "points.csv", GOOD)
    assert config["class_names"] == ["left", "right"]
    expect(page.locator("#pg-data-message")).to_contain_text("20 points loaded")
    expect(page.locator("#pg-data-download")).to_have_attribute("href", f"/api/datasets/{config['dataset_id']}.csv")
    expect(page.locator(".pg-data-class")).to_contain_text(["left", "right"])
    assert console_errors == []


def test_a_csv_file_dropped_on_the_data_panel_becomes_the_data(page: Page, live_server, console_errors):
    page.set_viewport_size(DESKTOP)
    _open(page, live_server)
    transfer = page.evaluate_handle("""(text) => {
        const t = new DataTransfer();
        t.items.add(new File([text], 'points.csv', { type: 'text/csv' }));
        return t;
    }""", _csv(GOOD))
    page.dispatch_event(".pg-data", "dragover", {"dataTransfer": transfer})
    expect(page.locator(".pg-data")).to_have_class("pg-col pg-data pg-drop-target")
    page.dispatch_event(".pg-data", "drop", {"dataTransfer": transfer})
    _wait_for(lambda: _custom_config(page, live_server, 20), 20, "a session on the dropped file's 20 points")
    expect(page.locator(".pg-data")).not_to_have_class("pg-col pg-data pg-drop-target")
    assert console_errors == []


def test_pasted_csv_becomes_the_data_and_the_dialog_closes(page: Page, live_server, console_errors):
    page.set_viewport_size(DESKTOP)
    _open(page, live_server)
    page.click("#pg-data-paste")
    page.fill("#pg-data-text", _csv([(x1 * 3, x2 * 3, label) for x1, x2, label in GOOD]))
    page.click("#pg-data-use")
    expect(page.locator("#pg-data-dialog")).not_to_be_visible()
    config = _wait_for(lambda: _custom_config(page, live_server, 20), 20, "a session on the pasted points")
    # x1 runs from -13.5 to 13.5: scaled into the square, and the page says so with the original values.
    assert max(abs(p[0]) for p in config["points"]) <= DOMAIN
    expect(page.locator("#pg-data-scaled")).to_be_visible()
    expect(page.locator("#pg-data-scaled")).to_contain_text("x1 -13.5 to 13.5")
    assert console_errors == []


def test_a_bad_file_shows_its_row_and_column_and_leaves_the_data_as_it_was(page: Page, live_server, tmp_path,
                                                                            console_errors):
    before = _upload(page, live_server, tmp_path / "good.csv", GOOD)
    session = _session(page)
    bad = tmp_path / "bad.csv"
    rows = _csv(GOOD).splitlines()
    rows[2] = "1.5,abc,left"  # the file's third line, second cell
    bad.write_text("\n".join(rows) + "\n")
    page.set_input_files("#pg-data-file", str(bad))
    message = page.locator("#pg-data-message")
    expect(message).to_contain_text("Row 3, column 2")
    expect(message).to_contain_text("The data is as it was")
    expect(message).to_have_attribute("role", "alert")
    page.wait_for_timeout(500)
    assert _session(page) == session
    assert _config(page, live_server)["dataset_id"] == before["dataset_id"]
    # In Chinese the place is said in Chinese.
    page.click("#lang-switch")
    page.set_input_files("#pg-data-file", str(bad))
    expect(message.locator("[data-lang='zh']")).to_contain_text("第 3 行第 2 列")
    expect(message.locator("[data-lang='zh']")).to_be_visible()
    # The browser logs each refused upload (a 422) itself; nothing else went wrong.
    assert [e for e in console_errors if "status of 422" not in e] == []


def test_drawing_works_by_touch_on_a_phone(browser, live_server):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True, device_scale_factor=2)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        _open(page, live_server)
        _start_empty(page, tap=True)
        _draw(page, tap=True)
        config = _wait_for(lambda: _custom_config(page, live_server, 20), 20, "a session on the tapped points")
        assert sorted(p[2] for p in config["points"]) == [0] * 10 + [1] * 10
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the page is {width} px wide"
        assert errors == []
    finally:
        context.close()


def test_shift_click_and_the_eraser_remove_the_nearest_point_and_clear_keeps_the_last_data(page: Page, live_server,
                                                                                          console_errors):
    page.set_viewport_size(DESKTOP)
    _open(page, live_server)
    _start_empty(page)
    _draw(page, 6)
    _wait_for(lambda: _custom_config(page, live_server, 12), 20, "the 12 drawn points")
    # Shift-click a little beside a point of class 1: that point goes, the others stay.
    x1, x2 = CLASS_1[2]
    page.keyboard.down("Shift")
    page.mouse.click(*_page_point(page, x1 + 0.1, x2 + 0.1))
    page.keyboard.up("Shift")
    config = _wait_for(lambda: _custom_config(page, live_server, 11), 20, "11 points after a shift-click")
    assert not any(abs(a - x1) < 0.05 and abs(b - x2) < 0.05 for a, b, _ in config["points"])
    page.click("#pg-data-eraser")
    expect(page.locator("#pg-data-eraser")).to_have_attribute("aria-pressed", "true")
    page.mouse.click(*_page_point(page, *CLASS_0[0]))
    _wait_for(lambda: _custom_config(page, live_server, 10), 20, "10 points after the eraser")
    # Clear empties the canvas; the session keeps its last data until there is enough to train on.
    page.click("#pg-data-clear")
    expect(page.locator("#pg-data-count")).to_contain_text("0 of at most")
    page.click("#pg-data-eraser")
    page.mouse.click(*_page_point(page, 0, 0))
    expect(page.locator("#pg-data-message")).to_contain_text("at least 2")
    page.wait_for_timeout(300)
    assert _custom_config(page, live_server, 10)
    assert console_errors == []


def test_the_inferred_problem_is_shown_and_can_be_overridden_and_the_points_downloaded(page: Page, live_server, tmp_path,
                                                                                      console_errors):
    rows = [(x1, x2, 0) for x1, x2 in CLASS_0] + [(x1, x2, 1) for x1, x2 in CLASS_1]
    config = _upload(page, live_server, tmp_path / "numbers.csv", rows)
    assert config["problem_type"] == "classification"
    expect(page.locator("#pg-data-problem option[value='']")).to_have_text("Inferred (Classification)")
    # The download is the server's CSV of exactly these points, saved by the browser as dataset.csv.
    with page.expect_download() as download:
        page.click("#pg-data-download")
    assert download.value.suggested_filename == "dataset.csv"
    lines = Path(download.value.path()).read_text().strip().splitlines()
    assert lines[0] == "x1,x2,label" and len(lines) == 21
    assert sorted(tuple(map(float, line.split(","))) for line in lines[1:]) == sorted(map(tuple, config["points"]))
    # The page says the row cap and what happens to coordinates outside the square before anything is loaded.
    expect(page.locator("#pg-data-limits")).to_contain_text("At most 2000 points")
    expect(page.locator("#pg-data-limits")).to_contain_text("outside -6 to 6 are scaled into the square")
    page.select_option("#pg-data-problem", "regression")
    config = _wait_for(lambda: (c := _custom_config(page, live_server, 20)) and c["problem_type"] == "regression" and c,
                       20, "the same points as a regression")
    assert sorted(p[2] for p in config["points"]) == [0] * 10 + [1] * 10
    page.click("#pg-data-edit")  # drawing now takes a target value instead of a class
    expect(page.locator("#pg-data-target")).to_be_visible()
    expect(page.locator("#pg-data-count")).to_contain_text("20 of at most")
    assert console_errors == []


def test_a_point_added_while_playing_is_trained_on_within_a_second(page: Page, live_server, console_errors):
    """The figure of issue #10 as a learner meets it: from releasing the pointer to the first frame the page
    receives that was trained on the new point, on the spiral's network while it plays."""
    page.set_viewport_size(DESKTOP)
    page.add_init_script(add_point_timing.SCRIPT)
    _open(page, live_server + "/?dataset=spiral&pace=max")
    page.click("#pg-play")
    _wait_for(lambda: _epoch(page) > 20, 30, "training on the spiral")
    page.click("#pg-data-edit")
    spots = [(-5 + 0.5 * i, 5.5) for i in range(21)]
    for i, spot in enumerate(spots):
        page.mouse.click(*_page_point(page, *spot))
        _wait_for(lambda: _custom_config(page, live_server, 501 + i), 20, f"point {i + 1} in the session")
        page.wait_for_timeout(200)
    # The first point moves the session from the spiral to custom data: later ones are the seen network's.
    figures = add_point_timing.latencies(page.evaluate("window.__timing"), [501 + i for i in range(21)], skip=1)
    print(figures.line("add point → first frame trained on it (spiral 500 points, network 4,2)"))
    median = sorted(figures.received)[len(figures.received) // 2]
    assert median < 1000
    assert console_errors == []


def test_a_saved_run_keeps_the_custom_points_the_link_does_not_carry(page: Page, live_server, tmp_path,
                                                                   console_errors):
    config = _upload(page, live_server, tmp_path / "points.csv", GOOD)
    query = _wait_for(lambda: (q := page.evaluate("location.search")) and "dataset=custom" in q and q, 10, "the link")
    assert "dataset_id" not in query and "points" not in query
    expect(page.locator("#pg-data-keep")).to_be_visible()
    expect(page.locator("#pg-data-keep")).to_contain_text("save the run to keep them")
    page.fill("#pg-save-name", "my points")
    page.click("#pg-save-button")
    link = page.locator("#pg-save-link")
    expect(link).to_be_visible(timeout=10_000)
    page.goto(live_server + link.get_attribute("href"))
    _wait_for(lambda: _custom_config(page, live_server, 20), 30, "the saved run's session on its 20 points")
    assert sorted(map(tuple, _config(page, live_server)["points"])) == sorted(map(tuple, config["points"]))
    expect(page.locator("#pg-data-keep")).to_be_visible()
    assert console_errors == []


def test_a_link_to_data_the_server_no_longer_holds_says_so_and_shows_the_default(page: Page, live_server,
                                                                                console_errors):
    page.set_viewport_size(DESKTOP)
    _open(page, live_server + "/?dataset=custom&dataset_id=gone0000000000000000")
    expect(page.locator("#pg-status-line")).to_contain_text("no longer on the server")
    expect(page.locator(".pg-dataset[data-dataset='circle']")).to_have_attribute("aria-pressed", "true")
    assert _config(page, live_server)["dataset"] == "circle"
    assert "dataset_id" not in page.evaluate("location.search")
    assert [e for e in console_errors if "status of 404" not in e and "status of 422" not in e] == []


POINT_COLOURS = {0: (245, 147, 34), 1: (8, 119, 189)}  # colors.js: NEGATIVE, POSITIVE (classes 0 and 1)


def _drawn_as(page: Page, rows) -> list[str]:
    """How the output canvas shows each [x1, x2, label] row: "train" (its class colour, no dark ring), "test"
    (its class colour in a black ring) or "hidden" (not drawn)."""
    return page.eval_on_selector("#pg-output-canvas", """(c, [rows, colours, left, top, size, domain]) => {
        const ctx = c.getContext('2d');
        return rows.map(([x1, x2, label]) => {
            const px = left + (x1 + domain) / (2 * domain) * size;
            const py = top + (domain - x2) / (2 * domain) * size;
            const patch = ctx.getImageData(Math.floor(px) - 5, Math.floor(py) - 5, 11, 11).data;
            const at = (dx, dy) => patch.slice(4 * ((5 + dy) * 11 + 5 + dx), 4 * ((5 + dy) * 11 + 5 + dx) + 3);
            const centre = at(0, 0);
            if (![0, 1, 2].every((i) => Math.abs(centre[i] - colours[label][i]) < 30)) return 'hidden';
            // The ring of radius 3 (1 px wide) around the point's centre, wherever in its pixel the centre lies.
            let darkest = 765;
            for (let dy = -5; dy <= 5; dy++) for (let dx = -5; dx <= 5; dx++) {
                const r = Math.hypot(Math.floor(px) + dx + 0.5 - px, Math.floor(py) + dy + 0.5 - py);
                if (r > 2.5 && r < 3.5) darkest = Math.min(darkest, at(dx, dy).reduce((a, b) => a + b, 0));
            }
            return darkest < 200 ? 'test' : 'train';
        });
    }""", [rows, POINT_COLOURS, LEFT, TOP, SIZE, DOMAIN])


def _server_split(live_server: str, config: dict, train_ratio: float) -> dict:
    fields = ("dataset", "dataset_id", "points", "problem_type", "class_names", "seed")
    body = {**{k: config[k] for k in fields}, "train_ratio": train_ratio}
    return httpx.post(f"{live_server}/api/datasets/preview", json=body).json()


def test_custom_data_shows_its_test_points_as_built_in_data_does_and_they_follow_the_ratio(page: Page, live_server,
                                                                                           tmp_path, console_errors):
    rows = [(x1, x2, 0) for x1, x2 in CLASS_0] + [(x1, x2, 1) for x1, x2 in CLASS_1]
    config = _upload(page, live_server, tmp_path / "points.csv", rows)
    split = _server_split(live_server, config, 0.5)
    assert len(split["train"]) == len(split["test"]) == 10
    # As for generated data: training points are drawn, test points only with "show test data", in a black ring.
    _wait_for(lambda: _drawn_as(page, split["test"]) == ["hidden"] * 10, 20, "the test points hidden")
    assert _drawn_as(page, split["train"]) == ["train"] * 10
    page.check("#pg-show-test")
    _wait_for(lambda: _drawn_as(page, split["test"]) == ["test"] * 10, 20, "the test points in black rings")
    # Another ratio splits the points again, as the session now does.
    page.eval_on_selector("#pg-train-ratio", "(e) => { e.value = 80; e.dispatchEvent(new Event('change')); }")
    config = _wait_for(lambda: (c := _custom_config(page, live_server, 20)) and c["train_ratio"] == 0.8 and c, 20,
                       "the session on 80 % training data")
    split = _server_split(live_server, config, 0.8)
    assert len(split["test"]) == 4
    _wait_for(lambda: _drawn_as(page, split["test"]) == ["test"] * 4
              and _drawn_as(page, split["train"]) == ["train"] * 16, 20, "the new split on the output")
    # While drawing, test points stay in sight whatever the toggle says: a point just drawn never vanishes.
    page.uncheck("#pg-show-test")
    _wait_for(lambda: _drawn_as(page, split["test"]) == ["hidden"] * 4, 20, "the test points hidden again")
    page.click("#pg-data-edit")
    expect(page.locator("#pg-data-test-hint")).to_be_visible()
    _wait_for(lambda: _drawn_as(page, split["test"]) == ["test"] * 4, 20, "the test points shown while drawing")
    assert console_errors == []


def test_the_exported_script_embeds_the_drawn_points(page: Page, live_server, console_errors):
    page.set_viewport_size(DESKTOP)
    _open(page, live_server)
    _start_empty(page)
    _draw(page, 5)
    config = _wait_for(lambda: _custom_config(page, live_server, 10), 20, "a session on the 10 drawn points")
    page.click("#pg-code")
    expect(page.locator(".pg-code-text")).to_contain_text("EPOCHS = ", timeout=15_000)
    script = page.text_content(".pg-code-text")
    arrays = {name: ast.literal_eval(re.search(rf"^{name} = np\.array\((\[.*?\])(?:, dtype=\"float32\")?\)$", script,
                                                 re.M | re.S)[1])
              for name in ("train_points", "test_points", "train_labels", "test_labels")}
    rows = sorted((x1, x2, float(label)) for points, labels in (
        (arrays["train_points"], arrays["train_labels"]), (arrays["test_points"], arrays["test_labels"]))
        for (x1, x2), label in zip(points, labels))
    np.testing.assert_allclose(rows, sorted(map(tuple, config["points"])), atol=1e-5)
    assert console_errors == []
