"""Serbian, in Latin and Cyrillic script: sentence-boundary data (shared by Croatian and Bosnian), its commonest
words, its 8-bit code pages and letters, and the form given to the model (always Latin script).

The script itself (detection, conversion both ways) is align.languages.sr_script. Every word list below is
written in Latin and holds both scripts once built (`both_scripts`).
"""
from __future__ import annotations

import functools
import re

from . import Language, SplitRules, reldi_abbreviations, stems, words
from .sr_script import SERBIAN_CYRILLIC_LETTERS, SERBIAN_LATIN_LETTERS, to_cyrillic, to_latin

# Never a sentence end before a capital: titles and abbreviations always followed by more text.
NEVER = """
prof dr doc mr gen pukov puk kap gosp gđa ing inž dipl akad mons msgr vlč sv ul tzv npr tj br str čl
st tač al v.d t.j
"""
# Sentence-final only before a word that starts a sentence (on top of reldi-tokeniser's lists).
AMBIGUOUS = """
mil mlrd god sl d.o.o a.d d.d j.p o.d doo tel ok pr prim aut prev ur izd knj pog red pok min sek kol
cca
"""
# Sentence-final before any capital ("itd." = etc.).
ALWAYS = "itd"

# Words that commonly open a sentence (function words, sentence adverbs): after an ambiguous
# abbreviation, an initial or an ordinal number, a capitalised word from this list starts a sentence.
STARTERS = """
ja ti on ona ono mi vi oni one to ta taj te ovo ova ovaj ove ovi onaj tog toga tom tome tim ovog ovoga
ovom ovome ovim takav takva takvo takvi ovakav ovakva sve svi sav svaki svaka svako svakog svim mnogi
mnoge mnogo neki neka neko nešto nekoliko niko ništa nijedan nijedna većina ko šta što koji koja koje
čiji gde kada kad kako zašto koliko njegov njegova njegovo njegovi njen njena njeno njeni njihov
njihova njihovo njihovi moj moja moje naš naša naše naši vaš vaša vaše njemu njoj njima nama vama
meni mene tebi tebe njega nje njih nas vas ostali ostale ostalo ostalih ovakvi takve
i a ali ili pa te ni niti no jer da ne već dok ako iako mada premda čim kao međutim ipak zato stoga
dakle naime inače takođe tako tada onda zatim potom posle pre nakon kasnije ranije sada danas juče
sutra sutradan još čak samo upravo evo eto nije nisu jeste jesu bilo bio bila bili biće treba može
mora ima nema postoji postoje prema osim uprkos zbog pored umesto tokom putem radi
u na za od do po sa s iz o k ka kod kroz uz bez pri pod nad pred među između iza ispod iznad oko
protiv preko
prvi prva prvo drugi druga drugo treći treća jedan jedna jedno jedini naravno verovatno vjerovatno
možda svakako zapravo uostalom konačno najzad ovde ovdje tamo tu ovako onako posebno pritom štaviše
prošle prošlog sledeće sledećeg sledeći sledeća naredne narednog ove ovih tih iste istog trenutno
nedavno uskoro odmah najpre prije poslije sljedeće sljedeći također
prisutni prisutne odsutni odsutne
"""
# Words before an ordinal number ("na 15. Sajmu", "članom 54. Ustava", "održan je 4. Svetski
# kongres"): after them a number with a period does not end the sentence.
BEFORE_ORDINALS = """
sa s iz pred posle nakon tokom povodom uoči prilikom pre između čl st tač
član člana članu članom stav stava stavu stavom stavka stavak tačka tačke tački tačkom tačku alineja
alineje alineji odeljak odeljka odeljku paragraf paragrafa pasus pasusa članak članka točka točke točki
"""
# Prepositions before an ordinal or a cardinal: "na 15. Sajmu" (the next word inflected) is an
# ordinal, "porastao je na 12. Spasioci ..." (a nominative opens a sentence) a cardinal.
CASE_PREPOSITIONS = "na u o po pri do za od"
# Labels before a cardinal ("br. 12", "str. 45"): a period after that number is no ordinal's.
NUMBER_ABBREVIATIONS = "br str tel č lok obr sl tab"  # č. = broj (number), lok. = lokal, obr. = obrazac
OBLIQUE = re.compile(r"\w+(?:u|om|em|oj|ji|im|ima|ama|og|oga|ih|у|ом|ем|ој|ји|им|има|ама|ог|ога|их)$", re.IGNORECASE)
MONTHS = """
januar januara februar februara mart marta april aprila maj maja jun juna jul jula avgust avgusta
septembar septembra oktobar oktobra novembar novembra decembar decembra siječnja veljače ožujka
travnja svibnja lipnja srpnja kolovoza rujna listopada studenoga studenog prosinca
"""
DATE_OPENERS = "dana na u od do posle nakon pre tokom krajem početkom sredinom zaključno"
# Auxiliaries between a participle and an ordinal: "otvoren je 65. Sajam knjiga".
AUXILIARIES = "je su se bio bila bilo bili biće"
# Endings of the participles and adjectives that come before and after an ordinal in event and institution
# names ("održan 24. Egzit festival", "4. Svetski kongres", "3. Beogradsku gimnaziju").
PARTICIPLE = re.compile(r"\w{3,}(?:an|en|ana|ena|ano|eno|ani|eni|ан|ен|ана|ена|ано|ено|ани|ени)$")
ADJECTIVE = re.compile(
    r"\w{2,}(?:sk|čk|šk|n|ov|ev|in)(?:i|a|o|e|og|oga|om|omu|oj|u|ih|im|ima)$"
    r"|\w{2,}(?:ск|чк|шк|н|ов|ев|ин)(?:и|а|о|е|ог|ога|ом|ому|ој|у|их|им|има)$", re.IGNORECASE)
