"""A learner's own points: read from CSV text or JSON rows, checked, and placed in the input square.

Pure Python and NumPy. Every refusal is a ``DataError`` (a ``ValueError``) that names the 1-based row and
column of the first problem, what was expected and what was received, so the page can point at the cell.

Rows are ``x1, x2, label``. A label is a class index ``0..k-1`` or a class name for classification, a number
for regression; with no problem type given it is inferred: names, or whole numbers below the class limit,
are classes; any other number is a regression target. Coordinates outside [-DOMAIN, DOMAIN]² are scaled into
it, axis by axis (the axis's minimum to -DOMAIN, its maximum to +DOMAIN); ``ranges`` keeps the original values
so the page can label its axes with them. Scaling rather than refusing: a table from class (heights in cm,
marks out of 100) trains at once, and nothing about it is lost.
"""

import csv
import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.engine.datasets import DOMAIN
from app.engine.problems import Problem
from app.engine.registry import Registry

MAX_ROWS = 100_000  # the ceiling of any server's TP_MAX_SAMPLES (Settings.max_samples)
MIN_ROWS = 2  # one training and one test point; a page may start from an empty canvas and add points
MAX_CLASSES = 10  # the page's palette has this many class colours
MAX_NAME_LENGTH = 40  # characters of a class name
SHOWN = 40  # characters of a cell repeated in a message
# Coordinates are kept to a millionth of the square (12 units wide): finer than float32 trains on, and rounding
# again changes nothing, so points read back from a session, a saved run or a download are the same points.
DECIMALS = 6
SEPARATORS = (";", "\t", ",")  # looked for in this order on the first line: ";" files use "," for decimals

# The problem types a learner chooses between (the engine's three follow from the class count).
PROBLEM_TYPES: Registry[str] = Registry("problem type")
PROBLEM_TYPES.register("classification", "classification", label="Classification", label_zh="分类")
PROBLEM_TYPES.register("regression", "regression", label="Regression", label_zh="回归")


class DataError(ValueError):
    """The first problem in a dataset, where it is (1-based; None: the whole file) and what was expected."""

    def __init__(self, message: str, *, row: int | None = None, column: int | None = None,
                 expected: str | None = None, received: str | None = None, limit: str | None = None) -> None:
        where = f" (row {row}, column {column})" if row and column else f" (row {row})" if row else ""
        super().__init__(message + where)
        self.message, self.row, self.column = message, row, column
        self.expected, self.received, self.limit = expected, received, limit

    def detail(self) -> dict[str, Any]:
        out = {"message": str(self), "row": self.row, "column": self.column}
        out.update({k: v for k, v in (("expected", self.expected), ("received", self.received),
                                      ("limit", self.limit)) if v is not None})
        return out


@dataclass(frozen=True)
class CustomData:
    """Checked points in the input square, labels as class indices (int64) or values (float32)."""

    points: np.ndarray  # [n, 2] float64, to DECIMALS places (float32 when trained)
    labels: np.ndarray  # [n]
    kind: str  # "classification" or "regression"
    class_names: tuple[str, ...] | None  # classification: the name of each class index
    ranges: dict[str, tuple[float, float]]  # the original x1, x2 and label ranges
    scaled: bool

    @property
    def problem(self) -> Problem:
        if self.kind == "regression":
            return Problem.REGRESSION
        return Problem.BINARY if self.num_classes == 2 else Problem.MULTICLASS

    @property
    def num_classes(self) -> int | None:
        return len(self.class_names) if self.class_names is not None else None

    @property
    def rows(self) -> tuple[tuple[float, float, float], ...]:
        """The points as a session spec carries them (hashable, picklable, JSON-ready)."""
        return tuple(zip(self.points[:, 0].tolist(), self.points[:, 1].tolist(), self.labels.astype(float).tolist()))

    def __len__(self) -> int:
        return len(self.labels)

    def __repr__(self) -> str:
        return f"CustomData({len(self)} rows, {self.kind}, classes={self.class_names}, scaled={self.scaled})"


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= SHOWN else text[:SHOWN] + "…"


