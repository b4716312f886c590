"""How much work is a review? From `align pair`'s output to the gold alignment, on the blind English-Serbian
documents (bench/data/ensr) and the interview (corpora/interview, Latin and Cyrillic):

    .venv/bin/python bench/bench_review.py              # the figures, the keys played in the real page
    .venv/bin/python bench/bench_review.py --no-browser # the figures only (no Chromium)

Per document, aligned from the writers' sentence split (`pair --presplit` on the .sent files, default model), and
again with --max-align 1 (a weaker aligner's output, with many more corrections to make):
- wrong: gold beads `pair` did not find (strict);
- ops: the fewest `link` operations (`align edit`) that turn the output into the gold alignment: one per missing
  gold bead with sentences on both sides, and one per missing lone sentence that no other link released;
- fix keys: keys pressed in the page to correct the alignment, walking it in document order (m merges the unit
  with the next while the gold unit is larger, s + arrows + Enter splits off the gold unit; a chord such as
  Shift+Right counts once);
- review keys: a whole review, every unit confirmed too: the fix keys plus one c per gold bead (c confirms and
  moves on, so walking costs no extra key).
Unless --no-browser, the keys are then played in the review page in headless Chromium (the Debian chromium and
chromium-driver) against the real server, and the saved alignment must equal the gold one with every bead
confirmed; the page's time per key (median and slowest, including the re-score of each structural edit) is shown.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from align import edits, pipeline
from align.embed import load_encoder
from align.evaluate import read_beads
from align.records import Alignment

REPO = Path(__file__).resolve().parents[1]
ENSR = REPO / "bench" / "data" / "ensr"
INTERVIEW = REPO / "corpora" / "interview"
Pair = tuple[tuple[int, ...], tuple[int, ...]]


def documents() -> list[tuple[str, Path, Path, Path]]:
    found = [(beads.stem, beads.with_name(f"{beads.stem}.en.sent"), next(ENSR.glob(f"{beads.stem}.sr-*.sent")), beads)
             for beads in sorted(ENSR.glob("*.beads"))]
    return found + [(f"interview {script}", INTERVIEW / "en.sent", INTERVIEW / f"sr-{script}.sent",
                     INTERVIEW / "gold.beads") for script in ("Latn", "Cyrl")]


def pairs(alignment: Alignment) -> list[Pair]:
    return [(b.src, b.tgt) for b in alignment.beads]


def fewest_links(alignment: Alignment, gold: list[Pair]) -> int:
    """Links of the missing gold beads with both sides first (each makes one), then of the lone sentences that are
    still not alone."""
    count = 0
    for bead in sorted(set(gold) - set(pairs(alignment)), key=lambda b: not (b[0] and b[1])):
        if bead not in pairs(alignment):
            alignment = edits.apply(alignment, {"op": "link", "src": list(bead[0]), "tgt": list(bead[1])})
            count += 1
    assert pairs(alignment) == gold
    return count


def page_keys(alignment: Alignment, gold: list[Pair]) -> tuple[list[str], int]:
    """The keys that walk the page in document order, correcting and confirming every bead (see the docstring),
    and how many of them correct. The page is modelled by the same operations it sends."""
    keys, fixing, k = [], 0, 0
    while k < len(alignment.beads):
        bead, (src, tgt) = alignment.beads[k], gold[k]
        if (bead.src, bead.tgt) == (src, tgt):
            keys.append("c")
            k += 1
            continue
        nxt = alignment.beads[k + 1] if len(bead.src) < len(src) or len(bead.tgt) < len(tgt) else None
        if nxt is not None:  # m: merge with the next unit
            step = ["m"]
            ops = [{"op": "link", "src": list(bead.src + nxt.src), "tgt": list(bead.tgt + nxt.tgt)}]
        else:  # s, move the cuts from the page's first guess, Enter
            a0, b0 = min(1, len(bead.src)), min(1, len(bead.tgt))
            if (a0, b0) == (len(bead.src), len(bead.tgt)):
                b0 = 0
            a, b = len(src), len(tgt)
            step = (["s"] + (["Right"] if a > a0 else ["Left"]) * abs(a - a0)
                    + (["Shift+Right"] if b > b0 else ["Shift+Left"]) * abs(b - b0) + ["Enter"])
            ops = [{"op": "link", "src": list(bead.src[:a]), "tgt": list(bead.tgt[:b])},
                   {"op": "link", "src": list(bead.src[a:]), "tgt": list(bead.tgt[b:])}]
        side, first = ("src", bead.src[0]) if bead.src else ("tgt", bead.tgt[0])
        alignment = edits.apply_all(alignment, ops)
        # the page stays on the unit holding the one's first sentence, as here
        k = next(n for n, b in enumerate(alignment.beads) if first in getattr(b, side))
        assert pairs(alignment)[:k] == gold[:k], "a correction moved a unit before the cursor"
        keys += step
        fixing += len(step)
    assert pairs(alignment) == gold
    return keys, fixing


def play(alignment: Alignment, keys: list[str], gold: list[Pair], folder: Path) -> list[float]:
    """The keys pressed in the real page; the saved result must be the gold alignment, all confirmed. Returns the
    seconds each key took until the page was idle again."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from align.review import ReviewServer, Session

    path = folder / "review.align.json"
    pipeline.save_alignment(alignment, path)
    server = ReviewServer(Session.open(path))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for argument in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run",
                     f"--user-data-dir={folder / 'profile'}", "--window-size=1400,1000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    named = {"Right": Keys.ARROW_RIGHT, "Left": Keys.ARROW_LEFT, "Enter": Keys.ENTER}
    times = []
    try:
        while not server.server.started:
            time.sleep(0.05)
        driver.get(server.url)

        def idle() -> None:
            while driver.find_element(By.TAG_NAME, "body").get_attribute("data-pending") != "0":
                time.sleep(0.01)
        idle()
        for key in keys:
            started = time.perf_counter()
            chain = ActionChains(driver)
            if key.startswith("Shift+"):
                chain.key_down(Keys.SHIFT).send_keys(named[key[6:]]).key_up(Keys.SHIFT)
            else:
                chain.send_keys(named.get(key, key))
            chain.perform()
            idle()
            times.append(time.perf_counter() - started)
        error = driver.find_element(By.ID, "message").get_attribute("class")
        assert "error" not in error, driver.find_element(By.ID, "message").text
    finally:
        driver.quit()
        server.stop()
        thread.join(10)
    saved = pipeline.load_alignment(path)
    assert pairs(saved) == gold, "the page did not reach the gold alignment"
    assert all(b.status == "confirmed" for b in saved.beads), "a bead was left unconfirmed"
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-browser", action="store_true", help="Count only; do not play the keys in Chromium.")
    args = parser.parse_args()
    encoder = load_encoder()
    for max_align in (4, 1):
        print(f"\n`align pair --presplit --max-align {max_align}`"
              + (" (the default)" if max_align == 4 else " (a weaker aligner: no merged units at all)"))
        report(encoder, max_align, not args.no_browser)
    return 0


