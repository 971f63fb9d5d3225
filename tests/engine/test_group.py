import numpy as np
import pytest

from app.engine.group import FUSED_PRODUCT_ELEMENTS, GroupTrainer, padded_size, slices
from app.engine.session import Diverged, Status, TrainingSession
from app.engine.snapshot import snapshot
from app.engine.spec import TrainingSpec

# One architecture (binary problem, 100 training points, batch 7: a remainder batch of 2 every epoch) whose
# members differ in everything a group may mix: data set, data and weight seeds, learning rate, schedule
# parameters, regularization.
BASE = dict(num_samples=200, hidden_layers=(8, 8), activation="tanh", optimizer="adam", batch_size=7,
            lr_schedule="exponential_decay")
DATASETS = ("spiral", "circle", "xor", "moons", "gauss")


def member(i: int, *, jit_compile: bool = True, **changes) -> TrainingSession:
    spec = TrainingSpec(**{**BASE, "dataset": DATASETS[i % len(DATASETS)], "seed": i + 1, "init_seed": 2 * i + 1,
                           "learning_rate": 0.002 * (1 + i % 9),
                           "lr_schedule_params": {"decay_steps": 20 + i, "decay_rate": 0.9},
                           "regularization": ("none", "l1", "l2")[i % 3], "regularization_rate": 0.001 * (i % 4),
                           **changes})
    return TrainingSession(spec, jit_compile=jit_compile)


def everything(session: TrainingSession) -> tuple:
    return (session.parameters(), [s.numpy() for s in session.slots], int(session.step), session.epoch,
            [(p.epoch, p.train_loss, p.test_loss) for p in session.history], session.state())


def assert_identical(a: tuple, b: tuple) -> None:
    for x, y in zip(a[0] + a[1], b[0] + b[1], strict=True):
        np.testing.assert_array_equal(x, y)
    assert a[2:] == b[2:]


@pytest.mark.parametrize("jit_compile", [True, False], ids=["xla", "graph"])
def test_a_session_ends_bit_identical_in_a_group_of_1_7_or_50(jit_compile):
    trainer = GroupTrainer()
    ends = []
    for size, position in [(1, 0), (7, 3), (50, 49)]:
        group = [member(i + 1, jit_compile=jit_compile) for i in range(size - 1)]
        me = member(0, jit_compile=jit_compile)
        group.insert(position, me)
        assert trainer.train(group, 3) == [None] * size
        assert trainer.train(group, 2) == [None] * size
        ends.append(everything(me))
    assert ends[0][3] == 5
    assert_identical(ends[0], ends[1])
    assert_identical(ends[0], ends[2])


# Measured after 3 calls of 10 epochs (30 epochs, 450 updates): the largest difference to the solo path was
# 2.5e-7 in a weight (1.3e-5 relative, in an Adam slot near zero) and 2.4e-7 relative in a loss; the
# tolerance leaves room for the rounding to grow with more epochs.
@pytest.mark.parametrize("changes", [
    dict(optimizer="sgd", lr_schedule="constant", lr_schedule_params={}, regularization="none"),
    dict(optimizer="adam", lr_schedule="constant", lr_schedule_params={}, regularization="none"),
    dict(optimizer="momentum", regularization="l2", regularization_rate=0.003),
], ids=["sgd", "adam", "regularized"])
def test_grouped_training_agrees_with_the_solo_path_to_float_rounding(changes):
    group = [member(i, **changes) for i in range(3)]
    solo = [member(i, **changes) for i in range(3)]
    for _ in range(3):
        assert GroupTrainer().train(group, 10) == [None] * 3
        for s in solo:
            s.train(10)
    for g, s in zip(group, solo):
        for ours, theirs in zip(g.parameters() + [x.numpy() for x in g.slots], s.parameters() +
                                [x.numpy() for x in s.slots], strict=True):
            np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=2e-6)
        assert int(g.step) == int(s.step) and g.epoch == s.epoch == 30
        for ours, theirs in zip(g.history, s.history, strict=True):
            assert ours.epoch == theirs.epoch
            np.testing.assert_allclose([ours.train_loss, ours.test_loss], [theirs.train_loss, theirs.test_loss],
                                       rtol=1e-5)
        assert g.metrics.test["confusion_matrix"] == s.metrics.test["confusion_matrix"]


def _regression(learning_rate: float, seed: int) -> TrainingSession:
    return TrainingSession(TrainingSpec(dataset="plane", num_samples=100, hidden_layers=(8, 8), activation="relu",
                                        loss="mse", learning_rate=learning_rate, seed=seed, init_seed=seed))


def test_a_diverging_member_is_rolled_back_alone():
    calm, wild, steady = _regression(0.01, 1), _regression(10, 2), _regression(0.02, 3)
    twins = [_regression(0.01, 1), _regression(0.02, 3)]
    before = everything(wild)

    outcome = GroupTrainer().train([calm, wild, steady], 50)

    assert outcome[0] is None and outcome[2] is None and isinstance(outcome[1], Diverged)
    assert wild.status is Status.DIVERGED and "Lower the learning rate" in wild.message
    after = everything(wild)
    assert_identical(before[:5] + (None,), after[:5] + (None,))
    assert GroupTrainer().train(twins, 50) == [None, None]
    assert_identical(everything(calm), everything(twins[0]))
    assert_identical(everything(steady), everything(twins[1]))
    # a diverged member is not trained again until a live change clears it
    assert isinstance(GroupTrainer().train([calm, wild], 1)[1], Diverged) and wild.epoch == 0


