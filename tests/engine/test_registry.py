import pytest

from app.engine.registry import Registry


def test_unknown_name_lists_what_is_expected():
    reg = Registry("activation")
    reg.register("relu", 1)
    reg.register("tanh", 2)
    with pytest.raises(ValueError, match=r"Unknown activation 'relux'\. Expected one of: relu, tanh"):
        reg.get("relux")


def test_registering_a_name_twice_is_refused():
    reg = Registry("loss")
    reg.register("mse", 1)
    with pytest.raises(ValueError, match="already registered"):
        reg.register("mse", 2)


def test_names_keep_registration_order():
    reg = Registry("x")
    for name in ("b", "a", "c"):
        reg.register(name, name.upper(), label=name * 2)
    assert reg.names() == ["b", "a", "c"]
    assert reg.entry("a").label == "aa"
    assert "c" in reg and "d" not in reg


def test_an_entry_keeps_its_chinese_label():
    reg = Registry("loss")
    reg.register("mse", 1, label="Mean squared error", label_zh="均方误差")
    assert reg.entry("mse").label_zh == "均方误差"


def test_an_entry_without_a_chinese_label_shows_its_english_one():
    reg = Registry("optimizer")
    reg.register("adam", 1, label="Adam")
    reg.register("sgd", 2)
    assert reg.entry("adam").label_zh == "Adam"
    assert reg.entry("sgd").label_zh == "sgd"
