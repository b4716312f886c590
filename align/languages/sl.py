"""Slovenian: the boundary rules with reldi-tokeniser's Slovenian abbreviations (a period after a number marks an ordinal)."""
from __future__ import annotations

from . import Language, SplitRules, reldi_abbreviations

_ABBREVIATIONS = reldi_abbreviations("sl")

LANGUAGE = Language(code="sl", name="Slovenian", splitter="rules",
                    split_rules=SplitRules(never=_ABBREVIATIONS["N"], ambiguous=_ABBREVIATIONS["B"],
                                           always=_ABBREVIATIONS["S"], ordinal_periods=True))
