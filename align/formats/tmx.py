"""Write stage: TMX 1.4b translation memories, and reading / merging TMX files made by any tool.

A unit as `write_tmx` writes it (one per bead with sentences on both sides; 1-0 and 0-1 beads are
not units, the report lists them):

    <tu tuid="interview-0007">                  Alignment.unit_id: unique, stable across runs
      <prop type="x-confidence">0.9132</prop>   calibrated bead score in [0, 1], 4 decimals
      <prop type="x-bead">2-1</prop>            bead shape: source sentences - target sentences
      <prop type="x-document">interview</prop>
      <prop type="x-src-sentences">12,13</prop> 1-based sentence numbers in the segmented document,
      <prop type="x-tgt-sentences">12</prop>    as a reviewer counts them (`--beads` JSON is 0-based)
      <prop type="x-status">confirmed</prop>    only after a review: confirmed (or rejected, when rejected units
                                                are written at all: align write --include-rejected)
      <note>length-ratio: ...</note>            one note per quality flag: "name: reason"
      <tuv xml:lang="en"><seg>...</seg></tuv>
      <tuv xml:lang="sr-Latn"><seg>...</seg></tuv>
    </tu>

Serbian tags come from the script found in each unit's own text, not from the document: a document
that switches script half-way gets sr-Latn and sr-Cyrl units, each labelled truly. A unit without
letters (a date, a number) or one mixing both scripts takes the script most units of that
document are written in. `script="latn"|"cyrl"` converts every Serbian unit with align.script
and tags it accordingly.

Reading accepts TMX 1.1-1.4b (`lang` or `xml:lang`, any encoding the XML declaration names) and
keeps the header's and each <tu>'s and <tuv>'s attributes, props and notes. A variant is its language,
its translatable text (<hi> and <sub> text kept, the native codes in <bpt>/<ept>/<ph>/<it>/<ut> left
out: what the checks and the model read), its text with each code's native content in place ("You
have {0} messages": what a linguist exports) and, when its <seg> holds inline elements, that markup
exactly as written, which a merge or a review writes back unchanged.

Reading never loads DTDs, external entities or anything from the network. Entity declarations
are refused outright (as defusedxml does): TMX has no use for them, and they are how local files
leak and how "billion laughs" expands; libxml2's amplification limit stops a bomb before our
check even runs.
"""
from __future__ import annotations

import os
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .. import __version__
from ..errors import AlignError, AlignUsageError
from ..files import atomic_write
from ..languages import canonical_tag, is_serbian, primary_language, script_subtag
from ..languages.sr_script import CONVERSIONS, detect_script
from ..records import Alignment, Document

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TMX_SCRIPTS = ("keep", *CONVERSIONS)  # Serbian as found, or converted to one script
ALL_LANGUAGES = "*all*"  # TMX's srclang value when units differ in source language

# Characters XML 1.0 forbids (C0 controls but tab/LF/CR, surrogates, U+FFFE/U+FFFF). They cannot
# be written, so they are dropped; the ones Python treats as white space become a space so that
# "page\x0cbreak" keeps its word boundary.
_XML_FORBIDDEN = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# Inline elements holding native codes of the original format (e.g. "<b>"), not translatable text.
_CODE_ELEMENTS = frozenset({"bpt", "ept", "ph", "it", "ut"})


@dataclass(frozen=True)
class TmxVariant:
    """One language version of a unit: a <tuv> with its language tag and the content of its <seg>."""

    lang: str
    text: str  # the translatable text: inline codes left out
    codes: tuple[str, ...] = ()  # its <seg>'s inline markup: native codes (ph, bpt, ept, it, ut) and hi, in order
    markup: str | None = None  # the <seg>'s content as XML, exactly as read, when it holds inline elements
    pieces: tuple[tuple[bool, str], ...] = ()  # (is a code, text) in order, codes as their native text
    attrs: tuple[tuple[str, str], ...] = ()  # other <tuv> attributes (creationdate, ...)
    props: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def native(self) -> str:
        """The text with every inline code's native content in place: "You have {0} messages"."""
        return "".join(text for _, text in self.pieces) if self.pieces else self.text


