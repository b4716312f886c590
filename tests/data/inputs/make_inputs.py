"""Writes the encoded sample inputs of the read-stage, corpus and failure tests into this folder.

    .venv/bin/python tests/data/inputs/make_inputs.py

The texts are written for these tests (two short news items, English and Serbian in both scripts). Every file
is generated, so the bytes are exactly what each encoding, BOM and line-end convention produce; the tests
compare what `align.read.read_text` gives back with the texts below, and test_read checks that the committed
files are what this script writes.
"""
from __future__ import annotations

import codecs
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Document "harbour": two paragraphs. The last sentence carries Đ Š Č and ž, the letters whose bytes differ
# between windows-1250 and ISO-8859-2 (Š Ž š ž) or that only Serbian/Croatian use (Đ đ).
HARBOUR = {
    "en": ["The old harbour of the town was rebuilt last spring.",
           "Fishermen now sell their catch at the new market by the water.",
           "Tourists come every summer to watch the boats return at dusk.",
           None,
           "The mayor said that the project cost less than expected.",
           "Next year the town plans to open a small maritime museum.",
           "Đorđe Šimić from Čačak hurried to the opening."],
    "sr-Latn": ["Stara luka grada obnovljena je prošlog proleća.",
                "Ribari sada prodaju svoj ulov na novoj pijaci pored vode.",
                "Turisti dolaze svakog leta da gledaju kako se čamci vraćaju u suton.",
                None,
                "Gradonačelnik je rekao da je projekat koštao manje nego što se očekivalo.",
                "Sledeće godine grad planira da otvori mali pomorski muzej.",
                "Đorđe Šimić iz Čačka je žurno došao na otvaranje."],
    "sr-Cyrl": ["Стара лука града обновљена је прошлог пролећа.",
                "Рибари сада продају свој улов на новој пијаци поред воде.",
                "Туристи долазе сваког лета да гледају како се чамци враћају у сутон.",
                None,
                "Градоначелник је рекао да је пројекат коштао мање него што се очекивало.",
                "Следеће године град планира да отвори мали поморски музеј.",
                "Ђорђе Шимић из Чачка је журно дошао на отварање."],
}

# Document "library": one paragraph.
LIBRARY = {
    "en": ["The city library will stay open until midnight during the exam period.",
           "Students asked for longer hours last autumn.",
           "The director agreed and hired two new librarians.",
           "Coffee is still not allowed in the reading room."],
    "sr-Latn": ["Gradska biblioteka će tokom ispitnog roka raditi do ponoći.",
                "Studenti su prošle jeseni tražili duže radno vreme.",
                "Direktorka se složila i zaposlila dva nova bibliotekara.",
                "Kafa i dalje nije dozvoljena u čitaonici."],
    "sr-Cyrl": ["Градска библиотека ће током испитног рока радити до поноћи.",
                "Студенти су прошле јесени тражили дуже радно време.",
                "Директорка се сложила и запослила два нова библиотекара.",
                "Кафа и даље није дозвољена у читаоници."],
}

# Single Serbian sentences for the encoding benchmark: short inputs are where detection is hardest.
EXTRA_SENTENCES = {
    "sr-Latn": ["Žena je kupila šešir, džemper i šal za zimu.",
                "Učenici su u školi čitali pesme o ljubavi i njihovoj domovini.",
                "Ćutanje nije uvek znak slaganja, rekao je profesor.",
                "Šta ćemo jesti večeras, pitala je Željka."],
    "sr-Cyrl": ["Жена је купила шешир, џемпер и шал за зиму.",
                "Ученици су у школи читали песме о љубави и њиховој домовини.",
                "Ћутање није увек знак слагања, рекао је професор.",
                "Шта ћемо јести вечерас, питала је Жељка."],
}


def text_of(sentences: list[str | None]) -> str:
    """Sentences of a paragraph joined by spaces, paragraphs (split at None) by a blank line."""
    paragraphs, current = [], []
    for sentence in sentences + [None]:
        if sentence is None:
            paragraphs.append(" ".join(current))
            current = []
        else:
            current.append(sentence)
    return "\n\n".join(paragraphs) + "\n"


def encode(text: str, encoding: str, newline: str = "\n") -> bytes:
    """Bytes of `text` in `encoding`; utf-16-le/-be and utf-8-sig get their byte-order mark."""
    text = text.replace("\n", newline)
    boms = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}
    return boms.get(encoding, b"") + text.encode(encoding)


# name -> (document, side, encoding, line end): the plain-text samples of test_read.
ENCODED = {
    "sr-Latn.utf-8.txt": ("harbour", "sr-Latn", "utf-8", "\n"),
    "sr-Latn.utf-8-sig.crlf.txt": ("harbour", "sr-Latn", "utf-8-sig", "\r\n"),
    "sr-Latn.utf-16-le.txt": ("harbour", "sr-Latn", "utf-16-le", "\r\n"),
    "sr-Latn.utf-16-be.txt": ("harbour", "sr-Latn", "utf-16-be", "\n"),
    "sr-Latn.windows-1250.crlf.txt": ("harbour", "sr-Latn", "cp1250", "\r\n"),
    "sr-Latn.iso-8859-2.txt": ("harbour", "sr-Latn", "iso8859_2", "\n"),
    "sr-Cyrl.utf-8.cr.txt": ("harbour", "sr-Cyrl", "utf-8", "\r"),
    "sr-Cyrl.utf-16-le.txt": ("harbour", "sr-Cyrl", "utf-16-le", "\r\n"),
    "sr-Cyrl.utf-16-be.txt": ("harbour", "sr-Cyrl", "utf-16-be", "\n"),
    "sr-Cyrl.windows-1251.crlf.txt": ("harbour", "sr-Cyrl", "cp1251", "\r\n"),
    "sr-Cyrl.iso-8859-5.txt": ("harbour", "sr-Cyrl", "iso8859_5", "\n"),
    "en.utf-8.txt": ("harbour", "en", "utf-8", "\n"),
    "en.utf-16-le.crlf.txt": ("harbour", "en", "utf-16-le", "\r\n"),
}

