"""The CSV and JSON reader of a learner's own data: every variant of the issue's list, read or refused at the
row and column of its first problem."""

import io

import numpy as np
import pytest

from app.engine.custom_data import MAX_CLASSES, MIN_ROWS, DataError, from_rows, parse_csv, to_csv
from app.engine.datasets import DOMAIN
from app.engine.problems import Problem

ROWS = [(-2.5, 1.0, 0), (3.0, -1.25, 1), (0.5, 4.0, 1), (-4.0, -3.5, 0), (1.0, 1.0, 1)]
PLAIN = "".join(f"{x1},{x2},{label}\n" for x1, x2, label in ROWS)


def reference(text: str) -> np.ndarray:
    """NumPy's own reader of a plain comma-separated file: what the variants below must all come to."""
    return np.loadtxt(io.StringIO(text), delimiter=",", ndmin=2)


# Each variant of the same five rows the issue names: all read as the plain file is.
VARIANTS = {
    "plain": PLAIN,
    "header": "x1,x2,label\n" + PLAIN,
    "bom": "\ufeffx1,x2,label\n" + PLAIN,
    "crlf": PLAIN.replace("\n", "\r\n"),
    "cr only": PLAIN.replace("\n", "\r"),
    "semicolons, decimal commas": "x1;x2;label\n" + PLAIN.replace(",", ";").replace(".", ","),
    "tabs": PLAIN.replace(",", "\t"),
    "blank lines and spaces": "\n" + PLAIN.replace(",", ", ").replace("\n", "\n\n"),
    "no final newline": PLAIN.rstrip("\n"),
}


@pytest.mark.parametrize("text", VARIANTS.values(), ids=VARIANTS.keys())
def test_every_variant_of_a_file_reads_as_numpy_reads_the_plain_one(text):
    data = parse_csv(text.encode())
    expected = reference(PLAIN)
    np.testing.assert_array_equal(data.points, expected[:, :2])
    np.testing.assert_array_equal(data.labels, expected[:, 2].astype(int))
    assert data.problem is Problem.BINARY and data.class_names == ("0", "1") and not data.scaled


def test_class_names_are_numbered_in_order_of_appearance():
    data = parse_csv(b"x1,x2,label\n0,0,dog\n1,1,cat\n2,2,dog\n3,3,bird\n")
    assert data.class_names == ("dog", "cat", "bird") and data.labels.tolist() == [0, 1, 0, 2]
    assert data.problem is Problem.MULTICLASS and data.num_classes == 3


def test_quoted_names_may_hold_the_separator():
    data = parse_csv(b'0,0,"big, red"\n1,1,small\n')
    assert data.class_names == ("big, red", "small")


def test_fractional_labels_are_a_regression_and_kept_as_they_are():
    data = parse_csv(b"0,0,0.25\n1,1,-3.5\n2,2,7\n")
    assert data.kind == "regression" and data.problem is Problem.REGRESSION
    np.testing.assert_array_equal(data.labels, [0.25, -3.5, 7.0])


def test_the_problem_type_may_be_forced():
    data = parse_csv(b"0,0,0\n1,1,1\n2,2,2\n", problem="regression")
    assert data.kind == "regression" and data.class_names is None


def test_coordinates_outside_the_square_are_scaled_axis_by_axis_and_their_ranges_kept():
    data = from_rows([[-20, 1, 0], [30, 2, 1], [5, -1, 1]])
    assert data.scaled and data.ranges["x1"] == (-20, 30) and data.ranges["x2"] == (-1, 2)
    # x1 leaves the square: min → -6, max → +6, linearly; x2 stays as it was
    np.testing.assert_allclose(data.points[:, 0], np.interp([-20, 30, 5], [-20, 30], [-DOMAIN, DOMAIN]))
    np.testing.assert_array_equal(data.points[:, 1], [1, 2, -1])


def test_scaled_points_read_again_are_the_same_points():
    once = from_rows([[-20.123, 1, 0], [30, 2, 1], [5.5, -17, 1]])
    again = from_rows([list(row) for row in once.rows], problem=once.kind, class_names=list(once.class_names))
    assert again.rows == once.rows and not again.scaled


def test_the_download_reads_back_as_the_same_points():
    data = parse_csv(b"x1,x2,label\n-20,1.5,cat\n2.5,-1,dog\n1,3,dog\n-3,-2,=cmd\n")
    back = parse_csv(to_csv(data).encode())
    np.testing.assert_array_equal(back.points, data.points)
    assert back.class_names[:2] == data.class_names[:2] and back.labels.tolist() == data.labels.tolist()
    assert "'=cmd" in to_csv(data)  # a spreadsheet shows it as text, never runs it


def many_rows(n: int) -> bytes:
    return "".join(f"{i % 5},{i % 3},{i % 2}\n" for i in range(n)).encode()


