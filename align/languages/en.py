"""English: sentence-boundary data and its commonest words."""
from __future__ import annotations

from . import Language, SplitRules, stems, words

# Never a sentence end before a capital: titles and abbreviations always followed by more text.
NEVER = """
mr mrs ms dr prof gen lt col maj capt cmdr adm brig sgt cpl pvt gov sen rep pres amb rev hon messrs
mme mlle msgr supt insp det fr vs v e.g i.e cf viz approx ca
"""
# Sentence-final only before a word that starts a sentence.
AMBIGUOUS = """
inc ltd co corp jr sr bros plc llc dept univ assn ave blvd rd st mt ft al a.m p.m u.s u.k u.n e.u d.c
n.y l.a ph.d esq jan feb mar apr jun jul aug sep sept oct nov dec est govt
"""
ALWAYS = "etc"
NUMBER_ABBREVIATIONS = "no nos art arts p pp vol vols ch fig figs sec para tel ext loc"
# Clock times: "8 p.m. Results are ..." ends a sentence before any capital except the words that
# go on stating the time ("4 p.m. Friday", "7 p.m. Eastern time", "9 a.m. GMT").
CLOCK_ABBREVIATIONS = "a.m p.m"
CLOCK_FOLLOWERS = """
monday tuesday wednesday thursday friday saturday sunday january february march april may june july
august september october november december jan feb mar apr jun jul aug sep sept oct nov dec
eastern central pacific mountain atlantic local et est edt ct cst cdt mt mst mdt pt pst pdt gmt utc
bst cet cest eet eest
"""
# Words that commonly open a sentence (function words, sentence adverbs): after an ambiguous
# abbreviation or an initial, a capitalised word from this list starts a sentence.
STARTERS = """
the a an this that these those it its he she they we i you his her their our my your there here
but and or so yet nor in on at by with from as after before since during when while if although
though because however meanwhile moreover furthermore also then now today yesterday tomorrow still
thus therefore instead indeed what who why how where which whose all some many most both each
every no not one two three other another such according despite under over through among between
without within against about around last next earlier later first second finally overall even only
just yes let please several few none neither either nothing everyone everything someone something
nobody there's it's that's he's she's we're they're i'm i've we've let's don't can't
"""
# Nouns followed by a one-letter name ("group B.", "vitamin C."), so the letter is no initial.
LETTER_NOUNS = """
group plan vitamin type category block sector zone phase option variant entrance annex point class
grade hepatitis model series section part appendix exhibit
"""
# Words before a year ("In 2019 A. Smith ...": the capital after the year is an initial, not a unit) and
# before a reference number ("page 5 A. Smith").
YEAR_WORDS = "in since until year"
REFERENCE_WORDS = "page pages point section item no number chapter article room"
# The commonest words, none of which Serbian shares (not "to", nor "I", which is Serbian "and"): they tell
# English text from Serbian text (align.quality's document verdict).
FUNCTION_WORDS = "the and of in is that for it with as was on are be this by not have from"

LANGUAGE = Language(
    code="en", name="English", splitter="rules",
    split_rules=SplitRules(
        never=words(NEVER), ambiguous=words(AMBIGUOUS), always=words(ALWAYS),
        number_abbreviations=words(NUMBER_ABBREVIATIONS), starters=words(STARTERS),
        clock_abbreviations=words(CLOCK_ABBREVIATIONS), clock_followers=words(CLOCK_FOLLOWERS),
        letter_nouns=stems(words(LETTER_NOUNS)), year_words=words(YEAR_WORDS),
        reference_words=words(REFERENCE_WORDS)),
    function_words=words(FUNCTION_WORDS),
)
