"""Reports: the files exist and parse (CSV and parquet columns, JSON keys), the PNG inside is valid, the page is
self-contained, and headless Chromium renders the table and the picture."""
from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from align import quality, report
from align.records import ReportRow
from align.report.picture import PICTURE_CELLS, png, similarity_picture
from align.report.rows import summarise

COLUMNS = ["id", "src", "tgt", "bead", "score", "flags", "ok", "reasons", "similarity", "margin", "src_indices",
           "tgt_indices"]
SUMMARY_KEYS = {"kind", "sentences", "units", "beads", "unaligned", "flagged", "scores", "coverage", "model",
                "versions", "ok_rule"}


def sample_rows() -> list[ReportRow]:
    return [
        ReportRow("doc-0001", "The plant cost 1,400 million dinars.", "Postrojenje je koštalo 1.400 miliona dinara.",
                  "1-1", True, 0.97, [], 0.91, 0.12, [0], [0]),
        ReportRow("doc-0002", "Why did it take so long? It was the steel.", "Zašto je trajalo toliko dugo?",
                  "2-1", True, 0.31, [quality.flag("low-confidence", "confidence 0.31 (similarity 0.80, margin -0.02)"),
                                      quality.flag("punctuation", "the source is a question, the target is not")],
                  0.80, -0.02, [1, 2], [1]),
        ReportRow("", "", "Ova rečenica nema parnjaka <u izvorniku> & sl.", "0-1", False, None,
                  [quality.flag("unaligned", "target sentence 3 has no counterpart in the source")], None, None, [],
                  [2]),
        ReportRow("doc-0003", "Work should start in 2026.", "Радови би требало да почну 2026. године.",
                  "1-1", True, 0.88, [quality.flag("unaligned-neighbour", "next to unaligned target sentence 3, "
                                                                              "which may belong here")],
                  0.89, 0.08, [3], [3]),
    ]


def write_sample(folder: Path) -> list[Path]:
    rows = sample_rows()
    rng = np.random.default_rng(0)
    src = rng.normal(size=(4, 16))
    tgt = src + 0.3 * rng.normal(size=(4, 16))
    src /= np.linalg.norm(src, axis=1, keepdims=True)
    tgt /= np.linalg.norm(tgt, axis=1, keepdims=True)
    path = [(0.0, 0.0, 0), (1.5, 1.0, 1), (2.0, 2.0, 2), (3.0, 3.0, 3)]
    picture = similarity_picture(src, tgt, path, "source sentences (en)", "target sentences (sr)")
    summary = summarise(rows, {"src": 4, "tgt": 4}, {
        "kind": "alignment", "coverage": {"src": 1.0, "tgt": 0.75}, "model": "test"})
    return report.write_rows(rows, summary, folder, "Alignment report: test", "en → sr", picture, "en", "sr")


def test_report_files_exist_and_parse(tmp_path):
    paths = write_sample(tmp_path / "report")
    assert [p.name for p in paths] == ["units.csv", "units.parquet", "summary.json", "report.html"]
    assert all(p.is_file() and p.stat().st_size > 0 for p in paths)

    csv = pl.read_csv(paths[0])
    assert csv.columns == COLUMNS
    assert csv["id"].fill_null("").to_list() == ["doc-0001", "doc-0002", "", "doc-0003"]
    assert csv["bead"].to_list() == ["1-1", "2-1", "0-1", "1-1"]
    assert csv["ok"].to_list() == [True, False, False, True]
    assert csv["flags"].fill_null("").to_list() == ["", "low-confidence;punctuation", "unaligned",
                                                    "unaligned-neighbour"]
    assert csv["src_indices"].cast(pl.String).fill_null("").to_list() == ["0", "1 2", "", "3"]

    parquet = pl.read_parquet(paths[1])
    assert parquet.columns == COLUMNS
    assert parquet.schema["src_indices"] == pl.List(pl.Int64)
    assert parquet["src_indices"].to_list() == [[0], [1, 2], [], [3]]
    assert parquet["score"].to_list() == [0.97, 0.31, None, 0.88]
    assert parquet["src"].to_list()[2] == ""

    summary = json.loads(paths[2].read_text(encoding="utf-8"))
    assert SUMMARY_KEYS <= summary.keys()
    assert summary["units"] == 3
    assert summary["unaligned"] == {"src": 0, "tgt": 1}
    assert summary["beads"] == {"1-1": 2, "2-1": 1, "0-1": 1}
    assert summary["flagged"]["not_ok"] == 1
    assert summary["flagged"]["by_flag"] == {"low-confidence": 1, "punctuation": 1, "unaligned-neighbour": 1}
    assert summary["scores"]["count"] == 3 and summary["scores"]["min"] == 0.31
    assert sum(summary["scores"]["histogram"]["counts"]) == 3