@dataclass
class TmxUnit:
    """A translation unit (<tu>): its variants with props and notes in file order."""

    tuid: str | None
    variants: list[TmxVariant]
    props: list[tuple[str, str]] = field(default_factory=list)  # (type, value); types may repeat
    notes: list[str] = field(default_factory=list)
    attrs: dict[str, str] = field(default_factory=dict)  # other <tu> attributes (changedate, ...)

    def prop(self, kind: str) -> str | None:
        """The value of the first prop of this type, or None."""
        return next((value for prop_type, value in self.props if prop_type == kind), None)

    def variant(self, lang: str) -> TmxVariant | None:
        """The variant in language `lang`: the same tag, else the same primary language ("en" finds "en-US")
        but never another script ("sr-Cyrl" does not find "sr-Latn")."""
        exact = [v for v in self.variants if v.lang.lower() == lang.lower()]
        wanted_script = script_subtag(lang)
        related = [v for v in self.variants if primary_language(v.lang) == primary_language(lang)
                   and (wanted_script is None or script_subtag(v.lang) in (wanted_script, None))]
        return (exact or related or [None])[0]


@dataclass
class TmxDocument:
    """A whole TMX file: <tmx version>, <header> attributes, props and notes, and the units."""

    version: str
    header: dict[str, str]
    units: list[TmxUnit]
    header_props: list[tuple[str, str]] = field(default_factory=list)
    header_notes: list[str] = field(default_factory=list)

    @property
    def srclang(self) -> str | None:
        return self.header.get("srclang")

    def source_variant(self, unit: TmxUnit) -> TmxVariant | None:
        """The variant in the header's source language (TmxUnit.variant); the first one when srclang is *all*."""
        srclang = (self.srclang or "").lower()
        if srclang and srclang != ALL_LANGUAGES:
            return unit.variant(srclang)
        return unit.variants[0] if unit.variants else None

    def pairs(self) -> list[tuple[TmxUnit, TmxVariant, TmxVariant]]:
        """(unit, source variant, target variant) for every target variant of every unit, in order."""
        result = []
        for unit in self.units:
            source = self.source_variant(unit)
            if source is not None:
                result.extend((unit, source, variant) for variant in unit.variants if variant is not source)
        return result


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold (white-space ones become a space)."""
    return _XML_FORBIDDEN.sub(lambda m: " " if m.group().isspace() else "", text)


# ---------------------------------------------------------------------------------------------
# Writing


def creation_date() -> str:
    """Now as TMX wants it (YYYYMMDDThhmmssZ), or SOURCE_DATE_EPOCH for reproducible output."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        seconds = time.time()
    else:
        try:
            seconds = int(epoch)
        except ValueError:
            raise AlignError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {epoch!r}") from None
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(seconds))


def tmx_header(srclang: str) -> dict[str, str]:
    """The header attributes of a TMX written by this tool (all those TMX 1.4b requires)."""
    return {"creationtool": "align", "creationtoolversion": __version__, "segtype": "sentence",
            "o-tmf": "align", "adminlang": "en", "srclang": srclang, "datatype": "plaintext",
            "creationdate": creation_date()}


def _side_variants(doc: Document, texts: list[str], script: str) -> list[TmxVariant]:
    """The variants of one side of every unit; Serbian gets its script subtag (and conversion)."""
    if not is_serbian(doc.lang):
        return [TmxVariant(doc.tag, text) for text in texts]
    if script in CONVERSIONS:
        convert, tag = CONVERSIONS[script]
        return [TmxVariant(tag, convert(text)) for text in texts]
    found = [detect_script(text) for text in texts]
    counts = Counter(found)
    if counts["Latn"] != counts["Cyrl"]:  # letterless and mixed units take the document's main script
        dominant = "Latn" if counts["Latn"] > counts["Cyrl"] else "Cyrl"
    else:
        dominant = doc.script if doc.script in ("Latn", "Cyrl") else "Latn"
    return [TmxVariant(f"sr-{unit_script if unit_script in ('Latn', 'Cyrl') else dominant}", text)
            for unit_script, text in zip(found, texts, strict=True)]