# The corpus of test_corpus_batch: real-world variety of encodings across the files of one batch.
CORPUS = {
    "harbour/en.txt": ("harbour", "en", "utf-8", "\n"),
    "harbour/sr-Latn.txt": ("harbour", "sr-Latn", "cp1250", "\r\n"),
    "harbour/sr-Cyrl.txt": ("harbour", "sr-Cyrl", "utf-16-le", "\r\n"),
    "library/en.txt": ("library", "en", "utf-8-sig", "\n"),
    "library/sr.txt": ("library", "sr-Cyrl", "iso8859_5", "\n"),
}

DOCUMENTS = {"harbour": HARBOUR, "library": LIBRARY}


def html_page(title: str, paragraphs: list[str], charset: str) -> str:
    """A news page with what real pages have around the article: navigation, aside, form, scripts, styles.

    The page chrome is ASCII, so any code page holds it."""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="sr">
<head><meta charset="{charset}"><title>{title} | Portal</title>
<style>p {{ margin: 0 }}</style><script>var tracking = "<p>not text</p>";</script></head>
<body>
<header><a href="/">Portal</a>
<nav><ul><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav></header>
<aside><h2>Most read</h2><ul><li>Another story</li></ul></aside>
<main>
<article>
<header><h1>{title}</h1></header>
{body}
<form action="/comment"><label>Comment</label><textarea></textarea><button>Send</button></form>
<footer><p>Tags: town</p></footer>
</article>
</main>
<footer><p>All rights reserved.</p><script>track();</script></footer>
</body>
</html>
"""


def harbour_paragraphs(side: str) -> list[str]:
    return [p for p in text_of(HARBOUR[side]).strip().split("\n\n")]


HTML_TITLES = {"sr-Latn": "Luka je obnovljena", "sr-Cyrl": "Лука је обновљена"}


def billion_laughs() -> str:
    """Ten levels of ten references each: 10^9 copies of "lol" if a parser expanded them."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, 10)]
    return ('<?xml version="1.0"?>\n<!DOCTYPE html [\n' + "\n".join(entities) + "\n]>\n"
            '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Laughs: &lol9;</p></body></html>\n')


def files() -> dict[str, bytes]:
    """Every sample file, relative path -> bytes."""
    out: dict[str, bytes] = {}
    for name, (document, side, encoding, newline) in ENCODED.items():
        out[f"encodings/{name}"] = encode(text_of(DOCUMENTS[document][side]), encoding, newline)
    for name, (document, side, encoding, newline) in CORPUS.items():
        out[f"corpus/{name}"] = encode(text_of(DOCUMENTS[document][side]), encoding, newline)
    out["html/article.sr-Latn.html"] = html_page(
        HTML_TITLES["sr-Latn"], harbour_paragraphs("sr-Latn"), "utf-8").encode("utf-8")
    out["html/article.sr-Cyrl.windows-1251.htm"] = html_page(
        HTML_TITLES["sr-Cyrl"], harbour_paragraphs("sr-Cyrl"), "windows-1251").encode("cp1251")
    # An HTML page saved without an HTML extension: recognised by its start.
    out["html/article-saved-as.txt"] = html_page(
        HTML_TITLES["sr-Latn"], harbour_paragraphs("sr-Latn"), "utf-8").encode("utf-8")
    out["html/billion-laughs.xhtml"] = billion_laughs().encode("utf-8")
    out["bad/empty.txt"] = b""
    out["bad/whitespace.txt"] = b"  \r\n\t\n   \n"
    # A PNG signature and header chunk: NUL bytes, the usual mark of a binary file.
    out["bad/binary.txt"] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06"
    # High bytes without NULs that no encoding makes text of (seeded, so the file is stable).
    rng = random.Random(7)
    out["bad/undecodable.txt"] = bytes(rng.randrange(1, 256) for _ in range(600))
    # UTF-8 with one windows-1250 en dash pasted in: no single decoding reads it right
    out["bad/mixed-encodings.txt"] = ("Petrović će doći sutra.\nOdluka je konačna.\n".encode("utf-8")
                                      + b"Glasanje \x96 sutra.\n")
    out["bad/control-characters.txt"] = "Tekst sa zvonom \x07 u sredini.\n".encode("utf-8")
    out["bad/empty-article.html"] = (b"<!DOCTYPE html><html><body><nav><p>Menu</p></nav>"
                                     b"<script>x()</script></body></html>")
    return out


def main() -> None:
    for name, data in files().items():
        path = HERE / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"{len(data):6d} {name}")


if __name__ == "__main__":
    main()