def test_members_join_and_leave_between_calls_and_keep_their_own_numbers():
    a, b, c = member(0), member(1), member(2)
    alone = [member(0), member(1), member(2)]
    trainer = GroupTrainer()
    trainer.train([a, b], 4)
    b.update(learning_rate=0.05)  # a live change keeps b in the group
    trainer.train([a, b, c], 3)
    trainer.train([c, b], 2)  # a left
    for twin, calls in zip(alone, [[4, 3], [4, "lr", 3, 2], [3, 2]]):
        for epochs in calls:
            if epochs == "lr":
                twin.update(learning_rate=0.05)
            else:
                trainer.train([twin], epochs)
    for grouped, twin in zip([a, b, c], alone):
        assert_identical(everything(grouped), everything(twin))


@pytest.mark.parametrize("jit_compile", [True, False], ids=["xla", "graph"])
def test_members_of_one_call_each_train_their_own_epochs_as_in_a_call_of_that_count(jit_compile):
    mixed = [member(i, jit_compile=jit_compile) for i in range(3)]
    alike = [member(i, jit_compile=jit_compile) for i in range(3)]
    trainer = GroupTrainer()
    assert trainer.train(mixed, [1, 4, 2]) == [None] * 3
    assert trainer.train(mixed, [3, 1, 2]) == [None] * 3
    for twin, calls in zip(alike, [(1, 3), (4, 1), (2, 2)]):
        for epochs in calls:
            trainer.train([twin, member(5, jit_compile=jit_compile)], epochs)
    for ours, twin in zip(mixed, alike):
        assert_identical(everything(ours), everything(twin))
    assert [s.epoch for s in mixed] == [4, 5, 4]
    with pytest.raises(ValueError, match="one epoch count per session; received 2 for 3"):
        trainer.train(mixed, [1, 2])
    with pytest.raises(ValueError, match="at least 1; received 0"):
        trainer.train(mixed, [1, 0, 2])


def test_a_set_larger_than_the_maximum_is_trained_in_even_slices():
    assert [len(s) for s in slices(10, 4)] == [3, 4, 3]
    assert [len(s) for s in slices(128, 64)] == [64, 64]
    assert [padded_size(n) for n in (1, 2, 5, 50, 64)] == [2, 2, 6, 64, 64]
    with pytest.raises(ValueError, match="1 to 64 sessions; received 65"):
        padded_size(65)

    sliced = [member(i) for i in range(3)]
    together = [member(i) for i in range(3)]
    assert GroupTrainer(max_size=2).train(sliced, 3) == [None] * 3
    assert GroupTrainer().train(together, 3) == [None] * 3
    for s, t in zip(sliced, together):
        assert_identical(everything(s), everything(t))


def test_a_group_refuses_mixed_architectures_and_repeated_sessions():
    with pytest.raises(ValueError, match="share one architecture; received 2"):
        GroupTrainer().train([member(0), member(1, hidden_layers=(8, 4))], 1)
    me = member(0)
    with pytest.raises(ValueError, match="each session once"):
        GroupTrainer().train([me, me], 1)
    with pytest.raises(ValueError, match="max_size must be between 1 and 64; received 0"):
        GroupTrainer(max_size=0)


def test_a_provisional_member_is_settled_exactly_before_training_together():
    provisional, exact = member(0), member(0)
    provisional.train(2, provisional=True)
    exact.train(2)
    GroupTrainer().train([provisional, member(1)], 3)
    GroupTrainer().train([exact, member(1)], 3)
    assert not provisional.provisional
    assert_identical(everything(provisional), everything(exact))


def test_heatmaps_of_a_group_come_from_one_call_and_match_each_sessions_own():
    group = [member(i, features=("x1", "x2") if i % 2 else ("x1_squared", "x2_squared")) for i in range(3)]
    GroupTrainer().train(group, 2)
    for grouped, session in zip(GroupTrainer().snapshots(group, 20, 6), group):
        own = snapshot(session, 20, 6)
        np.testing.assert_allclose(grouped.output, own.output, rtol=1e-5, atol=1e-6)
        for ours, theirs in zip(grouped.neurons, own.neurons, strict=True):
            np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)
        np.testing.assert_array_equal(grouped.inputs, own.inputs)


def test_wide_layers_take_the_batched_matmul_and_still_do_not_depend_on_the_group():
    wide = dict(hidden_layers=(48, 48), batch_size=10)
    assert 10 * 48 * 48 > FUSED_PRODUCT_ELEMENTS  # a batch's product in a hidden layer is too big to fuse
    ends = []
    for size, position in [(1, 0), (7, 6)]:
        group = [member(i + 1, **wide) for i in range(size - 1)]
        me = member(0, **wide)
        group.insert(position, me)
        assert GroupTrainer().train(group, 2) == [None] * size
        ends.append(everything(me))
    assert_identical(*ends)
