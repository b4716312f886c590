"""The document verdict: what makes a whole alignment suspect -- two files that are not translations of each
other, or languages other than the ones declared (swapped, or the wrong file). Every unit of a suspect document
carries the severe flag mismatched-documents (align.quality.checks.mismatched)."""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from ..languages import known_languages, language
from ..languages.sr_script import to_latin
from ..records import Alignment

# The aligned 1-1 sentence pairs must be this many standard deviations more similar than two sentences of the two
# documents taken at random. Measured with multilingual-e5-small (bench/bench_mismatch.py) on 31 translated
# documents (interview, blind EN-SR, Text+Berg, MAC, ParIce: 1.78 and up) and 73 pairs of different documents of
# the same sets, or halves of different parts (1.04 at most); standardised, so that it holds for models of other
# scales.
TRANSLATION_MIN_Z = 1.5
# With n pairs z cannot exceed sqrt(n - 1), and short lists of look-alike sentences (menus, opening hours) sit
# near the threshold even when translated: documents with fewer 1-1 pairs are not judged.
TRANSLATION_MIN_PAIRS = 12
# When one side's language has letters few others use (Serbian: Cyrillic, č ć š ž đ), the other side must not
# read as more of it than that side: the share of those letters is 0.03-0.06 in Serbian Latin, 1 in Cyrillic,
# 0-0.02 in English text full of Serbian names.
DISTINCTIVE_LETTERS_MIN = 0.01
# A side declared in a language with a list of commonest words (English, Serbian) must not read as another such
# language: the words counted when at least this many are found, one language's outnumbering the others' this
# many times.
FUNCTION_WORDS_MIN = 20
FUNCTION_WORDS_RATIO = 3
_WORD = re.compile(r"[^\W_][\w'’-]*")


def translation_z(src_embeddings: np.ndarray, tgt_embeddings: np.ndarray, pairs: Sequence[tuple[int, int]]) -> float:
    """How many standard deviations the (i, j) sentence pairs are more similar, on average, than any source
    sentence with any target sentence (the mean and spread of all n x m cosines, without the n x m matrix)."""
    n, m = len(src_embeddings), len(tgt_embeddings)
    src, tgt = src_embeddings.astype(np.float64), tgt_embeddings.astype(np.float64)
    mean = float(src.mean(0) @ tgt.mean(0))
    # mean of squared cosines = <S'S, T'T> / nm: d x d products instead of the n x m matrix
    variance = float(np.sum((src.T @ src) * (tgt.T @ tgt))) / (n * m) - mean ** 2
    paired = float(np.mean([src[i] @ tgt[j] for i, j in pairs]))
    return (paired - mean) / math.sqrt(max(variance, 1e-12))


def letter_share(texts: Sequence[str], letters: frozenset[str]) -> float:
    """The share of the texts' letters that are among `letters`."""
    total = special = 0
    for text in texts:
        for char in text:
            if char.isalpha():
                total += 1
                special += char in letters
    return special / total if total else 0.0


def function_word_language(texts: Sequence[str]) -> str | None:
    """The language (of those with a list of commonest words) the texts' commonest words clearly say; None when
    they do not say clearly, or too few are found. Cyrillic is read as Latin."""
    lists = {spoken.code: spoken.function_words for spoken in known_languages() if spoken.function_words}
    counts = Counter()
    for text in texts:
        for word in _WORD.findall(to_latin(text).lower()):
            counts.update(code for code, words in lists.items() if word in words)
    if counts.total() < FUNCTION_WORDS_MIN:
        return None
    (top, n), *rest = counts.most_common()
    return top if not rest or n >= FUNCTION_WORDS_RATIO * rest[0][1] else None


def document_problems(alignment: Alignment) -> list[str]:
    """What makes the whole alignment suspect: files that are not translations, or in other languages than
    declared (swapped, or the wrong file)."""
    problems = []
    pairs = [(b.src[0], b.tgt[0]) for b in alignment.beads if len(b.src) == len(b.tgt) == 1]
    if alignment.src_embeddings is not None and len(pairs) >= TRANSLATION_MIN_PAIRS:
        z = translation_z(alignment.src_embeddings, alignment.tgt_embeddings, pairs)
        if z < TRANSLATION_MIN_Z:
            problems.append(f"the two documents do not read as translations of each other: aligned sentences are "
                            f"only {z:.1f} standard deviations more similar than random pairs (translations: "
                            f"{TRANSLATION_MIN_Z} or more); wrong file?")
    sides = {"source": alignment.src, "target": alignment.tgt}
    misread = []
    for side, doc in sides.items():
        declared = language(doc.lang)
        found = function_word_language(doc.texts) if declared.function_words else None
        if found and found != declared.code:
            misread.append(f"the {side} is declared {doc.lang} but reads as {language(found).name}: wrong file "
                           "or --src-lang/--tgt-lang?")
    problems += misread
    distinctive = [side for side, doc in sides.items() if language(doc.lang).distinctive_letters]
    if len(distinctive) == 1 and not misread:  # letters, for a pair other than English-Serbian
        own = distinctive[0]
        other = "target" if own == "source" else "source"
        spoken = language(sides[own].lang)
        share = {side: letter_share(doc.texts, spoken.distinctive_letters) for side, doc in sides.items()}
        if share[other] >= DISTINCTIVE_LETTERS_MIN and share[other] > 2 * share[own]:
            problems.append(f"the {other} ({sides[other].lang}) reads as {spoken.name} and the {own} "
                            f"({sides[own].lang}) does not: are the files or languages swapped?")
    return problems
