"""The document verdict: what makes a whole alignment suspect -- two files that are not translations of each
other, or languages other than the ones declared (swapped, or the wrong file). Every unit of a suspect document
carries the severe flag mismatched-documents (align.quality.checks.mismatched)."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from ..languages import known_languages, language
from ..languages.sr_script import to_latin
from ..records import Alignment, Bead

# Two translations match sentence for sentence in order; two texts that are not translations of each other match no
# better in their own order than shuffled. The gain of the best in-order pairing over shuffled pairings, per
# sentence of the shorter side, in standard deviations of the document's own similarities (in_order_gain), must be
# at least this. Chosen on windows of 5-30 sentences cut from Text+Berg dev and MAC dev, measured on windows of the
# other accuracy sets (bench/bench_mismatch.py, multilingual-e5-small): at 5 sentences a side 1.4% of translations
# fall below it, and 95.9% of unrelated pairs of similar topic (windows of the same or a neighbouring document);
# all sizes together 0.8% and 97.2%. Whole translated documents measure 0.72 and up, whole mismatched ones 0.16 at
# most. Standardised, so that it holds for models of other scales and for every language pair.
TRANSLATION_MIN_GAIN = 0.2
# Fewer sentences than this on either side are not judged: a pairing of 3 or 4 sentences may be in order by chance.
TRANSLATION_MIN_SENTENCES = 5
# Longer documents are judged on their first this many sentences a side (the leading beads): the n x m similarities
# of a book are more than the verdict needs.
TRANSLATION_MAX_SENTENCES = 1000
# Shuffled pairings tried: as many as fit in this many similarity cells (at least 8, at most 200); the seed is
# fixed, so the verdict is a function of the two documents.
SHUFFLED_CELLS = 5_000_000
SHUFFLE_SEED = 0
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


def in_order_gain(src_embeddings: np.ndarray, tgt_embeddings: np.ndarray) -> float:
    """How much better the two documents' sentences match in their own order than with the target's shuffled: the
    best order-preserving pairing of sentences (any sentence may stay unpaired) sums the standardised cosines of
    its pairs; its sum minus the mean sum over seeded shuffles of the target, per sentence of the shorter side.

    About 1 to 3 for translations, about 0 for texts that are not translations of each other, however similar
    their topic and however short: the shuffles give the best pairing unrelated sentences can reach by chance."""
    src, tgt = src_embeddings.astype(np.float64), tgt_embeddings.astype(np.float64)
    cosines = src @ tgt.T
    standardised = (cosines - cosines.mean()) / max(float(cosines.std()), 1e-12)
    n, m = standardised.shape
    shuffles = int(np.clip(SHUFFLED_CELLS // (n * m), 8, 200))
    rng = np.random.default_rng(SHUFFLE_SEED)
    orders = np.stack([np.arange(m)] + [rng.permutation(m) for _ in range(shuffles)])
    # best[k, j]: the best pairing of the source rows so far with the first j targets in order k
    best = np.zeros((len(orders), m + 1))
    for row in standardised:
        paired = np.maximum(best[:, 1:], best[:, :-1] + row[orders])
        best[:, 1:] = np.maximum.accumulate(paired, axis=1)
    return float(best[0, -1] - best[1:, -1].mean()) / min(n, m)


def leading_block(beads: Sequence[Bead], limit: int) -> tuple[int, int]:
    """How many source and target sentences the leading beads hold, at most `limit` a side."""
    n = m = 0
    for bead in beads:
        if n + len(bead.src) > limit or m + len(bead.tgt) > limit:
            break
        n, m = n + len(bead.src), m + len(bead.tgt)
    return n, m


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
    n, m = leading_block(alignment.beads, TRANSLATION_MAX_SENTENCES)
    if alignment.src_embeddings is not None and min(n, m) >= TRANSLATION_MIN_SENTENCES:
        gain = in_order_gain(alignment.src_embeddings[:n], alignment.tgt_embeddings[:m])
        if gain < TRANSLATION_MIN_GAIN:
            problems.append(f"the two documents do not read as translations of each other: their sentences pair up "
                            f"in order hardly better than shuffled (gain {gain:.2f} a sentence; translations: "
                            f"{TRANSLATION_MIN_GAIN} or more); wrong file?")
    sides = {"source": alignment.src, "target": alignment.tgt}
    found = {side: function_word_language(doc.texts) if language(doc.lang).function_words else None
             for side, doc in sides.items()}
    misread = [side for side, doc in sides.items() if found[side] and found[side] != language(doc.lang).code]
    if misread == ["source", "target"] and found["source"] == language(alignment.tgt.lang).code \
            and found["target"] == language(alignment.src.lang).code:
        problems.append(f"the files look swapped: the source reads as {language(found['source']).name} and the "
                        f"target as {language(found['target']).name}; give them the other way round, or "
                        f"--src-lang {alignment.tgt.lang} --tgt-lang {alignment.src.lang}")
    else:
        problems += [f"the {side} is declared {sides[side].lang} but reads as {language(found[side]).name}: wrong "
                     "file or --src-lang/--tgt-lang?" for side in misread]
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
