"""Every page in 中文, in real Chromium: no Latin word a learner can see, outside formulas, code and names.

Each page is opened with the language set to Chinese and used enough to build its dynamic text (the
playground plays a few frames, shows a neuron's popup and a weight's tooltip; a lab shows an error). Then
every visible text node is read and each Latin word in it must be a formula, code, a gloss or a declared name.
"""

import re

import httpx
import pytest
from playwright.sync_api import Page, expect

from app.concepts_catalog import CONCEPTS
from app.schemas.runs import OWNER_HEADER

# Latin words a Chinese page may show, each with why; any other visible Latin word fails the test.
ALLOWED = {
    **dict.fromkeys(["Tensor", "Playground"], "the product's name, Tensor Playground"),
    **dict.fromkeys(["TensorFlow", "Keras", "XLA", "NumPy", "GradientTape", "GlorotUniform", "Glorot"],
                    "names of libraries, their parts and the initializer they are named after"),
    "English": "the language switch names the language it switches to, in that language",
    "CSV": "the file format's name, as Chinese texts write it (粘贴 CSV)",
    "API": "the term Chinese developers use for it (the link reads API 文档)",
    **dict.fromkeys(["Adam", "RMSprop", "Adagrad", "Nesterov", "SGD", "Huber", "Maxout", "Softmax", "Sigmoid",
                     "Tanh", "ReLU", "Leaky", "ELU", "SELU", "GELU", "SiLU", "Swish", "Mish", "Softplus",
                     "Softsign", "Dense", "MNIST", "XOR", "KL"],
                    "names of optimizers, losses, activations, layers and datasets, as Chinese texts write them"),
    **dict.fromkeys(["ROC", "AUC", "F1", "FPR", "TPR", "TP", "FP", "TN", "FN", "MAE", "MSE", "RMSE", "NaN"],
                    "the acronyms of metrics and of 'not a number', as Chinese texts write them"),
    **dict.fromkeys(["exp", "ln", "log", "max", "min", "sin", "cos"], "function names in formulas"),
    **dict.fromkeys(["logit", "logits"], "the term and Keras argument (from_logits) Chinese ML texts keep"),
}
# Parts of a page whose text is not the page's own words: formulas, code, and the API reference.
NOT_PROSE = ["code", "pre", "kbd", "samp", "var", ".formula", "[translate='no']", "script", "style",
             # Swagger UI's own interface and the API reference it renders are written for developers in
             # English: the contract's field names and descriptions.
             "#swagger-ui"]

# The visible text nodes of the page (and the shown option of each select), outside NOT_PROSE.
VISIBLE_TEXT = """(excluded) => {
  const skip = excluded.join(', ');
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest(skip) || !node.textContent.trim()) continue;
    const option = parent.closest('option');
    if (option && !option.selected) continue;
    const shown = option ? option.closest('select') : parent;
    if (!shown.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
    texts.push(node.textContent.trim());
  }
  return texts;
}"""

# A term's original name in brackets right after its Chinese name: 随机梯度下降 (SGD), 独热编码（one-hot）.
GLOSS = re.compile(r"(?<=[\u4e00-\u9fff])\s?[（(][^()（）]*[)）]")
# A Latin word; with what follows it, to tell a function (f(x), relu′(z)) or an identifier (y_true, tf.math) apart.
WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z]+)*")


def latin_words(texts: list[str], allowed: set[str]) -> list[tuple[str, str]]:
    found = []
    for text in texts:
        prose = GLOSS.sub("", text)
        for m in WORD.finditer(prose):
            word, before, after = m[0], prose[m.start() - 1:m.start()], prose[m.end():m.end() + 1]
            if len(word) == 1 or word.isdigit() or re.fullmatch(r"\d*e\d+", word):
                continue  # a variable (x, W, b) or a number (1e-7)
            if after in ("(", "′", "_", ".", "ᵢ", "₀", "₁", "₂") or before in ("_", "."):
                continue  # a function applied (exp(z), f′) or part of an identifier (y_pred, tf.math.log)
            if word.lower() not in allowed:
                found.append((word, text[:100]))
    return found


@pytest.fixture(scope="module")
def allowed(live_server) -> set[str]:
    """ALLOWED, and the registry names /api/options lists: identifiers the labs show as the code names them
    ("sgd, η = 0.3", "relu · [1, 4]", "L (mse)")."""
    options = httpx.get(live_server + "/api/options", timeout=30).json()
    names = {e["name"] for key in ("activations", "losses", "optimizers", "regularizations", "lr_schedules")
             for e in options[key]}
    return {w.lower() for w in ALLOWED} | names


