"""WS /api/sessions/{id}/stream: commands in, frames (JSON header + heatmap bytes) out."""

import pytest
from starlette.websockets import WebSocketDisconnect

from app.api.routes.stream import player_of
from app.config import get_settings


def _create(client, **config) -> str:
    r = client.post("/api/sessions", json=config)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def _frame(ws) -> dict:
    """The next frame's header, after checking its bytes arrive and match the layout."""
    header = ws.receive_json()
    assert header["type"] == "frame", header
    data = ws.receive_bytes()
    assert len(data) == header["bytes"]
    return header


def _message(ws) -> dict:
    """The next message: an error, or a frame header (its bytes consumed)."""
    message = ws.receive_json()
    if message["type"] == "frame":
        assert len(ws.receive_bytes()) == message["bytes"]
    return message


@pytest.fixture
def session_id(client):
    return _create(client)


def test_stream_sends_a_frame_on_connect(client, session_id):
    with client.websocket_connect(f"/api/sessions/{session_id}/stream") as ws:
        header = _frame(ws)
    assert header["epoch"] == 0 and header["playing"] is False
    assert {m["kind"] for m in header["maps"]} == {"output", "input", "neuron"}
    assert {"train_loss", "test_loss", "metrics", "train_metrics", "weights", "epochs_per_second",
            "status", "message"} <= set(header)


def test_a_new_network_plays_at_once_and_a_pause_before_its_compile_shows_the_settled_numbers(client):
    # a network no other test builds: nothing of it is compiled yet
    sid = _create(client, hidden_layers=[7, 5], activation="softsign", batch_size=9)
    with client.websocket_connect(f"/api/sessions/{sid}/stream") as ws:
        assert _frame(ws)["compiling"] is False
        ws.send_json({"type": "play"})
        first = _frame(ws)
        assert first["epoch"] > 0 and first["compiling"] is True  # trained by a stand-in, not waiting
        ws.send_json({"type": "pause"})
        header = _frame(ws)
        while header["playing"]:
            header = _frame(ws)
        paused_at = header["epoch"]
        while header["compiling"]:  # the stream sends a fresh frame once the replay is exact
            header = _frame(ws)
        assert header["epoch"] == paused_at and not header["playing"]
    described = client.get(f"/api/sessions/{sid}").json()
    assert described["epoch"] == paused_at and described["train_loss"] == header["train_loss"]


def test_play_sends_frames_with_growing_epochs_and_pause_stops(client, session_id):
    with client.websocket_connect(f"/api/sessions/{session_id}/stream") as ws:
        _frame(ws)
        ws.send_json({"type": "play"})
        epochs = [_frame(ws)["epoch"] for _ in range(8)]
        ws.send_json({"type": "pause"})
        # frames already in flight, then the one answering pause
        header = _frame(ws)
        while header["playing"]:
            header = _frame(ws)
        paused_at = header["epoch"]
        ws.send_json({"type": "frame"})
        assert _frame(ws)["epoch"] == paused_at
    assert epochs == sorted(epochs) and epochs[-1] > epochs[0] >= 1
    assert client.get(f"/api/sessions/{session_id}").json()["epoch"] == paused_at


def test_step_advances_exactly_one_epoch(client, session_id):
    with client.websocket_connect(f"/api/sessions/{session_id}/stream") as ws:
        assert _frame(ws)["epoch"] == 0
        ws.send_json({"type": "step"})
        assert _frame(ws)["epoch"] == 1
        ws.send_json({"type": "step"})
        assert _frame(ws)["epoch"] == 2


def test_set_learning_rate_while_playing_keeps_the_epoch(client, session_id):
    with client.websocket_connect(f"/api/sessions/{session_id}/stream") as ws:
        _frame(ws)
        ws.send_json({"type": "play"})
        before = max(_frame(ws)["epoch"] for _ in range(4))
        ws.send_json({"type": "set", "changes": {"learning_rate": 0.003}})
        headers = [_frame(ws) for _ in range(6)]
        ws.send_json({"type": "pause"})
    assert all(h["epoch"] >= before for h in headers)
    assert headers[-1]["learning_rate"] == pytest.approx(0.003)
    assert client.get(f"/api/sessions/{session_id}").json()["config"]["learning_rate"] == pytest.approx(0.003)