def alignment_units(alignment: Alignment, script: str = "keep", include_rejected: bool = False) -> list[TmxUnit]:
    """The TMX units of one alignment, in document order. A unit a reviewer confirmed or rejected (Bead.status)
    says so in a prop `x-status`; rejected units (not translations) are left out unless `include_rejected`. Unit
    ids count the rejected units too, so rejecting one renames no other."""
    if script not in TMX_SCRIPTS:
        raise AlignError(f"unknown TMX script {script!r} (choose from {', '.join(TMX_SCRIPTS)})")
    beads = alignment.units
    sources = _side_variants(alignment.src, [alignment.src_text(b) for b in beads], script)
    targets = _side_variants(alignment.tgt, [alignment.tgt_text(b) for b in beads], script)
    return [TmxUnit(tuid=alignment.unit_id(position),
                    variants=[source, target],
                    props=[("x-confidence", f"{bead.score:.4f}"),
                           ("x-bead", bead.shape),
                           ("x-document", alignment.name),
                           ("x-src-sentences", ",".join(str(i + 1) for i in bead.src)),
                           ("x-tgt-sentences", ",".join(str(j + 1) for j in bead.tgt))]
                    + ([("x-status", bead.status)] if bead.status else []),
                    notes=[f"{flag.name}: {flag.reason}" for flag in bead.flags])
            for position, (bead, source, target) in enumerate(zip(beads, sources, targets, strict=True))
            if include_rejected or bead.status != "rejected"]


def write_tmx(alignments: list[Alignment], path: str | os.PathLike, script: str = "keep",
              include_rejected: bool = False) -> Path:
    """Write the units of `alignments` as one TMX 1.4b file; Serbian in `script` (keep|latn|cyrl); rejected units
    only with `include_rejected` (alignment_units)."""
    units = [unit for alignment in alignments for unit in alignment_units(alignment, script, include_rejected)]
    duplicates = [tuid for tuid, n in Counter(u.tuid for u in units).items() if n > 1]
    if duplicates:
        raise AlignError(f"two documents share the name behind unit id {duplicates[0]!r}; "
                         "give each document its own name", path)
    source_tags = {unit.variants[0].lang for unit in units}
    if not source_tags and alignments:
        source_tags = {alignments[0].src.tag}
    srclang = source_tags.pop() if len(source_tags) == 1 else ALL_LANGUAGES
    warnings = [f"{alignment.name}: {warning}" for alignment in alignments for warning in alignment.warnings]
    document = TmxDocument(version="1.4", header=tmx_header(srclang), units=units, header_notes=warnings)
    write_document(document, path)
    return Path(path)


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, tag, {k: xml_safe(v) for k, v in attrs.items()})
    if text is not None:
        element.text = xml_safe(text)
    return element


def _add_props_and_notes(parent: etree._Element, props: list[tuple[str, str]], notes: list[str]) -> None:
    for prop_type, value in props:
        _sub(parent, "prop", value, type=prop_type)
    for note in notes:
        _sub(parent, "note", note)


def document_xml(document: TmxDocument) -> bytes:
    """Serialize a TmxDocument as indented UTF-8 TMX (no DOCTYPE: some readers would fetch it)."""
    root = etree.Element("tmx", version=document.version)
    header = _sub(root, "header", **document.header)
    _add_props_and_notes(header, document.header_props, document.header_notes)
    body = _sub(root, "body")
    marked_up: list[tuple[etree._Element, str]] = []
    for unit in document.units:
        attrs = {"tuid": unit.tuid} if unit.tuid is not None else {}
        tu = _sub(body, "tu", **attrs, **unit.attrs)
        _add_props_and_notes(tu, unit.props, unit.notes)
        for variant in unit.variants:
            tuv = etree.SubElement(tu, "tuv", {XML_LANG: xml_safe(variant.lang), **dict(variant.attrs)})
            _add_props_and_notes(tuv, list(variant.props), list(variant.notes))
            seg = _sub(tuv, "seg", variant.text if variant.markup is None else None)
            if variant.markup is not None:
                marked_up.append((seg, variant.markup))
    etree.indent(root, space="  ")
    for tuv in root.iter("tuv"):  # <tuv xml:lang="en"><seg>...</seg></tuv> on one line, as CAT tools write it
        if len(tuv) == 1:
            tuv.text = tuv[0].tail = None
    for seg, markup in marked_up:  # after indent(), which would put white space between inline elements
        content = etree.fromstring(f"<seg>{markup}</seg>", _parser())  # as read, by the same safe parser
        seg.text = content.text
        seg.extend(content)
    return (b'<?xml version="1.0" encoding="UTF-8"?>\n'
            + etree.tostring(root, encoding="UTF-8", xml_declaration=False) + b"\n")