@pytest.fixture
def chinese(page: Page) -> Page:
    page.add_init_script("localStorage.setItem('tp.lang', 'zh')")
    page.set_viewport_size({"width": 1440, "height": 900})
    return page


def assert_chinese(page: Page, allowed: set[str], *, switched: bool = True) -> None:
    if switched:  # the API reference has no language switch of its own
        expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    found = latin_words(page.evaluate(VISIBLE_TEXT, NOT_PROSE), allowed)
    assert found == [], f"{page.url}: Latin words a Chinese reader sees: {found}"


def test_the_playground_says_everything_in_chinese_while_it_trains(chinese: Page, live_server, allowed, console_errors):
    page = chinese
    page.goto(live_server + "/")
    expect(page.locator("#pg-epoch")).to_have_attribute("data-epoch", re.compile(r"\d+"), timeout=30_000)
    page.click("#pg-play")
    expect(page.locator("#pg-rate")).to_contain_text("每秒", timeout=30_000)  # frames are arriving
    page.click("#pg-play")
    neuron = page.locator(".pg-neuron").first
    neuron.hover()
    expect(page.locator(".pg-zoom")).to_be_visible()
    expect(page.locator(".pg-zoom")).to_contain_text("第 1 层，第 1 个神经元")
    assert_chinese(page, allowed)
    weight = page.locator(".pg-link-hit").first
    box = weight.bounding_box()
    weight.dispatch_event("mousemove", {"clientX": box["x"] + box["width"] / 2, "clientY": box["y"] + box["height"] / 2})
    expect(page.locator(".pg-tip")).to_be_visible()
    expect(page.locator(".pg-tip")).to_have_text(re.compile(r"^权重 −?-?\d"))
    assert_chinese(page, allowed)
    assert console_errors == []


@pytest.mark.parametrize("path", ["/runs", "/concepts", "/docs"])
def test_a_page_without_a_session_is_in_chinese(chinese: Page, live_server, allowed, path, console_errors):
    if path == "/runs":  # a run a learner named in English: their words, listed as they wrote them
        session = httpx.post(f"{live_server}/api/sessions", json={}).json()["id"]
        saved = httpx.post(f"{live_server}/api/runs", json={"session_id": session, "name": "My first spiral"},
                           headers={OWNER_HEADER: "chinese-page-test-owner"})
        assert saved.status_code == 201, saved.text
    chinese.goto(live_server + path)
    if path == "/docs":
        expect(chinese.locator("#swagger-ui .info")).to_be_visible(timeout=30_000)
    else:
        expect(chinese.locator("nav a[href='/concepts']")).to_have_text("概念实验室", use_inner_text=True)
    assert_chinese(chinese, allowed, switched=path != "/docs")
    assert console_errors == []


@pytest.mark.parametrize("name", [c.name for c in CONCEPTS])
def test_every_lab_is_in_chinese(chinese: Page, live_server, allowed, name, console_errors):
    chinese.goto(live_server + f"/concepts/{name}")
    expect(chinese.locator("#lab-code")).not_to_be_empty(timeout=30_000)  # the lab has drawn its first answer
    chinese.wait_for_load_state("networkidle")
    assert_chinese(chinese, allowed)
    assert console_errors == []


def test_a_lab_error_is_said_in_chinese_beside_its_input(chinese: Page, live_server, allowed):
    page = chinese
    page.goto(live_server + "/concepts/activations")
    expect(page.locator("#lab-code")).not_to_be_empty(timeout=30_000)
    page.fill("#activations-stop", "-8")  # below the start (-5): the server's range_order error
    error = page.locator("#lab-error")
    expect(error).to_be_visible(timeout=30_000)
    expect(error).to_contain_text("必须大于")
    assert_chinese(page, allowed)


def test_the_divergence_message_is_in_chinese(chinese: Page, live_server, allowed):
    page = chinese
    page.goto(live_server + "/?dataset=plane&hidden_layers=8,8&activation=relu&learning_rate=10")
    expect(page.locator("#pg-epoch")).to_have_attribute("data-epoch", re.compile(r"\d+"), timeout=30_000)
    page.click("#pg-play")
    expect(page.locator("#pg-status")).to_contain_text("训练发散了", timeout=60_000)
    assert_chinese(page, allowed)