def _number(cell: Any, row: int, column: int, what: str, *, decimal_comma: bool = False) -> float:
    """A finite number from a JSON value or a CSV cell."""
    if isinstance(cell, bool):
        raise DataError(f"{what} must be a number", row=row, column=column, expected="a number",
                        received=_shown(cell))
    if isinstance(cell, int | float):
        value = float(cell)
    else:
        text = str(cell).strip()
        try:
            value = float(text.replace(",", ".") if decimal_comma else text)
        except ValueError:
            raise DataError(f"{what} must be a number; received {_shown(text) or 'an empty cell'}", row=row,
                            column=column, expected="a number", received=_shown(text)) from None
    if not math.isfinite(value):
        raise DataError(f"{what} must be a finite number; received {_shown(cell)}", row=row, column=column,
                        expected="a finite number", received=_shown(cell))
    return value


def _is_number(text: str, decimal_comma: bool) -> bool:
    try:
        float(text.strip().replace(",", ".") if decimal_comma else text.strip())
        return True
    except ValueError:
        return False


def from_rows(rows: Any, *, problem: str | None = None, class_names: Any = None, max_rows: int | None = None,
              max_classes: int = MAX_CLASSES, first_row: int = 1, decimal_comma: bool = False) -> CustomData:
    """Points from ``[[x1, x2, label], ...]`` (JSON values, or CSV cells as strings). ``first_row`` is the
    line the first of them stands on (after a header: 2), so messages name the file's own rows."""
    if problem is not None and problem not in PROBLEM_TYPES:
        raise DataError(f"problem must be one of: {', '.join(PROBLEM_TYPES.names())}; received {_shown(problem)}",
                        expected=" or ".join(PROBLEM_TYPES.names()), received=_shown(problem))
    if not isinstance(rows, list | tuple):
        raise DataError("points must be a list of [x1, x2, label] rows", expected="a list",
                        received=type(rows).__name__)
    if max_rows is not None and len(rows) > max_rows:
        raise DataError(f"at most {max_rows} points (server limit TP_MAX_SAMPLES); received {len(rows)}",
                        row=first_row + max_rows, limit="TP_MAX_SAMPLES", expected=f"at most {max_rows} rows",
                        received=f"{len(rows)} rows")
    if len(rows) < MIN_ROWS:
        raise DataError(f"at least {MIN_ROWS} points are needed (one to train, one to test); received {len(rows)}",
                        expected=f"at least {MIN_ROWS} rows", received=f"{len(rows)} rows")
    fast = _fast(rows, problem, class_names, max_classes)
    if fast is not None:
        return fast
    xs = np.empty((len(rows), 2), np.float64)
    raw_labels: list[Any] = []
    for i, item in enumerate(rows):
        row = first_row + i
        if not isinstance(item, list | tuple) or len(item) != 3:
            count = len(item) if isinstance(item, list | tuple) else None
            raise DataError(f"each row needs 3 values (x1, x2, label); received "
                            f"{count if count is not None else _shown(item)}", row=row,
                            column=min(count + 1, 4) if count is not None else 1,
                            expected="3 values: x1, x2, label", received=f"{count} values" if count is not None
                            else type(item).__name__)
        xs[i, 0] = _number(item[0], row, 1, "x1", decimal_comma=decimal_comma)
        xs[i, 1] = _number(item[1], row, 2, "x2", decimal_comma=decimal_comma)
        raw_labels.append(item[2])
    labels, kind, names = _labels(raw_labels, problem, class_names, max_classes, first_row, decimal_comma)
    ranges = {"x1": (float(xs[:, 0].min()), float(xs[:, 0].max())),
              "x2": (float(xs[:, 1].min()), float(xs[:, 1].max())),
              "label": (float(labels.min()), float(labels.max()))}
    points, scaled = _into_domain(xs)
    return CustomData(np.round(points, DECIMALS), labels, kind, names, ranges, scaled)


