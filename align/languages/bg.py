"""Bulgarian: the boundary rules with reldi-tokeniser's Bulgarian abbreviations (a period after a number marks an ordinal)."""
from __future__ import annotations

from . import Language, SplitRules, reldi_abbreviations

_ABBREVIATIONS = reldi_abbreviations("bg")

LANGUAGE = Language(code="bg", name="Bulgarian", splitter="rules",
                    split_rules=SplitRules(never=_ABBREVIATIONS["N"], ambiguous=_ABBREVIATIONS["B"],
                                           always=_ABBREVIATIONS["S"], ordinal_periods=True))