def report(encoder, max_align: int, browser: bool) -> None:
    header = f"{'document':<16} {'sent. en/sr':>11} {'gold':>5} {'wrong':>5} {'ops':>4} {'fix keys':>8} {'review keys':>11}"
    print(header + (f" {'page: s/key median / max':>24}" if browser else ""))
    totals = [0] * 6
    all_times: list[float] = []
    for name, src, tgt, gold_path in documents():
        gold = read_beads(gold_path)
        alignment = pipeline.align_files(src, tgt, "en", "sr", presplit=True, encoder=encoder, max_align=max_align)
        wrong = len(set(gold) - set(pairs(alignment)))
        ops = fewest_links(alignment, gold)
        keys, fixing = page_keys(alignment, gold)
        row = [len(alignment.src.sentences) + len(alignment.tgt.sentences), len(gold), wrong, ops, fixing, len(keys)]
        totals = [t + r for t, r in zip(totals, row)]
        line = (f"{name:<16} {len(alignment.src.sentences):>5}/{len(alignment.tgt.sentences):<5} {len(gold):>5} "
                f"{wrong:>5} {ops:>4} {fixing:>8} {len(keys):>11}")
        if browser:
            with tempfile.TemporaryDirectory() as folder:
                times = play(alignment, keys, gold, Path(folder))
            all_times += times
            line += f" {statistics.median(times):>15.2f} / {max(times):.2f}"
        print(line, flush=True)
    summary = (f"{'all':<16} {totals[0]:>11} {totals[1]:>5} {totals[2]:>5} {totals[3]:>4} {totals[4]:>8} "
               f"{totals[5]:>11}")
    if all_times:
        summary += f" {statistics.median(all_times):>15.2f} / {max(all_times):.2f}"
    print(summary)
    if all_times:
        print("every document reached its gold alignment in the page, every bead confirmed")


if __name__ == "__main__":
    sys.exit(main())