# Nouns followed by a one-letter name ("u grupi B.", "vitamina C."), so the letter is no initial.
LETTER_NOUNS = """
grup plan vitamin tip kategorij blok sektor zon faz opcij varijant ulaz prilog tačk klas hepatitis
model seri sprat pojas odeljenj razred slov
"""
# "i dr." (and others), "i sl." (and the like), "i tsl.": sentence-final before a capital
AND_WORDS = "i"
AND_OTHERS = "dr sl tsl"
# As English's: "u 2019 A. ...", "tačka 3 A. Petrović".
YEAR_WORDS = "u godine leta"
REFERENCE_WORDS = "tačka tačke tačku stav član strana strani"
INITIAL_DIGRAPHS = frozenset({"Lj", "Nj", "Dž", "LJ", "NJ", "DŽ"})

# The commonest words, none of which English shares (not "i", which is English "I", nor "to").
FUNCTION_WORDS = "je u da se na su za od koji ne sa ali kao što iz po ili će bio biti smo sam"
# 8-bit code pages of Serbian text, most common first: Latin in windows-1250 / ISO-8859-2, Cyrillic in
# windows-1251 / ISO-8859-5 (align.readers.decoding tries them in this order; the earlier wins a tie).
CODEPAGES = ("cp1250", "iso8859_2", "cp1251", "iso8859_5")


def both_scripts(latin: frozenset[str]) -> frozenset[str]:
    return latin | {to_cyrillic(w) for w in latin}


@functools.lru_cache(maxsize=None)
def serbo_croatian_rules(abbreviations: str) -> SplitRules:
    """The boundary rules of Serbian, Croatian and Bosnian: these word lists, with reldi-tokeniser's abbreviation
    list of `abbreviations` ("sr" or "hr")."""
    reldi = reldi_abbreviations(abbreviations)
    always = both_scripts(words(ALWAYS))
    ambiguous = both_scripts(words(AMBIGUOUS))
    never = both_scripts(words(NEVER) | reldi["N"]) - ambiguous - always
    return SplitRules(
        never=never, always=always,
        ambiguous=ambiguous | both_scripts(reldi["B"] | reldi["S"]) - never - always,
        number_abbreviations=both_scripts(words(NUMBER_ABBREVIATIONS)),
        starters=both_scripts(words(STARTERS)),
        before_ordinals=both_scripts(words(BEFORE_ORDINALS)),
        ordinal_periods=True, adjective=ADJECTIVE, participle=PARTICIPLE,
        case_prepositions=both_scripts(words(CASE_PREPOSITIONS)), oblique=OBLIQUE,
        auxiliaries=both_scripts(words(AUXILIARIES)),
        months=both_scripts(words(MONTHS)),
        date_openers=both_scripts(words(DATE_OPENERS)),
        letter_nouns=stems(both_scripts(words(LETTER_NOUNS))),
        and_words=both_scripts(words(AND_WORDS)), and_others=both_scripts(words(AND_OTHERS)),
        year_words=both_scripts(words(YEAR_WORDS)), reference_words=both_scripts(words(REFERENCE_WORDS)),
        initial_digraphs=INITIAL_DIGRAPHS)


def model_text(text: str) -> str:
    """Serbian is given to the model in Latin script whatever it is written in: multilingual-e5-small tells Serbian
    translations apart better in Latin than in Cyrillic (397 gold 1-1 pairs of the interview and the blind
    documents: mean margin over the best wrong candidate 0.064 vs 0.056; `bench/bench_accuracy.py --scripts`), and
    a document's script then makes no difference to its alignment (the aligner is given the same texts, so their
    lengths and names are counted in Latin too)."""
    return to_latin(text)


def reads_as_serbian(word: str) -> bool:
    """Whether a word holding non-ASCII letters can be Serbian: all Serbian Latin with at least one ASCII letter
    (every Serbian word has a vowel or r) or all Serbian Cyrillic, in a plausible case (lower, upper,
    capitalised). A wrong code page turns š into ą or ¹, Cyrillic into mixed case or Russian-only letters."""
    letters = set(word)
    latin = all(c.isascii() or c in SERBIAN_LATIN_LETTERS for c in letters) and any(map(str.isascii, letters))
    script_ok = latin or letters <= SERBIAN_CYRILLIC_LETTERS
    return script_ok and (word.islower() or word.isupper() or word.istitle())


LANGUAGE = Language(
    code="sr", name="Serbian", splitter="rules",
    split_rules=serbo_croatian_rules("sr"),
    function_words=words(FUNCTION_WORDS),
    codepages=CODEPAGES, reads_word=reads_as_serbian,
    distinctive_letters=SERBIAN_CYRILLIC_LETTERS | frozenset("čćšžđČĆŠŽĐ"),
    scripts=("Latn", "Cyrl"),
    model_text=model_text,
)
