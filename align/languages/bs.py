"""Bosnian: Serbian's boundary rules and abbreviations (reldi-tokeniser has no Bosnian list)."""
from __future__ import annotations

from . import Language
from .sr import serbo_croatian_rules

LANGUAGE = Language(code="bs", name="Bosnian", splitter="rules", split_rules=serbo_croatian_rules("sr"),
                    scripts=("Latn", "Cyrl"))