def _fast(rows: Any, problem: str | None, class_names: Any, max_classes: int) -> CustomData | None:
    """All-numeric rows that need no message (a session's own points, read again at every change) in one
    NumPy pass; None sends them through the row-by-row reader, which finds and names any problem."""
    try:
        if any(isinstance(cell, bool) for row in rows for cell in row):
            return None
        table = np.asarray(rows, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    if table.ndim != 2 or table.shape[1] != 3 or not np.isfinite(table).all():
        return None
    xs, values = table[:, :2], table[:, 2]
    whole = bool(np.all(values == np.floor(values)) and values.min() >= 0)
    names = _names(class_names, max_classes)
    limit = len(names) if names is not None else max_classes
    if problem == "regression" or (problem is None and names is None and not (whole and values.max() < limit)):
        if names is not None:
            return None
        labels, kind, names = values.copy(), "regression", None
    elif whole and values.max() < limit and len(np.unique(values)) >= 2:
        labels, kind = values.astype(np.int64), "classification"
        names = names or tuple(str(k) for k in range(int(values.max()) + 1))
    else:
        return None
    ranges = {"x1": (float(xs[:, 0].min()), float(xs[:, 0].max())),
              "x2": (float(xs[:, 1].min()), float(xs[:, 1].max())),
              "label": (float(labels.min()), float(labels.max()))}
    points, scaled = _into_domain(xs)
    return CustomData(np.round(points, DECIMALS), labels, kind, names, ranges, scaled)


def _labels(raw: list[Any], problem: str | None, class_names: Any, max_classes: int, first_row: int,
            decimal_comma: bool) -> tuple[np.ndarray, str, tuple[str, ...] | None]:
    """Class indices and names, or regression values, and which of the two."""
    names_given = _names(class_names, max_classes)
    texts = [isinstance(v, str) and not _is_number(v, decimal_comma) for v in raw]
    if problem == "regression" or (problem is None and not any(texts) and names_given is None
                                   and not _whole_classes(raw, max_classes, decimal_comma)):
        values = np.array([_number(v, first_row + i, 3, "a regression label", decimal_comma=decimal_comma)
                           for i, v in enumerate(raw)], np.float64)
        return values, "regression", None
    if any(texts) or (names_given is not None and all(isinstance(v, str) for v in raw)
                      and any(v in names_given for v in raw)):
        order = list(names_given or ())
        indices = []
        for i, v in enumerate(raw):
            name = str(v).strip() if not isinstance(v, float) else f"{v:g}"
            if not name:
                raise DataError("a class label is empty", row=first_row + i, column=3, expected="a class name",
                                received="an empty cell")
            if len(name) > MAX_NAME_LENGTH or not _printable(name):
                raise DataError(f"class names are at most {MAX_NAME_LENGTH} printable characters", row=first_row + i,
                                column=3, expected=f"at most {MAX_NAME_LENGTH} printable characters",
                                received=_shown(name))
            if name not in order:
                if names_given is not None:
                    raise DataError(f"unknown class {_shown(name)}; the classes are {', '.join(order)}",
                                    row=first_row + i, column=3, expected=", ".join(order), received=_shown(name))
                order.append(name)
                if len(order) > max_classes:
                    raise DataError(f"at most {max_classes} classes; this is class {len(order)}", row=first_row + i,
                                    column=3, expected=f"at most {max_classes} classes", received=_shown(name))
            indices.append(order.index(name))
        labels = np.array(indices, np.int64)
        names = tuple(order)
    else:
        indices = []
        for i, v in enumerate(raw):
            value = _number(v, first_row + i, 3, "a class label", decimal_comma=decimal_comma)
            if value != int(value) or value < 0:
                raise DataError(f"class labels are whole numbers from 0, or names; received {_shown(v)}",
                                row=first_row + i, column=3, expected="0, 1, 2, … or a class name",
                                received=_shown(v))
            if value >= max_classes and names_given is None:
                raise DataError(f"at most {max_classes} classes (labels 0 to {max_classes - 1}); received "
                                f"{_shown(v)}", row=first_row + i, column=3,
                                expected=f"0 to {max_classes - 1}", received=_shown(v))
            indices.append(int(value))
        labels = np.array(indices, np.int64)
        count = max(len(names_given or ()), int(labels.max()) + 1)
        if names_given is not None and int(labels.max()) >= len(names_given):
            row = first_row + int(np.argmax(labels >= len(names_given)))
            raise DataError(f"class {int(labels.max())} has no name in class_names", row=row, column=3,
                            expected=f"0 to {len(names_given) - 1}", received=str(int(labels.max())))
        names = names_given or tuple(str(k) for k in range(count))
    if len(set(labels.tolist())) < 2:
        raise DataError(f"classification needs points of at least 2 classes; every point is class "
                        f"{_shown(names[int(labels[0])])}", column=3, expected="at least 2 classes",
                        received="1 class")
    return labels, "classification", names


def _names(class_names: Any, max_classes: int) -> tuple[str, ...] | None:
    if class_names is None:
        return None
    if not isinstance(class_names, list | tuple) or not all(isinstance(n, str) and n.strip() for n in class_names):
        raise DataError("class_names must be a list of non-empty names", expected="a list of names",
                        received=_shown(class_names))
    names = tuple(n.strip() for n in class_names)
    if len(set(names)) != len(names):
        raise DataError("class_names must not repeat a name", expected="distinct names", received=_shown(list(names)))
    if not 2 <= len(names) <= max_classes:
        raise DataError(f"class_names takes 2 to {max_classes} names; received {len(names)}",
                        expected=f"2 to {max_classes} names", received=str(len(names)))
    if any(len(n) > MAX_NAME_LENGTH or not _printable(n) for n in names):
        raise DataError(f"class names are at most {MAX_NAME_LENGTH} printable characters",
                        expected=f"at most {MAX_NAME_LENGTH} printable characters", received=_shown(list(names)))
    return names


def _printable(name: str) -> bool:
    """No control characters or line and paragraph separators: a name is one line of a CSV, a script comment."""
    return not any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in name)


