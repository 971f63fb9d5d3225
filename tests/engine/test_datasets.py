import numpy as np
import pytest

from app.engine.datasets import DATASETS, DOMAIN, generate, split_points
from app.engine.problems import Problem

GENERATED = [n for n in DATASETS.names() if not DATASETS.get(n).custom]


@pytest.mark.parametrize("name", GENERATED)
def test_same_seed_gives_the_same_points(name):
    a = generate(name, num_samples=200, noise=20, seed=7, train_ratio=0.5)
    b = generate(name, num_samples=200, noise=20, seed=7, train_ratio=0.5)
    np.testing.assert_array_equal(a.train_points, b.train_points)
    np.testing.assert_array_equal(a.test_labels, b.test_labels)


@pytest.mark.parametrize("name", GENERATED)
def test_another_seed_gives_other_points(name):
    a = generate(name, num_samples=200, noise=20, seed=7, train_ratio=0.5)
    b = generate(name, num_samples=200, noise=20, seed=8, train_ratio=0.5)
    assert not np.array_equal(a.train_points, b.train_points)


@pytest.mark.parametrize("name", GENERATED)
@pytest.mark.parametrize("noise", [0, 50])
def test_points_lie_in_the_input_square_and_split_by_ratio(name, noise):
    split = generate(name, num_samples=300, noise=noise, seed=1, train_ratio=0.7)
    assert len(split.train_points) == 210 and len(split.test_points) == 90
    for pts in (split.train_points, split.test_points):
        assert pts.shape[1] == 2 and np.abs(pts).max() <= DOMAIN


@pytest.mark.parametrize("name", [n for n in GENERATED if DATASETS.get(n).problem is not Problem.REGRESSION])
def test_classification_labels_cover_every_class(name):
    split = generate(name, num_samples=400, noise=0, seed=3, train_ratio=0.5)
    labels = np.concatenate([split.train_labels, split.test_labels])
    assert set(np.unique(labels)) == set(range(split.num_classes))


@pytest.mark.parametrize("classes", [3, 4, 5])
def test_spiral_k_has_as_many_arms_as_asked(classes):
    split = generate("spiral_k", num_samples=300, noise=0, seed=1, train_ratio=0.5, num_classes=classes)
    assert split.num_classes == classes and split.problem is Problem.MULTICLASS


def test_circle_without_noise_puts_class_one_inside():
    split = generate("circle", num_samples=400, noise=0, seed=1, train_ratio=0.5)
    radius = np.linalg.norm(split.train_points, axis=1)
    assert (radius[split.train_labels == 1] < 2.5).all()
    assert (radius[split.train_labels == 0] > 3.5).all()


def test_xor_without_noise_labels_by_quadrant():
    split = generate("xor", num_samples=400, noise=0, seed=1, train_ratio=0.5)
    same_sign = split.train_points[:, 0] * split.train_points[:, 1] > 0
    np.testing.assert_array_equal(same_sign.astype(int), split.train_labels)


def test_plane_targets_are_the_scaled_sum_of_coordinates():
    split = generate("plane", num_samples=200, noise=0, seed=1, train_ratio=0.5)
    np.testing.assert_allclose(split.train_labels, split.train_points.sum(axis=1) / 10, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("kwargs, message", [
    ({"noise": 51}, "noise must be between 0 and 50"),
    ({"train_ratio": 0.95}, "train_ratio must be between 0.1 and 0.9"),
    ({"num_samples": 5}, "num_samples must be at least 10"),
])
def test_out_of_range_options_are_refused(kwargs, message):
    args = {"num_samples": 100, "noise": 0, "seed": 1, "train_ratio": 0.5, **kwargs}
    with pytest.raises(ValueError, match=message):
        generate("circle", **args)


def test_fixed_class_datasets_refuse_a_class_count():
    with pytest.raises(ValueError, match="fixed number of classes"):
        generate("circle", num_samples=100, noise=0, seed=1, train_ratio=0.5, num_classes=4)
    with pytest.raises(ValueError, match="from 3 to 6"):
        generate("blobs", num_samples=100, noise=0, seed=1, train_ratio=0.5, num_classes=9)


def test_custom_data_is_not_generated():
    with pytest.raises(ValueError, match="points come with the configuration"):
        generate("custom", num_samples=100, noise=0, seed=1, train_ratio=0.5)


def test_given_points_split_by_ratio_and_seed_like_generated_ones():
    points = np.arange(40, dtype=np.float64).reshape(20, 2) / 10
    labels = np.arange(20) % 2
    a = split_points(points, labels, problem=Problem.BINARY, num_classes=2, seed=4, train_ratio=0.7)
    b = split_points(points, labels, problem=Problem.BINARY, num_classes=2, seed=4, train_ratio=0.7)
    assert len(a.train_points) == 14 and len(a.test_points) == 6
    np.testing.assert_array_equal(a.train_points, b.train_points)
    # every point once, its label beside it
    together = np.concatenate([a.train_points, a.test_points])
    order = np.lexsort(together.T[::-1])
    np.testing.assert_allclose(together[order], points.astype(np.float32))
    np.testing.assert_array_equal(np.concatenate([a.train_labels, a.test_labels])[order], labels)
