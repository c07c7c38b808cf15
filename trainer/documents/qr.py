"""QR codes drawn on a ReportLab canvas as one path of merged rectangles.

ReportLab's QrCodeWidget encodes twice and draws one shape per module. Here the `qrcode` package
builds the matrix (error correction M) and the canvas gets a single filled path. qrcode scores its
eight masks in pure Python, module by module; the same score is computed here with numpy, which
picks the same mask in a fraction of the time.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.pdfgen.canvas import Canvas

QUIET_ZONE = 4  # modules of light margin the standard asks for around the symbol
# Penalty 3: a finder-like 1:1:3:1:1 pattern with four light modules on one side, read as 11-bit numbers.
_FINDER_LIKE = (0b10111010000, 0b00001011101)


class _RecordingQRCode(qrcode.QRCode):
    """qrcode's encoder, noting which modules carry data (every other module is a fixed pattern)."""

    data_cells: np.ndarray | None = None

    def map_data(self, data: bytes, mask_pattern: int) -> None:
        """Record the still-empty modules, then place the data as qrcode does."""
        self.data_cells = np.array([[cell is None for cell in row] for row in self.modules], dtype=bool)
        super().map_data(data, mask_pattern)


@lru_cache(maxsize=64)
def _masks(size: int) -> np.ndarray:
    """The eight mask patterns of ISO 18004 for a symbol of `size` modules (row i, column j), stacked."""
    i, j = np.indices((size, size))
    return np.stack((
        (i + j) % 2 == 0,
        i % 2 == 0,
        j % 3 == 0,
        (i + j) % 3 == 0,
        (i // 2 + j // 3) % 2 == 0,
        (i * j) % 2 + (i * j) % 3 == 0,
        ((i * j) % 2 + (i * j) % 3) % 2 == 0,
        ((i * j) % 3 + (i + j) % 2) % 2 == 0,
    ))


def _long_runs(grids: np.ndarray) -> np.ndarray:
    """Penalty 1 per grid: each run of five or more same-coloured modules in a row costs length - 2."""
    count, rows, cols = grids.shape
    # A sentinel column keeps runs from spilling from one row (or grid) into the next.
    flat = np.concatenate([grids.astype(np.int8), np.full((count, rows, 1), 2, np.int8)], axis=2).ravel()
    starts = np.flatnonzero(np.concatenate(([True], flat[1:] != flat[:-1])))
    lengths = np.diff(np.append(starts, flat.size))
    cost = np.where(lengths >= 5, lengths - 2, 0)
    return np.bincount(starts // (rows * (cols + 1)), weights=cost, minlength=count).astype(np.int64)


def _finder_like(grids: np.ndarray) -> np.ndarray:
    """Penalty 3 per grid, along rows only: 40 for each finder-like pattern."""
    width = grids.shape[2] - 10
    windows = np.zeros((grids.shape[0], grids.shape[1], width), dtype=np.int32)
    for offset in range(11):
        windows = (windows << 1) | grids[:, :, offset:offset + width]
    return 40 * sum((windows == pattern).sum(axis=(1, 2)) for pattern in _FINDER_LIKE)


def penalties(grids: np.ndarray) -> list[int]:
    """The mask penalty of ISO 18004 (8.8.2) of each grid in a stack, scored exactly as the qrcode package does."""
    count, size, _ = grids.shape
    both = np.concatenate([grids, grids.transpose(0, 2, 1)])  # rows, then columns as rows
    scores = _long_runs(both).reshape(2, count).sum(axis=0) + _finder_like(both).reshape(2, count).sum(axis=0)
    top_left = grids[:, :-1, :-1]
    blocks = (top_left == grids[:, 1:, :-1]) & (top_left == grids[:, :-1, 1:]) & (top_left == grids[:, 1:, 1:])
    scores += 3 * blocks.sum(axis=(1, 2))
    dark = grids.sum(axis=(1, 2)).tolist()
    # Plain floats, as qrcode computes the balance, so that ties break the same way.
    return [int(score) + int(abs(float(d) / (size * size) * 100 - 50) / 5) * 10
            for score, d in zip(scores.tolist(), dark, strict=True)]


def qr_matrix(data: str) -> np.ndarray:
    """The QR symbol of `data` (error correction M, smallest version, best mask) as a bool array, no margin."""
    code = _RecordingQRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(data)
    code.best_fit()
    # Encode once with mask 0 in qrcode's scoring layout (format modules light), undo the mask, then
    # score all eight masks on arrays instead of re-encoding eight times.
    code.makeImpl(True, 0)
    masks = _masks(code.modules_count)
    plain = np.array(code.modules, dtype=bool) ^ (masks[0] & code.data_cells)
    candidates = plain[np.newaxis] ^ (masks & code.data_cells)
    scores = penalties(candidates)
    best = scores.index(min(scores))
    # The chosen candidate only lacks its format (and version) information, which qrcode writes.
    code.modules = candidates[best].tolist()
    code.setup_type_info(False, best)
    if code.version >= 7:
        code.setup_type_number(False)
    return np.array(code.modules, dtype=bool)


def merged_rectangles(matrix: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Dark modules as few rectangles (column, row, width, height): row runs, stacked while they repeat."""
    size = matrix.shape[0]
    padded = np.zeros((size, matrix.shape[1] + 2), dtype=bool)
    padded[:, 1:-1] = matrix
    rows, edges = np.nonzero(padded[:, 1:] != padded[:, :-1])  # each run's start then end, row by row
    runs_by_row: list[set[tuple[int, int]]] = [set() for _ in range(size)]
    for row, start, end in zip(rows[::2].tolist(), edges[::2].tolist(), edges[1::2].tolist(), strict=True):
        runs_by_row[row].add((start, end))
    rects: list[tuple[int, int, int, int]] = []
    open_runs: dict[tuple[int, int], int] = {}  # (start, end) -> first row
    for row_index, runs in enumerate([*runs_by_row, set()]):  # the empty last row closes every run
        for run in [run for run in open_runs if run not in runs]:
            top = open_runs.pop(run)
            rects.append((run[0], top, run[1] - run[0], row_index - top))
        for run in runs:
            open_runs.setdefault(run, row_index)
    return rects


def draw_matrix(canvas: Canvas, matrix: np.ndarray, x: float, y: float, size: float, *,
                quiet_zone: int = QUIET_ZONE, background: bool = True) -> None:
    """Draw a module matrix in the square of side `size` whose lower-left corner is (x, y), margin included."""
    modules = matrix.shape[0] + 2 * quiet_zone
    module = size / modules
    canvas.saveState()
    if background:  # the quiet zone must be light even on a tinted card
        canvas.setFillGray(1)
        canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillGray(0)
    # Work in module units from the top-left corner, rows going down. Coordinates are then integers,
    # written straight into the stream, without ReportLab's slower float formatting.
    canvas.transform(module, 0, 0, -module, x + quiet_zone * module, y + size - quiet_zone * module)
    canvas.addLiteral(" ".join(f"{col} {row} {width} {height} re" for col, row, width, height
                               in merged_rectangles(matrix)) + " f")
    canvas.restoreState()


def draw_qr(canvas: Canvas, data: str, x: float, y: float, size: float, *, quiet_zone: int = QUIET_ZONE,
            background: bool = True) -> None:
    """Draw the QR code of `data` in the square of side `size` at (x, y) (lower-left), quiet zone included."""
    draw_matrix(canvas, qr_matrix(data), x, y, size, quiet_zone=quiet_zone, background=background)
