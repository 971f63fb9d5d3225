import numpy as np
import pytest

from app.engine.features import FEATURES, check, transform


def test_each_feature_is_its_formula():
    points = np.array([[1.0, 2.0], [-0.5, 3.0]], np.float32)
    out = transform(points, FEATURES.names())
    x1, x2 = points[:, 0], points[:, 1]
    expected = np.stack([x1, x2, x1 ** 2, x2 ** 2, x1 * x2, np.sin(x1), np.sin(x2)], axis=1)
    np.testing.assert_allclose(out, expected, rtol=1e-6)


def test_features_keep_the_chosen_order():
    points = np.array([[1.0, 2.0]], np.float32)
    np.testing.assert_allclose(transform(points, ["x2", "x1"]), [[2.0, 1.0]])


@pytest.mark.parametrize("names, message", [([], "at least one"), (["x3"], "Unknown feature 'x3'"),
                                            (["x1", "x1"], "once")])
def test_bad_feature_choices_are_refused(names, message):
    with pytest.raises(ValueError, match=message):
        check(names)