@pytest.mark.parametrize("bad", [
    "not json", "[1, 2]", '{"type": "jump"}', '{"type": "set", "changes": {"learning_rate": -1}}',
    '{"type": "set", "changes": {"hidden_layers": [3]}}', '{"type": "edit", "layer": 0, "kind": "weight"}',
    '{"type": "edit", "layer": 9, "kind": "bias", "index": [0], "value": 1}', '{"type": "reset", "reseed": "yes"}',
    '{"type": "set", "changes": {"batch_size": 100000}}', '{"type": "play", "pace": 0}',
    '{"type": "play", "pace": "fast"}', '{"type": "play", "paec": 5}', '{"type": "set"}',
])
def test_malformed_message_gets_an_error_and_the_stream_keeps_working(client, session_id, bad):
    with client.websocket_connect(f"/api/sessions/{session_id}/stream") as ws:
        _frame(ws)
        ws.send_text(bad)
        error = _message(ws)
        assert error["type"] == "error" and error["detail"], error
        ws.send_json({"type": "step"})
        assert _frame(ws)["epoch"] == 1


def test_binary_message_gets_an_error(client, session_id):
    with client.websocket_connect(f"/api/sessions/{session_id}/stream") as ws:
        _frame(ws)
        ws.send_bytes(b"\x00\x01")
        assert _message(ws)["type"] == "error"


def test_edit_sets_a_weight_live(client, session_id):
    with client.websocket_connect(f"/api/sessions/{session_id}/stream") as ws:
        _frame(ws)
        ws.send_json({"type": "edit", "layer": 0, "kind": "weight", "index": [1, 2], "value": 0.75})
        header = _frame(ws)
        ws.send_json({"type": "edit", "layer": 1, "kind": "bias", "index": [0], "value": -0.5})
        header2 = _frame(ws)
    assert header["weights"][0]["weights"][1][2] == pytest.approx(0.75)
    assert header2["weights"][1]["biases"][0] == pytest.approx(-0.5)


def test_reset_returns_to_epoch_zero_with_the_same_loss(client, session_id):
    with client.websocket_connect(f"/api/sessions/{session_id}/stream") as ws:
        first = _frame(ws)
        ws.send_json({"type": "step"})
        _frame(ws)
        ws.send_json({"type": "reset"})
        again = _frame(ws)
        ws.send_json({"type": "reset", "reseed": True})
        reseeded = _frame(ws)
    assert again["epoch"] == 0 and again["train_loss"] == pytest.approx(first["train_loss"])
    assert reseeded["init_seed"] != first["init_seed"]


def test_divergence_stops_playing_until_the_learning_rate_is_lowered(client):
    sid = _create(client, dataset="plane", optimizer="sgd", learning_rate=10, hidden_layers=[8, 8],
                  activation="relu", batch_size=1)
    with client.websocket_connect(f"/api/sessions/{sid}/stream") as ws:
        _frame(ws)
        ws.send_json({"type": "play"})
        header = _frame(ws)
        for _ in range(50):
            if header["status"] == "diverged":
                break
            header = _frame(ws)
        assert header["status"] == "diverged" and header["playing"] is False
        assert "diverged" in header["message"].lower()
        ws.send_json({"type": "set", "changes": {"learning_rate": 0.001}})
        header = _frame(ws)
        assert header["status"] == "idle"
        ws.send_json({"type": "step"})
        assert _frame(ws)["status"] == "idle"


def test_connection_keeps_the_session_from_being_reaped(client, app, session_id):
    manager = app.state.sessions
    with client.websocket_connect(f"/api/sessions/{session_id}/stream") as ws:
        _frame(ws)
        assert manager.entry(session_id).connections == 1
    assert manager.entry(session_id).connections == 0


def test_unknown_session_closes_with_4404(client):
    with client.websocket_connect("/api/sessions/nope/stream") as ws:
        with pytest.raises(WebSocketDisconnect) as e:
            ws.receive_json()
    assert e.value.code == 4404


def test_a_foreign_origin_is_refused_at_the_handshake(client, session_id):
    with pytest.raises(WebSocketDisconnect) as closed:
        with client.websocket_connect(f"/api/sessions/{session_id}/stream",
                                      headers={"origin": "https://evil.example"}) as ws:
            ws.receive_json()
    assert closed.value.code == 1008


def test_the_apps_own_origin_is_accepted(client, session_id):
    with client.websocket_connect(f"/api/sessions/{session_id}/stream",
                                  headers={"origin": "http://testserver"}) as ws:
        assert _frame(ws)["epoch"] == 0


def test_a_message_over_the_size_limit_closes_the_stream_with_1009(client, session_id):
    limit = get_settings().ws_max_message_bytes
    with client.websocket_connect(f"/api/sessions/{session_id}/stream") as ws:
        _frame(ws)
        ws.send_text('{"type": "pause", "pad": "' + "x" * limit + '"}')
        with pytest.raises(WebSocketDisconnect) as closed:
            while True:
                _message(ws)
    assert closed.value.code == 1009


