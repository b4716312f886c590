"""`align review`: the session (every edit saved at once, reopened with its history), the HTTP API in-process, the
server's security rules, a TMX made by another tool written back as it was where the review left it alone, the
command line (a real server process killed with SIGKILL loses nothing), and the page in a real headless Chromium."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import INTERVIEW_DIR, HashingEncoder
from lxml import etree
from starlette.testclient import TestClient
from test_interop import tmx14_dtd  # noqa: F401 (the fixture: the TMX 1.4 DTD inside OmegaT.jar)

from align import pipeline
from align.cli import main
from align.errors import AlignUsageError
from align.formats.tmx import read_tmx
from align.review import ReviewServer, Session, create_app, open_review

PORT = 8765
TOKEN = "test-token"


@pytest.fixture(scope="session")
def aligned_interview(tmp_path_factory) -> Path:
    """The interview (the gold sentences) aligned and saved as an alignment file, once."""
    path = tmp_path_factory.mktemp("interview") / "interview.align.json"
    alignment = pipeline.align_files(INTERVIEW_DIR / "en.sent", INTERVIEW_DIR / "sr-Latn.sent", "en", "sr",
                                     presplit=True, encoder=HashingEncoder())
    pipeline.save_alignment(alignment, path)
    return path


@pytest.fixture
def alignment_path(aligned_interview, tmp_path, monkeypatch):
    """A copy of the aligned interview for one test."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    return Path(shutil.copy(aligned_interview, tmp_path / "interview.align.json"))


@pytest.fixture
def client(alignment_path):
    session = Session.open(alignment_path)
    http = TestClient(create_app(session, TOKEN, PORT), base_url=f"http://127.0.0.1:{PORT}")
    http.headers["X-Align-Token"] = TOKEN
    http.session = session
    return http


def beads_of(state: dict) -> list[tuple[list[int], list[int]]]:
    return [(b["src"], b["tgt"]) for b in state["beads"]]


# ---------------------------------------------------------------------------------------------- the HTTP API

def test_the_state_shows_sentences_beads_scores_flags_and_progress(client):
    state = client.get("/api/state").json()
    assert state["name"] == "interview" and state["src"]["label"] == "en" and state["tgt"]["label"] == "sr-Latn"
    assert len(state["src"]["sentences"]) == 112 and len(state["beads"]) == len(client.session.alignment.beads)
    first = state["tgt"]["sentences"][0]
    assert first["other"].startswith("[ЕКСКЛУЗИВНО]")  # the other script, for the toggle
    assert state["src"]["sentences"][0]["other"] is None
    assert all(0 <= b["score"] <= 1 and isinstance(b["flags"], list) for b in state["beads"])
    assert state["progress"]["confirmed"] == 0 and state["progress"]["units"] == sum(b["unit"] for b in state["beads"])
    assert state["history"] == {"done": 0, "steps": 0, "can_undo": False, "can_redo": False, "last": []}


def test_an_edit_is_rescored_saved_at_once_and_undone(client, alignment_path):
    before = client.get("/api/state").json()
    merged = client.post("/api/edit", json={"ops": [{"op": "link", "src": [0, 1], "tgt": [0, 1]}]}).json()
    assert beads_of(merged)[0] == ([0, 1], [0, 1]) and len(merged["beads"]) == len(before["beads"]) - 1
    saved = pipeline.load_alignment(alignment_path)  # on disk already
    assert (saved.beads[0].src, saved.beads[0].tgt) == ((0, 1), (0, 1)) and saved.history.done == 1
    scored = [(b.score, b.similarity, b.margin, b.flags) for b in saved.beads]
    for bead in saved.beads:
        bead.score, bead.similarity, bead.margin, bead.flags = 0.0, 0.0, 0.0, []
    assert [(b.score, b.similarity, b.margin, b.flags) for b in pipeline.rescore(saved).beads] == scored  # re-scored
    assert merged["beads"][0]["score"] == round(scored[0][0], 4)
    confirmed = client.post("/api/edit", json={"ops": [{"op": "confirm", "src": [0, 1], "tgt": [0, 1]}]}).json()
    assert confirmed["progress"]["confirmed"] == 1 and confirmed["beads"][0]["status"] == "confirmed"
    assert client.post("/api/undo", json={}).json()["beads"][0]["status"] == ""
    undone = client.post("/api/undo", json={}).json()
    assert undone["beads"] == before["beads"] and undone["history"]["can_redo"]
    redone = client.post("/api/redo", json={}).json()
    assert redone["beads"] == merged["beads"]


