"""Creation rate per client and training time per session, driven by a hand-moved clock."""

import pytest

from app.sessions.limits import ComputeBudget, CreationRateLimiter, LimitExceeded


def test_a_client_may_create_its_burst_then_one_per_interval():
    limiter = CreationRateLimiter(3, max_clients=10)
    for _ in range(3):
        limiter.acquire("a", now=0.0)
    with pytest.raises(LimitExceeded, match="at most 3 per minute") as e:
        limiter.acquire("a", now=1.0)
    assert e.value.retry_after == 19  # one token every 20 s, 1 s of which has passed
    limiter.acquire("a", now=20.0)
    with pytest.raises(LimitExceeded):
        limiter.acquire("a", now=21.0)


def test_clients_are_limited_separately():
    limiter = CreationRateLimiter(1, max_clients=10)
    limiter.acquire("a", now=0.0)
    limiter.acquire("b", now=0.0)
    with pytest.raises(LimitExceeded):
        limiter.acquire("a", now=0.0)


def test_refused_attempts_do_not_push_the_next_allowed_one_further():
    limiter = CreationRateLimiter(1, max_clients=10)
    limiter.acquire("a", now=0.0)
    for t in range(1, 60):
        with pytest.raises(LimitExceeded):
            limiter.acquire("a", now=float(t))
    limiter.acquire("a", now=60.0)


def test_the_memory_of_clients_is_bounded():
    limiter = CreationRateLimiter(5, max_clients=100)
    for i in range(1000):
        limiter.acquire(f"10.0.{i // 256}.{i % 256}", now=i / 1000)
    assert len(limiter) == 100


def test_clients_whose_bucket_refilled_are_forgotten():
    limiter = CreationRateLimiter(2, max_clients=100)
    for i in range(50):
        limiter.acquire(f"c{i}", now=0.0)
    limiter.acquire("late", now=61.0)
    assert len(limiter) == 1


def test_the_budget_allows_training_until_the_minute_is_used():
    budget = ComputeBudget(10.0)
    budget.charge(4.0, now=0.0)
    budget.charge(5.0, now=30.0)
    assert budget.left(now=30.0) == pytest.approx(1.0)
    budget.check(now=30.0)
    budget.charge(3.0, now=31.0)  # the call that crosses the line is charged in full
    with pytest.raises(LimitExceeded, match="training budget of 10 s per 60 s") as e:
        budget.check(now=32.0)
    assert e.value.retry_after == 29  # the charge of t=0 leaves the window at 61 s
    assert budget.retry_after(now=32.0) == pytest.approx(29.0)
    budget.check(now=61.0)
    assert budget.used(now=61.0) == pytest.approx(8.0)
    assert budget.used(now=200.0) == 0


def test_the_budget_keeps_at_most_a_slot_per_second_however_often_it_is_charged():
    budget = ComputeBudget(1000.0)
    for i in range(10_000):
        budget.charge(0.001, now=i * 0.03)  # a stream charging at ~33 calls a second for 300 s
    assert len(budget._slots) <= 62
    assert budget.used(now=300.0) == pytest.approx(61 * 33.3 * 0.001, rel=0.05)


@pytest.mark.parametrize("make", [lambda: CreationRateLimiter(0, max_clients=1),
                                  lambda: ComputeBudget(0.0), lambda: ComputeBudget(1.0).charge(-1.0, now=0.0)])
def test_nonsense_limits_are_refused(make):
    with pytest.raises(ValueError):
        make()
