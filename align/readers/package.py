"""What the container readers (DOCX, ODT, EPUB) share: a zip read with bounds, and XML parsed safely.

Zip: a member is inflated in chunks and refused past MAX_MEMBER bytes, and the members read from one file past
MAX_TOTAL together, so a zip bomb (a few KB inflating to gigabytes) costs a bounded amount of memory and time;
an archive of more than MAX_MEMBERS entries is refused before anything is inflated.

XML: lxml with network access, DTD loading and entity expansion off; an internal DTD subset declaring entities
(how "billion laughs" and local file leaks are written; office formats never use one) is refused, as
align.formats.tmx does for TMX.
"""
from __future__ import annotations

import io
import os
import zipfile

from lxml import etree

from ..errors import AlignError

ZIP_MAGIC = b"PK\x03\x04"
MAX_MEMBER = 64 * 2**20
MAX_TOTAL = 256 * 2**20
MAX_MEMBERS = 10_000


class Package:
    """A zip container's members, read with bounds; every problem is an AlignError naming the file."""

    def __init__(self, data: bytes, path: str | os.PathLike):
        self.path = path
        self.inflated = 0
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            entries = self.zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise AlignError(f"damaged zip container ({exc})", path) from None
        if len(entries) > MAX_MEMBERS:
            raise AlignError(f"zip container with {len(entries)} entries: too many to be a document", path)
        self.names = {entry.filename for entry in entries}

    def __contains__(self, name: str) -> bool:
        return name in self.names

    def read(self, name: str) -> bytes:
        """A member's bytes, inflated with bounds."""
        if name not in self.names:
            raise AlignError(f"damaged container: {name} is missing", self.path)
        chunks = []
        size = 0
        try:
            with self.zip.open(name) as member:
                while chunk := member.read(2**20):
                    size += len(chunk)
                    self.inflated += len(chunk)
                    if size > MAX_MEMBER or self.inflated > MAX_TOTAL:
                        raise AlignError(f"{name} inflates to more than {min(MAX_MEMBER, MAX_TOTAL) // 2**20} MB: "
                                         "refused (a zip bomb?)", self.path)
                    chunks.append(chunk)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
            raise AlignError(f"damaged container: cannot read {name} ({exc})", self.path) from None
        return b"".join(chunks)

    def text(self, name: str, limit: int = 4096) -> str:
        """The start of a small member as text (a mimetype, say), or "" if it is not there."""
        return self.read(name)[:limit].decode("utf-8", "replace").strip() if name in self.names else ""

    def xml(self, name: str) -> etree._Element:
        return parse_xml(self.read(name), self.path, name)


def open_package(data: bytes, path: str | os.PathLike) -> Package | None:
    """The package, if the bytes are a zip container (None otherwise)."""
    return Package(data, path) if data.startswith(ZIP_MAGIC) else None


def xml_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           dtd_validation=False, remove_comments=True, remove_pis=True)


def parse_xml(data: bytes, path: str | os.PathLike, part: str = "") -> etree._Element:
    """An XML document's root, parsed safely; one AlignError naming the file (and the part of a container)."""
    where = f"{part}: " if part else ""
    try:
        root = etree.fromstring(data, xml_parser())
    except etree.XMLSyntaxError as exc:
        raise AlignError(f"{where}not well-formed XML ({exc.msg})", path) from None
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise AlignError(f"{where}the DOCTYPE declares entities: refused (they can read local files or expand "
                         "without bound)", path)
    return root


def local_name(element) -> str:
    """An element's name without its namespace ("" for comments, processing instructions and entities)."""
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def attribute(element, name: str) -> str | None:
    """An attribute's value by its name without namespace (w:val, text:style-name), or None."""
    return next((value for key, value in element.attrib.items() if key.rsplit("}", 1)[-1] == name), None)