def test_reopening_the_file_restores_the_state_and_the_undo_history(client, alignment_path):
    client.post("/api/edit", json={"ops": [{"op": "split-sentence", "side": "tgt", "sentence": 2, "at": 20}]})
    client.post("/api/edit", json={"ops": [{"op": "reject", "src": [5], "tgt": [6]}]})
    state = client.get("/api/state").json()
    reopened = Session.open(alignment_path)
    again = reopened.state()
    assert again["beads"] == state["beads"] and again["tgt"] == state["tgt"] and again["history"] == state["history"]
    reopened.undo()
    reopened.undo()
    assert len(reopened.alignment.tgt.sentences) == 110


def test_an_operation_that_cannot_apply_answers_400_and_changes_nothing(client, alignment_path):
    before = alignment_path.read_bytes()
    response = client.post("/api/edit", json={"ops": [{"op": "join-sentences", "side": "src", "sentence": 111}]})
    assert response.status_code == 400 and "the last one" in response.json()["error"]
    assert client.post("/api/edit", json={"ops": []}).status_code == 400
    assert client.post("/api/edit", json=[1]).status_code == 400
    assert client.post("/api/undo", json={}).json()["error"] == "nothing to undo"
    assert alignment_path.read_bytes() == before


def test_export_writes_the_corrected_tmx_beads_and_report_where_the_command_line_said(client, alignment_path):
    client.post("/api/edit", json={"ops": [{"op": "confirm", "src": [0], "tgt": [0]}]})
    client.post("/api/edit", json={"ops": [{"op": "reject", "src": [1], "tgt": [1]}]})
    written = client.post("/api/export", json={}).json()["written"]
    folder = alignment_path.parent
    assert written[:2] == [str(folder / "interview.reviewed.tmx"), str(folder / "interview.reviewed.beads.jsonl")]
    assert (folder / "interview.reviewed-report" / "report.html").exists()
    units = read_tmx(folder / "interview.reviewed.tmx").units
    assert units[0].prop("x-status") == "confirmed" and units[1].tuid == "interview-0003"


# ---------------------------------------------------------------------------------------------- security

@pytest.mark.parametrize("host", ["evil.example:8765", "127.0.0.1", "localhost:9999", "127.0.0.2:8765",
                                  "[::1]:8765", "attacker.test"])
def test_a_host_that_is_not_this_servers_loopback_address_is_refused(client, host):
    response = client.get("/api/state", headers={"Host": host})
    assert response.status_code == 403 and "loopback" in response.text


def test_the_loopback_name_is_accepted(client):
    assert client.get("/api/state", headers={"Host": f"localhost:{PORT}"}).status_code == 200


@pytest.mark.parametrize("path", ["/", "/api/state", "/static/review.js", "/static/review.css", "/nothing"])
def test_every_request_needs_the_token(client, path):
    del client.headers["X-Align-Token"]
    assert client.get(path).status_code == 401
    assert client.get(path, params={"token": "guess"}).status_code == 403
    assert client.get(path, headers={"X-Align-Token": TOKEN + "x"}).status_code == 403
    assert client.post("/api/edit", json={"ops": [{"op": "confirm", "src": [0], "tgt": [0]}]}).status_code == 401


def test_the_token_in_the_url_opens_the_page(client):
    del client.headers["X-Align-Token"]
    page = client.get("/", params={"token": TOKEN})
    assert page.status_code == 200 and f'data-token="{TOKEN}"' in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY" and page.headers["referrer-policy"] == "no-referrer"