# The "bad input" list: each file, and where its first problem is (row, column; None: the whole file).
BAD = {
    "non-numeric x1": (b"x1,x2,label\n1,2,0\nabc,2,1\n", 3, 1),
    "non-numeric x2": (b"1,2,0\n1,?,1\n", 2, 2),
    "empty coordinate": (b"1,2,0\n1,,1\n", 2, 2),
    "NaN": (b"1,2,0\nnan,1,1\n", 2, 1),
    "infinity": (b"1,2,0\n1,inf,1\n", 2, 2),
    "NaN label in a regression": (b"1,2,0.5\n1,1,nan\n", 2, 3),
    "ragged, short": (b"x1,x2,label\n1,2,0\n3,4\n5,6,1\n", 3, 3),
    "ragged, long": (b"1,2,0\n3,4,1,9\n", 2, 4),
    "ragged after CRLF": (b"1,2,0\r\n3,4,1\r\n5\r\n", 3, 2),
    "empty file": (b"", None, None),
    "only blank lines": (b"\r\n\r\n  \n", None, None),
    "header only": (b"x1,x2,label\n", None, None),
    "binary file": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 3, None),
    "not UTF-8": (b"1,2,0\n1,2,caf\xe9\n", 2, 3),
    "one class": (b"1,2,a\n3,4,a\n5,6,a\n", None, 3),
    "too many classes": ("".join(f"{i},{i},c{i}\n" for i in range(MAX_CLASSES + 1)).encode(), MAX_CLASSES + 1, 3),
    "one row": (b"1,2,0\n", None, None),
}


@pytest.mark.parametrize("data, row, column", BAD.values(), ids=BAD.keys())
def test_bad_files_are_refused_at_the_row_and_column_of_their_first_problem(data, row, column):
    with pytest.raises(DataError) as caught:
        parse_csv(data)
    error = caught.value
    assert (error.row, error.column) == (row, column), error.detail()
    assert error.detail()["message"] and isinstance(error, ValueError)


def test_fractional_labels_above_the_class_limit_are_a_regression_not_an_error():
    # whole numbers beyond the class limit cannot be classes: with no problem type given they are targets
    assert parse_csv(f"1,2,0\n3,4,{MAX_CLASSES}\n".encode()).kind == "regression"


def test_whole_number_class_above_the_limit_is_refused_when_classification_is_asked():
    with pytest.raises(DataError) as caught:
        parse_csv(f"1,2,0\n3,4,{MAX_CLASSES}\n".encode(), problem="classification")
    assert (caught.value.row, caught.value.column) == (2, 3)


def test_too_many_rows_names_the_setting_and_the_first_row_beyond():
    with pytest.raises(DataError) as caught:
        parse_csv(b"x1,x2,label\n" + many_rows(31), max_rows=30)
    error = caught.value
    assert error.limit == "TP_MAX_SAMPLES" and "TP_MAX_SAMPLES" in str(error) and error.row == 32
    assert len(parse_csv(many_rows(30), max_rows=30)) == 30


@pytest.mark.parametrize("label", [0.5, -1], ids=["fraction", "negative"])
def test_classification_refuses_labels_that_are_no_class(label):
    with pytest.raises(DataError) as caught:
        from_rows([[0, 0, 0], [1, 1, label], [2, 2, 1]], problem="classification")
    assert (caught.value.row, caught.value.column) == (2, 3)


def test_regression_refuses_a_name_as_its_label():
    with pytest.raises(DataError) as caught:
        parse_csv(b"0,0,0.5\n1,1,big\n", problem="regression")
    assert (caught.value.row, caught.value.column) == (2, 3)


@pytest.mark.parametrize("rows, row, column", [
    ([[0, 0, 0], "no row", [1, 1, 1]], 2, 1),
    ([[0, 0, 0], [1, 1]], 2, 3),
    ([[0, 0, 0], [True, 1, 1]], 2, 1),
    ([[0, 0, 0], [1, float("nan"), 1]], 2, 2),
], ids=["not a list", "short", "boolean", "NaN"])
def test_json_rows_are_checked_like_csv_rows(rows, row, column):
    with pytest.raises(DataError) as caught:
        from_rows(rows)
    assert (caught.value.row, caught.value.column) == (row, column)


def test_json_labels_may_be_indices_with_names_given():
    data = from_rows([[0, 0, 1], [1, 1, 0], [2, 2, 1]], class_names=["no", "yes"])
    assert data.class_names == ("no", "yes") and data.labels.tolist() == [1, 0, 1]
    with pytest.raises(DataError, match="unknown class"):
        from_rows([[0, 0, "no"], [1, 1, "maybe"]], class_names=["no", "yes"])


def test_fewer_rows_than_the_minimum_are_refused():
    with pytest.raises(DataError, match=f"at least {MIN_ROWS}"):
        from_rows([[0, 0, 0]][:MIN_ROWS - 1])


@pytest.mark.parametrize("name", ["two\nlines", "tab\there", "bidi\u202eoverride", "line\u2028separator"])
def test_class_names_are_one_printable_line(name):
    with pytest.raises(DataError) as caught:
        from_rows([[0, 0, "ok"], [1, 1, name]])
    assert (caught.value.row, caught.value.column) == (2, 3)