def write_document(document: TmxDocument, path: str | os.PathLike) -> None:
    """Write a TmxDocument atomically: the file appears complete or not at all."""
    data = document_xml(document)
    with atomic_write(path, "wb") as out:
        out.write(data)


# ---------------------------------------------------------------------------------------------
# Reading

def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           dtd_validation=False, remove_comments=True, remove_pis=True)


def _syntax_error(exc: etree.XMLSyntaxError, path: str | os.PathLike) -> AlignError:
    message = re.sub(r", line \d+, column \d+$", "", exc.msg or str(exc)).strip()
    line, column = exc.position if exc.position else (exc.lineno, 0)
    if "amplification" in message or "entity reference loop" in message:
        return AlignError("entity expansion beyond libxml2's bounds, refused (a 'billion laughs' file?)", path)
    return AlignError(f"line {line}, column {column}: not well-formed XML: {message}", path)


def _seg_text(element: etree._Element, path: str | os.PathLike) -> str:
    """The translatable text of a <seg>: its text and <hi>/<sub> content, without native codes."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child, etree._Entity):
            raise AlignError(f"line {child.sourceline}: undefined entity reference {child.text} (a TMX may use "
                             "only XML's predefined entities and character references)", path)
        if isinstance(child.tag, str) and child.tag not in _CODE_ELEMENTS:
            parts.append(_seg_text(child, path))
        parts.append(child.tail or "")
    return "".join(parts)


def _seg_pieces(seg: etree._Element) -> tuple[tuple[bool, str], ...]:
    """(is a code, text) for the runs of a <seg>: its text and <hi>/<sub> content, and each native code's content
    (the original format's markup or placeholder: "{0}", "<b>")."""
    pieces: list[tuple[bool, str]] = [(False, seg.text or "")]
    for child in seg:
        if isinstance(child.tag, str) and child.tag in _CODE_ELEMENTS:
            pieces.append((True, "".join(child.itertext())))
        elif isinstance(child.tag, str):
            pieces.extend(_seg_pieces(child))
        pieces.append((False, child.tail or ""))
    return tuple(piece for piece in pieces if piece[1])


def _seg_markup(seg: etree._Element) -> str | None:
    """The content of a <seg> as XML, exactly as read, when it holds inline elements; None for plain text."""
    if not len(seg):
        return None
    whole = etree.tostring(seg, encoding="unicode", with_tail=False)
    return whole[whole.index(">") + 1:whole.rindex("</")]


def _props_and_notes(element: etree._Element, path) -> tuple[list[tuple[str, str]], list[str]]:
    props = [(p.get("type", ""), _seg_text(p, path)) for p in element.findall("prop")]
    notes = [_seg_text(n, path) for n in element.findall("note")]
    return props, notes


def _read_unit(tu: etree._Element, path: str | os.PathLike) -> TmxUnit:
    variants = []
    for tuv in tu.findall("tuv"):
        lang = tuv.get(XML_LANG) or tuv.get("lang")  # TMX 1.1 and 1.2 use `lang`
        seg = tuv.find("seg")
        if lang is None:
            raise AlignError(f"line {tuv.sourceline}: <tuv> without xml:lang", path)
        props, notes = _props_and_notes(tuv, path)
        attrs = tuple((k, v) for k, v in tuv.attrib.items() if k not in (XML_LANG, "lang"))
        if seg is None:
            variants.append(TmxVariant(lang, "", attrs=attrs, props=tuple(props), notes=tuple(notes)))
            continue
        codes = tuple(code.tag for code in seg.iter(*_CODE_ELEMENTS, "hi"))
        markup = _seg_markup(seg)
        variants.append(TmxVariant(lang, _seg_text(seg, path), codes, markup,
                                   _seg_pieces(seg) if markup is not None else (), attrs, tuple(props), tuple(notes)))
    props, notes = _props_and_notes(tu, path)
    attrs = {k: v for k, v in tu.attrib.items() if k != "tuid"}
    return TmxUnit(tuid=tu.get("tuid"), variants=variants, props=props, notes=notes, attrs=attrs)


def parse_tmx(data: bytes, path: str | os.PathLike) -> TmxDocument:
    """Parse TMX bytes safely; every problem is one AlignError line naming `path`."""
    try:
        tree = etree.ElementTree(etree.fromstring(data, _parser()))
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc, path) from None
    dtd = tree.docinfo.internalDTD
    declared = [entity.name for entity in dtd.iterentities()] if dtd is not None else []
    if declared:
        raise AlignError(f"the DOCTYPE declares entity '{declared[0]}'; entity declarations are refused "
                         "(they can read local files or expand without bound)", path)
    root = tree.getroot()
    if root.tag != "tmx":
        raise AlignError(f"not a TMX file: the root element is <{root.tag}>, not <tmx>", path)
    header, body = root.find("header"), root.find("body")
    if body is None:
        raise AlignError("not a TMX file: no <body>", path)
    header_props, header_notes = _props_and_notes(header, path) if header is not None else ([], [])
    return TmxDocument(version=root.get("version", ""),
                       header=dict(header.attrib) if header is not None else {},
                       units=[_read_unit(tu, path) for tu in body.findall("tu")],
                       header_props=header_props, header_notes=header_notes)


