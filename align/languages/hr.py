"""Croatian: Serbian's boundary rules with reldi-tokeniser's Croatian abbreviations."""
from __future__ import annotations

from . import Language
from .sr import serbo_croatian_rules

LANGUAGE = Language(code="hr", name="Croatian", splitter="rules", split_rules=serbo_croatian_rules("hr"))
