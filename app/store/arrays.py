"""A run's arrays as one compressed blob: NumPy's ``.npz`` format, read back without pickle."""

import io

import numpy as np


def pack(arrays: dict[str, np.ndarray]) -> bytes:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue()


def unpack(data: bytes) -> dict[str, np.ndarray]:
    # allow_pickle=False: a blob is data, never code, whoever wrote it.
    with np.load(io.BytesIO(data), allow_pickle=False) as archive:
        return {name: archive[name] for name in archive.files}