def read_tmx(path: str | os.PathLike) -> TmxDocument:
    """Read a TMX 1.1-1.4b file of any encoding its XML declaration names."""
    try:
        data = Path(path).read_bytes()  # read here, not by libxml2, which would also inflate .gz
    except FileNotFoundError as exc:  # a wrong path on the command line: a usage error, as for text inputs
        raise AlignUsageError(f"cannot read: {exc.strerror}", path) from exc
    except OSError as exc:
        raise AlignError(f"cannot read: {exc.strerror}", path) from exc
    return parse_tmx(data, path)


# ---------------------------------------------------------------------------------------------
# Merging

def unit_key(unit: TmxUnit) -> tuple[tuple[str, str], ...]:
    """What makes two units identical: the same texts, inline codes and all, in the same languages."""
    return tuple(sorted((canonical_tag(v.lang), v.text if v.markup is None else v.markup) for v in unit.variants))


def merge_tmx(paths: list[str | os.PathLike], output: str | os.PathLike) -> tuple[int, int]:
    """Merge TMX files into `output`, keeping the first of identical units: (kept, dropped).

    Units keep their tuid, attributes, props and notes; a tuid already taken by another file's unit
    gets a suffix (".2", ".3", ...) so the merged ids stay unique. Inline codes of foreign files are
    merged as their text (see `_seg_text`). All files must hold the same languages (scripts may differ:
    sr-Latn and sr-Cyrl merge) with the same source language; a merge of en-sr with de-fr, or of en->sr with
    sr->en, would give exports whose columns mix languages.
    """
    documents = [read_tmx(path) for path in paths]
    first = None
    for path, document in zip(paths, documents):
        languages = frozenset(primary_language(v.lang) for unit in document.units for v in unit.variants)
        source = primary_language(document.srclang) if document.srclang not in (None, ALL_LANGUAGES) else None
        if first is None:
            first = (paths[0], languages, source)
        elif languages != first[1] or None not in (source, first[2]) and source != first[2]:
            def describe(langs, src):
                return f"{'/'.join(sorted(langs))} with source {src or '*all*'}"
            raise AlignError(f"holds {describe(languages, source)}, but {first[0]} holds "
                             f"{describe(first[1], first[2])}: merge files of one language pair and direction", path)
    seen: set[tuple[tuple[str, str], ...]] = set()
    used_ids: set[str] = set()
    kept: list[TmxUnit] = []
    dropped = 0
    for document in documents:
        for unit in document.units:
            key = unit_key(unit)
            if key in seen:
                dropped += 1
                continue
            seen.add(key)
            if unit.tuid is not None:
                tuid, n = unit.tuid, 1
                while tuid in used_ids:
                    n += 1
                    tuid = f"{unit.tuid}.{n}"
                used_ids.add(tuid)
                unit = TmxUnit(tuid, unit.variants, unit.props, unit.notes, unit.attrs)
            kept.append(unit)
    srclangs = {canonical_tag(d.srclang) if d.srclang != ALL_LANGUAGES else d.srclang
                for d in documents if d.srclang}
    srclang = srclangs.pop() if len(srclangs) == 1 else ALL_LANGUAGES
    write_document(TmxDocument(version="1.4", header=tmx_header(srclang), units=kept), output)
    return len(kept), dropped