def test_state_changes_only_by_post_with_a_json_body(client, alignment_path):
    before = alignment_path.read_bytes()
    ops = json.dumps({"ops": [{"op": "confirm", "src": [0], "tgt": [0]}]})
    assert client.post("/api/edit", content=ops, headers={"Content-Type": "text/plain"}).status_code == 415
    assert client.post("/api/edit", content=ops).status_code == 415  # no Content-Type at all
    assert client.post("/api/edit", data={"ops": "x"}).status_code == 415  # a form
    assert client.get("/api/edit").status_code == 405
    assert client.put("/api/edit", content=ops, headers={"Content-Type": "application/json"}).status_code == 405
    assert client.post("/api/edit", content=b"{not json", headers={"Content-Type": "application/json"}
                       ).status_code == 400
    assert alignment_path.read_bytes() == before


def test_a_request_from_another_origin_is_refused(client):
    ops = {"ops": [{"op": "confirm", "src": [0], "tgt": [0]}]}
    assert client.post("/api/edit", json=ops, headers={"Origin": "http://evil.example"}).status_code == 403
    assert client.post("/api/edit", json=ops, headers={"Origin": f"http://127.0.0.1:{PORT}"}).status_code == 200


def test_no_file_is_served_but_the_pages_own(client):
    assert client.get("/static/report.css").text.startswith("body{")  # the report's look, reused
    assert client.get("/static/report.html.j2").status_code == 404
    assert client.get("/static/..%2F..%2Fsession.py").status_code == 404
    assert client.post("/api/export", json={"tmx": "/tmp/elsewhere.tmx"}).json()["written"][0].endswith(
        "interview.reviewed.tmx")  # the page cannot choose where files go


def test_texts_reach_the_page_escaped(tmp_path, fake_encoder):
    alignment = pipeline.align_sentences(["<script>alert(1)</script>", "Fine."], ["<b>Dobro</b>", "Dobro."], "en", "sr",
                                         name='<img src=x onerror="alert(1)">')
    pipeline.save_alignment(alignment, tmp_path / "x.align.json")
    http = TestClient(create_app(Session.open(tmp_path / "x.align.json"), TOKEN, PORT),
                      base_url=f"http://127.0.0.1:{PORT}")
    page = http.get("/", params={"token": TOKEN}).text
    assert "<img src=x" not in page and "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in page
    state = http.get("/api/state", headers={"X-Align-Token": TOKEN}).json()
    assert state["src"]["sentences"][0]["text"] == "<script>alert(1)</script>"  # JSON, put in with textContent
    script = http.get("/static/review.js", headers={"X-Align-Token": TOKEN}).text
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script and "document.write" not in script


# ---------------------------------------------------------------------------------------------- another tool's TMX