def _whole_classes(raw: list[Any], max_classes: int, decimal_comma: bool) -> bool:
    """Every label a whole number in 0..max_classes-1: read as class indices when no problem type is given."""
    for v in raw:
        try:
            value = float(str(v).replace(",", ".") if decimal_comma and isinstance(v, str) else v)
        except (TypeError, ValueError):
            return False
        if isinstance(v, bool) or not math.isfinite(value) or value != int(value) or not 0 <= value < max_classes:
            return False
    return True


def _into_domain(xs: np.ndarray) -> tuple[np.ndarray, bool]:
    """Each axis that leaves [-DOMAIN, DOMAIN] mapped linearly onto it (a constant axis to 0)."""
    out = xs.copy()
    scaled = False
    for axis in range(2):
        low, high = xs[:, axis].min(), xs[:, axis].max()
        if low < -DOMAIN or high > DOMAIN:
            scaled = True
            span = high - low
            out[:, axis] = 0.0 if span == 0 else (xs[:, axis] - low) / span * 2 * DOMAIN - DOMAIN
    return np.clip(out, -DOMAIN, DOMAIN), scaled


# -- CSV --------------------------------------------------------------------------------------------------


def _text(data: bytes) -> str:
    """UTF-8 text (a BOM skipped); a binary or non-UTF-8 file is refused at the line it goes wrong."""
    nul = data.find(b"\x00")
    if nul >= 0:
        raise DataError("this is a binary file, not CSV text", row=data.count(b"\n", 0, nul) + 1,
                        expected="CSV text (UTF-8)", received="a NUL byte")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        row = data.count(b"\n", 0, e.start) + 1
        line_start = data.rfind(b"\n", 0, e.start) + 1
        raise DataError("the file is not UTF-8 text (save it as CSV UTF-8)", row=row,
                        column=data[line_start:e.start].count(b",") + data[line_start:e.start].count(b";") + 1,
                        expected="UTF-8 text", received=f"byte 0x{data[e.start]:02x}") from None


