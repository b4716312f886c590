"""The similarity picture: every source sentence against every target sentence (block averages for long
documents) as a heat map, with the alignment's path through it and a mark on every unit to review. Computed
here; drawn by the page template (templates/report.html.j2)."""
from __future__ import annotations

import base64
import math
import struct
import zlib
from dataclasses import dataclass

import numpy as np

from ..records import ReportRow

PICTURE_CELLS = 240  # the similarity picture has at most this many cells a side; longer documents are averaged
PICTURE_WIDTH = 460  # pixels
MARKED_LIMIT = 3000  # flagged units marked on the picture at most (the page must stay light)
MARGIN = 34  # room for the axis labels, in pixels


@dataclass
class Picture:
    """The similarity picture: a matrix of source x target similarities (block averages for long documents)
    and the path through it, in the matrix's cell coordinates."""

    matrix: np.ndarray  # rows: source blocks, columns: target blocks
    src_block: int  # sentences (or units) per row
    tgt_block: int
    points: list[tuple[float, float, int]]  # (row, column, report row) along the path
    src_label: str
    tgt_label: str


@dataclass
class Mark:
    """A unit to review, on the picture: where, which report row, and its tooltip."""

    x: str
    y: str
    row: int  # 1-based report row
    label: str


@dataclass
class PictureView:
    """What the template draws, every number already formatted."""

    width: int
    height: int
    outer_width: int
    outer_height: int
    margin: int
    image: str  # the heat map as a base64 PNG
    points: str  # the path as SVG polyline points
    marks: list[Mark]
    src_label: str
    tgt_label: str
    src_count: str  # "112", or "about 1200" when averaged
    tgt_count: str
    middle_x: float
    middle_y: float


def _block_means(vectors: np.ndarray, block: int) -> np.ndarray:
    """Means of consecutive groups of `block` rows: the dot product of two such means is the mean similarity
    of the two groups, so the averaged picture shows exactly the mean of the cells it stands for."""
    if block == 1:
        return vectors
    padded = math.ceil(len(vectors) / block) * block
    sums = np.zeros((padded // block, vectors.shape[1]), dtype=np.float64)
    np.add.at(sums, np.arange(len(vectors)) // block, vectors)
    counts = np.bincount(np.arange(len(vectors)) // block, minlength=len(sums))
    return sums / np.maximum(counts, 1)[:, None]


def similarity_picture(src: np.ndarray, tgt: np.ndarray, path: list[tuple[float, float, int]], src_label: str,
                       tgt_label: str) -> Picture:
    """`path`: (source position, target position, report row) in sentence (or unit) coordinates."""
    src_block = max(1, math.ceil(len(src) / PICTURE_CELLS))
    tgt_block = max(1, math.ceil(len(tgt) / PICTURE_CELLS))
    matrix = _block_means(src, src_block) @ _block_means(tgt, tgt_block).T
    points = [(i / src_block, j / tgt_block, row) for i, j, row in path]
    return Picture(matrix, src_block, tgt_block, points, src_label, tgt_label)


def png(pixels: np.ndarray) -> bytes:
    """An RGB image (height, width, 3 uint8) as PNG. Written out because PNG needs only zlib and CRC, both in
    the standard library, and an imaging library would be a dependency for this one picture."""
    height, width, _ = pixels.shape
    raw = b"".join(b"\x00" + row.tobytes() for row in pixels.astype(np.uint8))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def _heat_colours(matrix: np.ndarray) -> np.ndarray:
    """Similarities to colours, white (low) to deep blue (high). Each row's and column's mean level is taken
    out first (a sentence that resembles everything would paint a whole stripe), and the colours are stretched
    between the picture's own 2nd and 99.8th percentiles: cosines crowd into a narrow band."""
    if not matrix.size:
        return np.zeros(matrix.shape + (3,))
    centred = matrix - matrix.mean(axis=1, keepdims=True) / 2 - matrix.mean(axis=0, keepdims=True) / 2
    low, high = np.quantile(centred, [0.02, 0.998])
    level = np.clip((centred - low) / max(high - low, 1e-6), 0, 1)[..., None]
    light, dark = np.array([255, 255, 255]), np.array([16, 52, 120])
    return (light + (dark - light) * level ** 1.5).round()


def picture_view(picture: Picture, rows: list[ReportRow]) -> PictureView:
    height_cells, width_cells = picture.matrix.shape
    width = PICTURE_WIDTH
    height = int(round(width * height_cells / max(width_cells, 1)))
    height = min(max(height, 120), 2 * width)
    image = base64.b64encode(png(_heat_colours(picture.matrix))).decode("ascii")
    sx, sy = width / max(width_cells, 1), height / max(height_cells, 1)
    path = [(j * sx + sx / 2, i * sy + sy / 2) for i, j, _ in picture.points]
    marks = []
    for (x, y), (_, _, row) in zip(path, picture.points):
        r = rows[row]
        if not r.ok and len(marks) < MARKED_LIMIT:
            marks.append(Mark(f"{x:.1f}", f"{y:.1f}", row + 1,
                              f"{r.id or 'row ' + str(row + 1)}: {', '.join(dict.fromkeys(f.name for f in r.flags))}"))
    n_src, n_tgt = height_cells * picture.src_block, width_cells * picture.tgt_block
    return PictureView(
        width=width, height=height, outer_width=width + MARGIN + 8, outer_height=height + MARGIN + 8, margin=MARGIN,
        image=image, points=" ".join(f"{x:.1f},{y:.1f}" for x, y in path), marks=marks,
        src_label=picture.src_label, tgt_label=picture.tgt_label,
        src_count=str(n_src) if picture.src_block == 1 else f"about {n_src}",
        tgt_count=str(n_tgt) if picture.tgt_block == 1 else f"about {n_tgt}",
        middle_x=width / 2, middle_y=height / 2)