FOREIGN_TMX = """<?xml version="1.0" encoding="UTF-8"?>
<!-- made by some CAT tool -->
<tmx version="1.4">
  <header creationtool="OtherTool" creationtoolversion="9.1" segtype="sentence" o-tmf="OT" adminlang="en-US"
          srclang="en-US" datatype="rtf" creationdate="20200101T000000Z">
    <prop type="x-project">Harbour</prop>
    <note>exported for review</note>
  </header>
  <body>
    <tu tuid="h1" creationid="ana" changedate="20200102T000000Z">
      <prop type="x-client">Port</prop>
      <note>checked twice</note>
      <tuv xml:lang="en-US" creationdate="20200101T000000Z"><prop type="x-origin">tm</prop><seg>Press <bpt i="1">{\\b </bpt>Save<ept i="1">}</ept> now.</seg></tuv>
      <tuv xml:lang="sr-Latn"><seg>Pritisnite <bpt i="1">{\\b </bpt>Sačuvaj<ept i="1">}</ept> sada.</seg></tuv>
      <tuv xml:lang="de-DE"><seg>Drücken Sie jetzt <ph x="1">&lt;b/&gt;</ph>Speichern.</seg></tuv>
    </tu>
    <tu tuid="h2">
      <tuv xml:lang="en-US"><seg>The harbour opens at six.</seg></tuv>
      <tuv xml:lang="sr-Latn"><seg>Luka se otvara u šest.</seg></tuv>
    </tu>
    <tu tuid="h3">
      <tuv xml:lang="en-US"><seg>Boats leave every hour.</seg></tuv>
      <tuv xml:lang="sr-Latn"><seg>Brodovi isplovljavaju svakog sata.</seg></tuv>
    </tu>
    <tu tuid="h4">
      <tuv xml:lang="de-DE"><seg>Nur auf Deutsch.</seg></tuv>
    </tu>
    <tu tuid="h5">
      <tuv xml:lang="en-US"><seg>Tickets cost <ph x="1">{0}</ph> dinars.</seg></tuv>
      <tuv xml:lang="sr-Latn"><seg>Karte koštaju <ph x="1">{0}</ph> dinara.</seg></tuv>
    </tu>
    <tu tuid="h6">
      <tuv xml:lang="en-US"><seg>Only English here.</seg></tuv>
    </tu>
    <tu tuid="h7">
      <tuv xml:lang="en-US"><seg>The café is closed.</seg></tuv>
      <tuv xml:lang="sr-Latn"><seg>Kafić je zatvoren.</seg></tuv>
    </tu>
    <tu tuid="h8">
      <tuv xml:lang="en-US"><seg>See you tomorrow.</seg></tuv>
      <tuv xml:lang="sr-Latn"><seg>Vidimo se sutra.</seg></tuv>
    </tu>
  </body>
</tmx>
"""