def parse_csv(data: bytes, *, problem: str | None = None, max_rows: int | None = None,
              max_classes: int = MAX_CLASSES) -> CustomData:
    """Points from a CSV file: ``x1,x2,label`` rows with or without a header, ``,``, ``;`` or tab separated
    (``;`` files may write decimals with a comma), LF, CRLF or CR line ends, blank lines skipped."""
    text = _text(data)
    lines = re.split(r"\r\n|\r|\n", text)
    numbered = [(i + 1, line) for i, line in enumerate(lines) if line.strip()]
    if not numbered:
        raise DataError("the file is empty: expected x1,x2,label rows", expected="x1,x2,label rows",
                        received="no rows")
    first = numbered[0][1]
    separator = next((s for s in SEPARATORS if s in first), ",")
    decimal_comma = separator != ","
    cells = [(n, cell) for n, cell in zip((n for n, _ in numbered),
                                         csv.reader((line for _, line in numbered), delimiter=separator))]
    first_cells = cells[0][1]
    if len(first_cells) >= 2 and not (_is_number(first_cells[0], decimal_comma)
                                      and _is_number(first_cells[1], decimal_comma)):
        cells = cells[1:]  # a header: names, not coordinates
        if not cells:
            raise DataError("the file has a header but no rows", expected="x1,x2,label rows", received="no rows")
    if max_rows is not None and len(cells) > max_rows:
        row = cells[max_rows][0]
        raise DataError(f"at most {max_rows} points (server limit TP_MAX_SAMPLES); received {len(cells)}",
                        row=row, limit="TP_MAX_SAMPLES", expected=f"at most {max_rows} rows",
                        received=f"{len(cells)} rows")
    for n, row_cells in cells:
        if len(row_cells) != 3:
            raise DataError(f"each row needs 3 cells (x1, x2, label); received {len(row_cells)}", row=n,
                            column=min(len(row_cells) + 1, 4), expected=f"3 cells separated by '{separator}'",
                            received=f"{len(row_cells)} cells")
    try:
        return from_rows([c for _, c in cells], problem=problem, max_rows=max_rows, max_classes=max_classes,
                         first_row=1, decimal_comma=decimal_comma)
    except DataError as e:
        if e.row is None:
            raise
        # ``from_rows`` counted the data rows; name the file's own line instead.
        raise DataError(e.message, row=cells[e.row - 1][0], column=e.column, expected=e.expected,
                        received=e.received, limit=e.limit) from None


def to_csv(data: CustomData) -> str:
    """``x1,x2,label`` with a header: the points as trained, classes by name."""
    lines = ["x1,x2,label"]
    names = data.class_names
    for (x1, x2), label in zip(data.points.tolist(), data.labels.tolist()):
        shown = _csv_cell(names[int(label)]) if names is not None else _shortest(label)
        lines.append(f"{_shortest(x1)},{_shortest(x2)},{shown}")
    return "\r\n".join(lines) + "\r\n"


def _shortest(value: float) -> str:
    """The shortest decimal that reads back as the same number: the download is the session's points."""
    return repr(float(value)).removesuffix(".0")


def _csv_cell(text: str) -> str:
    # A name that starts like a formula gets a leading apostrophe so spreadsheets show it as text.
    if text[:1] in ("=", "+", "-", "@") and not _is_number(text, False):
        text = "'" + text
    if any(c in text for c in ',"\r\n;'):
        return '"' + text.replace('"', '""') + '"'
    return text


def from_spec(rows: Any, kind: str | None, class_names: Any) -> CustomData:
    """The points a session spec carries (already scaled; labels as indices or values), checked again: a spec
    may also come from Python or a saved run. Scaling is idempotent, so this keeps canonical points as they are."""
    return from_rows(list(rows) if rows is not None else [], problem=kind or None,
                     class_names=list(class_names) if class_names is not None else None)