def test_report_html_is_self_contained_and_escaped(tmp_path):
    page = write_sample(tmp_path / "report")[3].read_text(encoding="utf-8")
    # nothing is fetched: no external scripts, styles, images or fonts
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=\"(https?:)?//", page)
    assert "url(http" not in page and "@import" not in page
    assert re.findall(r"https?://[^\"'\s]+", page) == ["http://www.w3.org/2000/svg"]  # a namespace, not a fetch
    assert "&lt;u izvorniku&gt; &amp; sl." in page
    assert page.count('<tr id="row-') == 4
    assert 'class="unaligned' in page and "<svg" in page and "data:image/png;base64," in page


def read_png(data: bytes) -> np.ndarray:
    """Decode an 8-bit RGB or RGBA PNG (all five row filters): enough for our picture and Chromium's screenshots."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        assert struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])[0] == zlib.crc32(kind + body)
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0
    channels = 3 if colour == 2 else 4
    stride = width * channels
    raw = zlib.decompress(idat)
    rows: list[list[int]] = []
    previous = [0] * stride
    for y in range(height):
        kind, line = raw[y * (stride + 1)], raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)]
        row = [0] * stride
        for x in range(stride):
            left = row[x - channels] if x >= channels else 0
            up = previous[x]
            if kind == 0:
                predictor = 0
            elif kind == 1:
                predictor = left
            elif kind == 2:
                predictor = up
            elif kind == 3:
                predictor = (left + up) // 2
            else:  # Paeth
                upper_left = previous[x - channels] if x >= channels else 0
                estimate = left + up - upper_left
                pa, pb, pc = abs(estimate - left), abs(estimate - up), abs(estimate - upper_left)
                predictor = left if pa <= pb and pa <= pc else (up if pb <= pc else upper_left)
            row[x] = (line[x] + predictor) & 0xFF
        rows.append(row)
        previous = row
    return np.array(rows, dtype=np.uint8).reshape(height, width, channels)


def test_png_round_trips():
    pixels = np.arange(2 * 3 * 3, dtype=np.uint8).reshape(2, 3, 3) * 9
    assert np.array_equal(read_png(png(pixels)), pixels)


def test_long_documents_are_averaged_into_a_light_picture():
    rng = np.random.default_rng(1)
    src = rng.normal(size=(1000, 8))
    tgt = src[:700] + 0.1 * rng.normal(size=(700, 8))
    picture = similarity_picture(src, tgt, [(k, k * 0.7, k) for k in range(1000)], "s", "t")
    assert picture.matrix.shape[0] <= PICTURE_CELLS and picture.matrix.shape[1] <= PICTURE_CELLS
    # block averages equal the mean of the cells they stand for
    assert picture.matrix[0, 0] == pytest.approx((src[:5] @ tgt[:3].T).mean())


def no_encoding(*args, **kwargs):
    raise AssertionError("the report encoded the sentences again")


@pytest.mark.slow
def test_the_report_of_an_alignment(tmp_path, water, fake_encoder, monkeypatch):
    alignment = water.alignment("Cyrl")
    quality.flag_alignment(alignment)
    monkeypatch.setattr(fake_encoder, "encode", no_encoding)
    paths = report.write_report(alignment, tmp_path / "report")
    frame = pl.read_parquet(paths[1])
    assert frame.columns == COLUMNS and len(frame) == len(alignment.beads) == 25
    assert frame["id"].to_list()[:5] == ["test-0001", "test-0002", "test-0003", "", "test-0004"]
    assert frame.row(3, named=True)["bead"] == "0-1" and frame.row(3, named=True)["tgt_indices"] == [3]
    assert frame.row(3, named=True)["score"] is None and frame.row(3, named=True)["flags"] == "unaligned"
    assert frame["ok"].to_list().count(False) == 2
    summary = json.loads(paths[2].read_text(encoding="utf-8"))
    assert SUMMARY_KEYS <= summary.keys()
    assert summary["sentences"] == {"src": 24, "tgt": 25} and summary["units"] == 24
    assert summary["unaligned"] == {"src": 0, "tgt": 1}
    assert summary["coverage"] == {"src": 1.0, "tgt": 0.96}
    assert summary["languages"] == {"src": "en", "tgt": "sr-Cyrl"}
    assert summary["flagged"]["by_flag"]["low-confidence"] == 1
    page = paths[3].read_text(encoding="utf-8")
    # the alignment carries no embeddings, and the report does not encode: no picture
    assert page.count('<tr id="row-') == 25 and "<polyline" not in page and 'class="mark"' not in page
    rng = np.random.default_rng(2)
    vectors = rng.normal(size=(25, 16))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    alignment.src_embeddings, alignment.tgt_embeddings = np.delete(vectors, 3, axis=0), vectors
    page = report.write_report(alignment, tmp_path / "drawn")[3].read_text(encoding="utf-8")
    assert page.count('<tr id="row-') == 25 and "<polyline" in page
    assert page.count('class="mark"') == 2  # the two units to review are marked on the picture


@pytest.mark.slow
def test_the_report_draws_the_embeddings_the_alignment_was_found_with(tmp_path, monkeypatch, water, encoder):
    from align.pipeline import align_documents

    alignment = water.alignment("Latn")
    alignment = align_documents(alignment.src, alignment.tgt, encoder)
    assert alignment.src_embeddings.shape == (24, 384) and alignment.tgt_embeddings.shape == (25, 384)

    monkeypatch.setattr(type(encoder), "encode", no_encoding)
    paths = report.write_report(alignment, tmp_path / "report")
    assert "<polyline" in paths[3].read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------- the browser

def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        message = "chromium is not installed (Debian package `chromium`)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def run_chromium(page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", f"--user-data-dir={profile}", "--virtual-time-budget=3000",
         *args, page.as_uri()], capture_output=True, text=True, timeout=120)


@pytest.mark.slow
@pytest.mark.browser
def test_chromium_renders_the_table_and_the_picture(tmp_path):
    page = write_sample(tmp_path / "report")[3]
    dom = run_chromium(page, tmp_path / "profile", "--dump-dom")
    assert dom.returncode == 0, dom.stderr
    html = dom.stdout
    assert html.count('<tr id="row-') == 4
    assert "Postrojenje je koštalo 1.400 miliona dinara." in html
    assert re.search(r"<svg[^>]*id=\"picture\"", html) and "<polyline" in html
    assert "4 of 4 rows shown" in html  # the filter script ran

    shot = tmp_path / "page.png"
    done = run_chromium(page, tmp_path / "profile", "--window-size=1000,700", f"--screenshot={shot}")
    assert done.returncode == 0 and shot.is_file(), done.stderr
    pixels = read_png(shot.read_bytes())[..., :3]
    assert pixels.shape[:2] == (700, 1000)
    colours = np.unique(pixels.reshape(-1, 3)[::7], axis=0)
    assert len(colours) > 50, "the screenshot is blank"
    # the picture's pixels: the heat map is blue-white, so some pixels are clearly blue
    blue = (pixels[..., 2].astype(int) - pixels[..., 0].astype(int)) > 60
    assert blue.sum() > 2000