@pytest.fixture
def foreign(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    path = tmp_path / "their.tmx"
    path.write_text(FOREIGN_TMX, encoding="utf-8")
    return path


def segs(path: Path) -> dict[str, list[tuple[dict, bytes]]]:
    """Each unit's variants as their attributes and their <seg> as bytes (with its inline markup), by tuid."""
    root = etree.parse(str(path)).getroot()
    return {tu.get("tuid"): [(dict(tuv.attrib), etree.tostring(tuv.find("seg"), with_tail=False))
                             for tuv in tu.findall("tuv")] for tu in root.iter("tu")}


def test_a_tmx_is_reviewed_unit_by_unit(foreign):
    session = open_review([foreign])
    alignment = session.alignment
    assert session.path == foreign.with_name("their.align.json") and session.path.exists()
    assert alignment.src.lang == "en-US" and alignment.tgt.lang == "sr-Latn"
    assert alignment.src.texts[0] == "Press Save now." and len(alignment.src.texts) == 7
    assert [(b.src, b.tgt) for b in alignment.beads] == [((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((3,), (3,)),
                                                         ((4,), ()), ((5,), (4,)), ((6,), (5,))]
    assert [s.paragraph for s in alignment.src.sentences] == [0, 1, 2, 4, 5, 6, 7]  # the units' positions


def test_an_unreviewed_tmx_is_written_back_unit_for_unit(foreign):
    session = open_review([foreign])
    session.export()
    original, written = read_tmx(foreign), read_tmx(session.outputs.tmx)
    assert written.units == original.units
    assert (written.header, written.header_props, written.header_notes) == \
        (original.header, original.header_props, original.header_notes)
    assert segs(session.outputs.tmx) == segs(foreign)


def test_edits_of_a_tmx_change_only_the_units_they_touch(foreign):
    session = open_review([foreign])
    session.edit([{"op": "link", "src": [1, 2], "tgt": [1, 2]}])  # h2 + h3
    session.edit([{"op": "confirm", "src": [0], "tgt": [0]}])  # h1
    session.edit([{"op": "reject", "src": [6], "tgt": [5]}])  # h8
    session.edit([{"op": "edit", "side": "tgt", "sentence": 4, "text": "Kafić je zatvoren danas."}])  # h7
    session.edit([{"op": "link", "src": [3], "tgt": [3]}])  # h5 as it was: nothing to do
    session.export()
    original = {u.tuid: u for u in read_tmx(foreign).units}
    units = read_tmx(session.outputs.tmx).units
    assert [u.tuid for u in units] == ["h1", "h2", "h4", "h5", "h6", "h7"]  # h8 rejected, h3 merged into h2
    h1, h2, h4, h5, h6, h7 = units
    assert h1.variants == original["h1"].variants and h1.props == [*original["h1"].props, ("x-status", "confirmed")]
    assert (h1.notes, h1.attrs) == (original["h1"].notes, original["h1"].attrs)
    assert h4 == original["h4"] and h5 == original["h5"] and h6 == original["h6"]
    assert [v.text for v in h2.variants] == ["The harbour opens at six. Boats leave every hour.",
                                             "Luka se otvara u šest. Brodovi isplovljavaju svakog sata."]
    assert h2.attrs["changedate"] == "20231114T221320Z"
    assert h7.variants[1].text == "Kafić je zatvoren danas." and h7.variants[0] == original["h7"].variants[0]
    written = segs(session.outputs.tmx)
    for tuid in ("h1", "h4", "h5", "h6"):
        assert written[tuid] == segs(foreign)[tuid], tuid


def test_a_merge_of_units_keeps_their_inline_markup(foreign):
    session = open_review([foreign])
    session.edit([{"op": "link", "src": [3, 4], "tgt": [3]}])  # h5 and h6's lone English sentence
    session.export()
    merged = {u.tuid: u for u in read_tmx(session.outputs.tmx).units}["h5"]
    assert merged.variants[0].markup == 'Tickets cost <ph x="1">{0}</ph> dinars. Only English here.'
    assert merged.variants[1].markup == 'Karte koštaju <ph x="1">{0}</ph> dinara.'


def test_a_tmx_review_is_resumed_and_bound_to_its_file(foreign):
    session = open_review([foreign])
    session.edit([{"op": "confirm", "src": [1], "tgt": [1]}])
    again = open_review([foreign])
    assert again.alignment.beads[1].status == "confirmed" and again.alignment.history.done == 1
    foreign.write_text(FOREIGN_TMX.replace("six", "seven"), encoding="utf-8")
    with pytest.raises(AlignUsageError, match="another TMX"):
        open_review([foreign])


def test_the_export_never_overwrites_the_reviewed_tmx(foreign):
    session = open_review([foreign], outputs={"tmx": foreign})
    with pytest.raises(AlignUsageError, match="would overwrite an input"):
        session.export()
    assert foreign.read_text(encoding="utf-8") == FOREIGN_TMX


def test_align_write_gives_the_reviewed_tmx_and_refuses_a_script_conversion(foreign, tmp_path):
    session = open_review([foreign])
    session.edit([{"op": "link", "src": [1, 2], "tgt": [1, 2]}])
    session.export()
    result = CliRunner().invoke(main, ["write", str(session.path), "-o", str(tmp_path / "again.tmx")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "again.tmx").read_bytes() == session.outputs.tmx.read_bytes()
    result = CliRunner().invoke(main, ["write", str(session.path), "-o", str(tmp_path / "c.tmx"), "--script", "cyrl"])
    assert result.exit_code == 2 and "written back as it was" in result.output


# ---------------------------------------------------------------------------------------------- two documents

def test_two_documents_are_aligned_then_reviewed_and_the_review_resumed(tmp_path):
    for name in ("en.txt", "sr-Latn.txt"):
        shutil.copy(INTERVIEW_DIR / name, tmp_path / name)
    session = open_review([tmp_path / "en.txt", tmp_path / "sr-Latn.txt"], src_lang="en", tgt_lang="sr")
    assert session.path == tmp_path / f"{tmp_path.name}.align.json"
    session.edit([{"op": "confirm", "src": list(session.alignment.beads[0].src),
                   "tgt": list(session.alignment.beads[0].tgt)}])
    again = open_review([tmp_path / "en.txt", tmp_path / "sr-Latn.txt"], src_lang="en", tgt_lang="sr")
    assert again.alignment.beads[0].status == "confirmed"
    (tmp_path / "en.txt").write_text("Another text.\n", encoding="utf-8")
    with pytest.raises(AlignUsageError, match="other files"):
        open_review([tmp_path / "en.txt", tmp_path / "sr-Latn.txt"])
    elsewhere = open_review([tmp_path / "en.txt", tmp_path / "sr-Latn.txt"], tmp_path / "new.align.json")
    assert elsewhere.path == tmp_path / "new.align.json" and elsewhere.outputs.tmx == tmp_path / "new.reviewed.tmx"


@pytest.mark.parametrize("args, message", [
    (["a", "b", "c"], "cannot read"),
    (["{file}", "{file}", "{file}"], "give an alignment file, a TMX, or two documents"),
    (["{file}", "--alignment", "x.align.json"], "--alignment is for a TMX or two documents"),
])
def test_review_usage_errors(alignment_path, args, message):
    args = [a.replace("{file}", str(alignment_path)) for a in args]
    result = CliRunner().invoke(main, ["review", *args, "--no-browser"])
    assert result.exit_code == 2 and message in result.output


# ---------------------------------------------------------------------------------------------- a real server process

def test_a_server_killed_with_sigkill_loses_no_edit(alignment_path):
    align = Path(sys.executable).with_name("align")
    process = subprocess.Popen([str(align), "review", str(alignment_path), "--no-browser"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        assert line.startswith("review page: http://127.0.0.1:"), line + process.stderr.read()
        url = line.split(": ", 1)[1].strip()
        base, token = url.split("/?token=")
        body = json.dumps({"ops": [{"op": "link", "src": [0, 1], "tgt": [0, 1]}]}).encode()
        request = urllib.request.Request(f"{base}/api/edit", body, method="POST",
                                         headers={"Content-Type": "application/json", "X-Align-Token": token})
        with urllib.request.urlopen(request, timeout=60) as response:
            assert json.load(response)["history"]["done"] == 1
        with urllib.request.urlopen(url, timeout=30) as response:
            assert b"Review:" in response.read()
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    saved = pipeline.load_alignment(alignment_path)
    assert (saved.beads[0].src, saved.beads[0].tgt) == ((0, 1), (0, 1)) and saved.history.done == 1


# ---------------------------------------------------------------------------------------------- the page in Chromium

def chrome(profile: Path):
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        message = "Debian packages chromium and chromium-driver are not installed"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for argument in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                     "--window-size=1400,1000"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)


class Page:
    """The review page in Chromium, driven by keys as a reviewer would."""

    def __init__(self, driver):
        from selenium.webdriver.common.by import By

        self.driver, self.by = driver, By

    def idle(self) -> None:
        deadline = time.monotonic() + 60
        while self.driver.find_element(self.by.TAG_NAME, "body").get_attribute("data-pending") != "0":
            assert time.monotonic() < deadline, "the page is still busy"
            time.sleep(0.05)

    def keys(self, *keys: str) -> None:
        from selenium.webdriver.common.action_chains import ActionChains

        for key in keys:
            ActionChains(self.driver).send_keys(key).perform()
        self.idle()

    def text(self, selector: str) -> str:
        return self.driver.find_element(self.by.CSS_SELECTOR, selector).text

    def current(self) -> tuple[list[str], list[str]]:
        row = self.driver.find_element(self.by.CSS_SELECTOR, "tr.current")
        return ([s.text for s in row.find_elements(self.by.CSS_SELECTOR, "td.text[lang=src] .sent")],
                [s.text for s in row.find_elements(self.by.CSS_SELECTOR, "td.text[lang=tgt] .sent")])


@pytest.mark.browser
def test_the_page_merges_splits_confirms_undoes_and_exports(tmp_path, fake_encoder, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.keys import Keys

    en = ["Good morning, everyone.", "<script>alert(1)</script>", "The harbour opens at six.",
          "Boats leave every hour.", "Tickets cost ten dinars."]
    sr = ["Dobro jutro svima.", "<script>alert(1)</script>", "Luka se otvara u šest.", "Brodovi isplovljavaju svakog sata.",
          "Karte koštaju deset dinara."]
    alignment = pipeline.align_sentences(en, sr, "en", "sr", name="harbour")
    path = tmp_path / "harbour.align.json"
    pipeline.save_alignment(alignment, path)
    assert [(b.src, b.tgt) for b in alignment.beads] == [((k,), (k,)) for k in range(5)]
    server = ReviewServer(Session.open(path))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    driver = chrome(Path(tempfile.mkdtemp(dir=tmp_path)))
    try:
        page = Page(driver)
        driver.get(server.url)
        page.idle()
        assert page.text("#progress").startswith("0 of 5 units confirmed · 0 rejected · ")
        with pytest.raises(NoAlertPresentException):
            driver.switch_to.alert.accept()
        assert driver.find_elements(page.by.CSS_SELECTOR, "tr#bead-1 .sent")[0].text == "<script>alert(1)</script>"

        page.keys("c")  # confirm unit 1, go to unit 2
        page.keys("j", "m")  # unit 3, merged with unit 4
        assert page.current() == (en[2:4], sr[2:4])
        page.keys("s", Keys.ENTER)  # split it again: the first sentence of each side apart
        assert page.current() == (en[2:3], sr[2:3])
        page.keys("j", "M")  # unit 4 merged with the previous one...
        page.keys("z")  # ...and undone
        assert "3 edits" in page.text("#history") and "1 undone" in page.text("#history")
        page.keys("e")  # back on unit 3 after the undo: edit its English sentence
        editor = driver.find_element(page.by.CSS_SELECTOR, "textarea.editor")
        editor.send_keys(Keys.END, Keys.BACKSPACE, " every day.", Keys.ENTER)
        page.idle()
        assert page.current()[0] == ["The harbour opens at six every day."]
        page.keys("t")  # the other script
        assert page.current()[1] == ["Лука се отвара у шест."]
        page.keys("t", "c", "w")  # confirm unit 3, export
        assert "wrote" in page.text("#message")
        driver.save_screenshot(str(tmp_path / "page.png"))
    finally:
        driver.quit()
        server.stop()
        thread.join(10)
    units = read_tmx(tmp_path / "harbour.reviewed.tmx").units
    assert [[v.text for v in u.variants] for u in units] == [
        [en[0], sr[0]], [en[1], sr[1]], ["The harbour opens at six every day.", sr[2]], [en[3], sr[3]], [en[4], sr[4]]]
    assert [u.prop("x-status") for u in units] == ["confirmed", None, "confirmed", None, None]
    saved = pipeline.load_alignment(path)
    assert saved.history.done == 5 and len(saved.history.steps) == 5


@pytest.mark.interop
def test_reviewed_tmx_files_are_valid_tmx_14(client, foreign, request):
    """The exported TMX of a review (x-status props, rejected units left out) and a foreign TMX written back, against
    the TMX 1.4 DTD that OmegaT ships."""
    dtd = request.getfixturevalue("tmx14_dtd")
    client.post("/api/edit", json={"ops": [{"op": "confirm", "src": [0], "tgt": [0]}]})
    client.post("/api/edit", json={"ops": [{"op": "reject", "src": [1], "tgt": [1]}]})
    written = [Path(client.post("/api/export", json={}).json()["written"][0])]
    session = open_review([foreign])
    session.edit([{"op": "link", "src": [1, 2], "tgt": [1, 2]}])
    session.edit([{"op": "confirm", "src": [0], "tgt": [0]}])
    written += session.export()[:1]
    for path in written:
        assert dtd.validate(etree.parse(str(path)).getroot()), (path, dtd.error_log.filter_from_errors())