def _play_frames(client, session_id, count):
    with client.websocket_connect(f"/api/sessions/{session_id}/stream") as ws:
        _frame(ws)
        ws.send_json({"type": "play"})
        epochs = [_frame(ws)["epoch"] for _ in range(count)]
        ws.send_json({"type": "pause"})
    return epochs


def test_a_stream_past_its_budget_keeps_playing_when_nobody_waits(app_with):
    from fastapi.testclient import TestClient

    app = app_with(prewarm=False, max_train_seconds_per_minute=1e-6)
    with TestClient(app) as c:
        sid = _create(c, hidden_layers=[2], num_samples=40)
        epochs = _play_frames(c, sid, 4)
    assert epochs == sorted(epochs) and epochs[-1] > epochs[0]


def test_a_stream_past_its_budget_waits_while_others_wait_for_their_turn(app_with):
    import threading

    from fastapi.testclient import TestClient

    app = app_with(prewarm=False, max_train_seconds_per_minute=1e-6)
    with TestClient(app) as c:
        sid = _create(c, hidden_layers=[2], num_samples=40)
        player_of(app).streams.update(range(-100, 0))  # a busy classroom
        c.post(f"/api/sessions/{sid}/train", json={"epochs": 1})  # spend the tiny budget
        got: list[dict] = []

        def play():
            with c.websocket_connect(f"/api/sessions/{sid}/stream") as ws:
                _frame(ws)
                ws.send_json({"type": "play"})
                got.append(_message(ws))

        t = threading.Thread(target=play, daemon=True)
        t.start()
        t.join(1.5)
        assert got == []  # no training frame while over budget under contention
        player_of(app).streams.clear()
        t.join(10)
    assert got and got[0]["type"] == "frame"


def test_deeply_nested_json_gets_an_error_and_the_stream_and_session_go_on(client, session_id):
    with client.websocket_connect(f"/api/sessions/{session_id}/stream") as ws:
        _frame(ws)
        ws.send_text("[" * 1500 + "]" * 1500)
        error = _message(ws)
        ws.send_text('{"type": "set", "changes": {"learning_rate": ' + "[" * 900 + "]" * 900 + "}}")
        nested_field = _message(ws)
        ws.send_json({"type": "step"})
        assert _frame(ws)["epoch"] == 1
    assert error["type"] == "error" and "nest" in error["detail"]
    assert nested_field["type"] == "error", nested_field
    assert client.get(f"/api/sessions/{session_id}").json()["epoch"] == 1


def test_a_5000_digit_integer_is_refused_in_the_apps_own_words(client, session_id):
    with client.websocket_connect(f"/api/sessions/{session_id}/stream") as ws:
        _frame(ws)
        ws.send_text('{"type": "set", "changes": {"batch_size": ' + "9" * 5000 + "}}")
        error = _message(ws)
        ws.send_json({"type": "step"})
        assert _frame(ws)["epoch"] == 1
    assert error["type"] == "error" and "digits" in error["detail"], error
    assert "sys." not in error["detail"] and "set_int_max_str_digits" not in error["detail"]


def _frames_for(ws, seconds: float) -> list[dict]:
    import time

    deadline, headers = time.monotonic() + seconds, []
    while time.monotonic() < deadline:
        headers.append(_frame(ws))
    return headers


def test_a_paced_stream_trains_about_its_pace_and_set_lifts_it(client, session_id):
    # Compiled first (a REST call waits for it): the second measured here is the pace, not a compile.
    assert client.post(f"/api/sessions/{session_id}/train", json={"epochs": 1}).status_code == 200
    with client.websocket_connect(f"/api/sessions/{session_id}/stream") as ws:
        _frame(ws)
        ws.send_json({"type": "play", "pace": 20})
        paced = _frames_for(ws, 1.0)
        ws.send_json({"type": "set", "pace": None})
        lifted = _frames_for(ws, 1.0)
        ws.send_json({"type": "pause"})
    gained = paced[-1]["epoch"] - paced[0]["epoch"]
    assert 1 <= gained <= 30, gained  # 20 epochs/s for one second, with a frame's slack
    assert all(b["epoch"] - a["epoch"] == 1 for a, b in zip(paced, paced[1:]))  # one epoch a frame
    assert paced[-1]["epochs_per_second"] <= 30
    # unpaced, the default network runs hundreds of epochs a second even on a busy machine
    assert lifted[-1]["epoch"] - lifted[0]["epoch"] > 3 * gained
