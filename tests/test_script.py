"""Serbian script detection and Latin <-> Cyrillic conversion: one test per rule, plus round trips."""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from align.languages.sr_script import detect_script, to_cyrillic, to_latin


@pytest.mark.parametrize("text, script", [
    ("Beograd je glavni grad Srbije.", "Latn"),
    ("Београд је главни град Србије.", "Cyrl"),
    ("Београд је главни град. Novi Sad je drugi grad.", "mixed"),
    ("Агенција Reuters је јавила да је састанак одложен.", "Cyrl"),
    ("Пишите на redakcija@primer.rs или https://www.primer.rs/kontakt", "Cyrl"),
    ("The minister arrived.", "Latn"),
    ("12. 3. 2020. — 45 %", None),
    ("", None),
])
def test_detect_script(text, script):
    assert detect_script(text) == script


@pytest.mark.parametrize("latin, cyrillic", [
    ("čaša, ćup, đak, šuma, žaba, džep", "чаша, ћуп, ђак, шума, жаба, џеп"),
    ("ljubav, njiva, Ljubav, Njiva, Džep", "љубав, њива, Љубав, Њива, Џеп"),
])
def test_letters_and_title_case_digraphs(latin, cyrillic):
    assert to_cyrillic(latin) == cyrillic
    assert to_latin(cyrillic) == latin


@pytest.mark.parametrize("latin, cyrillic", [
    ("NJEGOŠ", "ЊЕГОШ"), ("LJUBLJANA", "ЉУБЉАНА"), ("DŽEP", "ЏЕП"), ("KONJ", "КОЊ"),
    ("KRALJ PETAR", "КРАЉ ПЕТАР"), ("ODLUKA O NJ", "ОДЛУКА О Њ"),
])
def test_all_caps_digraphs(latin, cyrillic):
    assert to_cyrillic(latin) == cyrillic
    assert to_latin(cyrillic) == latin


def test_one_letter_digraph_word_takes_case_of_neighbours():
    assert to_latin("Њ је слово") == "Nj je slovo"
    assert to_latin("СЛОВО Њ") == "SLOVO NJ"


@pytest.mark.parametrize("latin, cyrillic", [
    ("injekcija", "инјекција"), ("injekcijom", "инјекцијом"), ("Injekcije", "Инјекције"),
    ("INJEKCIJA", "ИНЈЕКЦИЈА"), ("injektor", "инјектор"), ("injicirati", "инјицирати"),
    ("konjugacija", "конјугација"), ("konjugacijama", "конјугацијама"),
    ("konjunktura", "конјунктура"), ("konjunkturi", "конјунктури"), ("konjunkcija", "конјункција"),
    ("Tanjug", "Танјуг"), ("Tanjugu", "Танјугу"), ("Tanjugovom", "Танјуговом"), ("TANJUG", "ТАНЈУГ"),
    ("vanjezički", "ванјезички"), ("izvanjezičkih", "изванјезичких"),
    ("nadživeti", "надживети"), ("nadživeo", "надживео"), ("nadživljavaju", "надживљавају"),
    ("podžanr", "поджанр"), ("podžanrovi", "поджанрови"),
    ("predželudac", "преджелудац"), ("predželuca", "преджелуца"), ("podželudačna", "поджелудачна"),
    ("odžaliti", "оджалити"), ("odžalio", "оджалио"),
])
def test_n_j_and_d_z_exception_words_stay_two_letters(latin, cyrillic):
    assert to_cyrillic(latin) == cyrillic
    assert to_latin(cyrillic) == latin


@pytest.mark.parametrize("latin, cyrillic", [
    ("konj, konjak, konjanik, Konjic", "коњ, коњак, коњаник, Коњиц"),
    ("odžak, odžaci", "оџак, оџаци"),
    ("sinji, tanjir", "сињи, тањир"),
])
def test_look_alikes_of_exceptions_keep_digraphs(latin, cyrillic):
    assert to_cyrillic(latin) == cyrillic


@pytest.mark.parametrize("latin, cyrillic", [
    ("Luj XIV i Pije VI", "Луј XIV и Пије VI"),
    ("u XXI veku, XX-og veka", "у XXI веку, XX-ог века"),
    ("Petar I Karađorđević", "Петар I Карађорђевић"),
    ("u I kvartalu", "у I кварталу"),
    ("I tako je bilo.", "И тако је било."),
    ("Rekao je to. I otišao.", "Рекао је то. И отишао."),
    ("V kongres", "V конгрес"),
    ("V. Petrović", "В. Петровић"),
    ("napon od 230 V i struja od 16 A.", "напон од 230 В и струја од 16 А."),  # units, not numerals
    ("napisao je I. Andrić", "написао је И. Андрић"),
    ("MI SMO VI STE", "МИ СМО ВИ СТЕ"),
    ("SRBIJA I CRNA GORA", "СРБИЈА И ЦРНА ГОРА"),
])
def test_roman_numerals(latin, cyrillic):
    assert to_cyrillic(latin) == cyrillic
    assert to_latin(cyrillic) == latin


@pytest.mark.parametrize("text", [
    "https://www.primer.rs/vesti/članak?id=5&jezik=sr",
    "www.vlada.gov.rs",
    "ftp://arhiva.primer.org/dokument.pdf",
    "b92.net",
    "jovan.petrovic@primer.rs",
    "@rts_vesti",
])
def test_urls_domains_emails_and_handles_are_left_alone(text):
    sentence = f"Pogledajte {text} danas."
    assert to_cyrillic(sentence) == f"Погледајте {text} данас."


@pytest.mark.parametrize("word", [
    "Washington", "Müller", "Québec", "Xi", "iPhone", "YouTube", "McDonald", "BBC", "CNN", "IBM",
    "AC/DC",
])
def test_foreign_names_and_latin_acronyms_are_left_alone(word):
    assert to_cyrillic(f"Rekao je {word} juče.") == f"Рекао је {word} јуче."


def test_serbian_acronyms_are_converted():
    assert to_cyrillic("RZS, MUP i NATO-om") == "РЗС, МУП и НАТО-ом"


def test_keep_leaves_given_words_alone():
    assert to_cyrillic("Objavio je Facebook i Reuters.", keep={"Facebook", "Reuters"}) == \
        "Објавио је Facebook и Reuters."


def test_to_latin_leaves_latin_and_other_cyrillic_alone():
    assert to_latin("Рекао је Washington Post, а Щукин ћути.") == "Rekao je Washington Post, a Щукин ćuti."


def test_decomposed_diacritics_are_converted():
    assert to_cyrillic("c\u030caša") == "чаша"


def test_realistic_passage_round_trip():
    latin = ("„Nismo mogli da odžalimo gubitak“, rekao je za Tanjug prof. dr Ljiljana Đorđević, "
             "direktorka Instituta (www.institut.rs), 4. septembra 2019. godine. – NJEGOŠEVA ULICA "
             "br. 15, podžanr, injekcija, XXI vek.")
    assert to_latin(to_cyrillic(latin)) == latin


# Serbian Latin text: words in lower, title or upper case built from the Serbian alphabet
# (digraphs arise from adjacent letters), mixed with digits, punctuation and whitespace.
_LOWER = "abcčćdđefghijklmnoprsštuvzž"
_lower_word = st.text(alphabet=_LOWER, min_size=1, max_size=12)
_word = st.one_of(
    _lower_word,
    _lower_word.filter(lambda w: len(w) >= 3).map(str.capitalize),
    _lower_word.filter(lambda w: len(w) >= 3).map(str.upper),
)
_separator = st.text(alphabet=" \n\t.,;:!?…()[]„“”\"'«»–—-/0123456789%", min_size=1, max_size=4)
_serbian_latin_text = st.lists(st.tuples(_word, _separator), max_size=25).map(
    lambda pairs: "".join(w + s for w, s in pairs))


@settings(max_examples=300, deadline=None)
@given(_serbian_latin_text)
def test_latin_cyrillic_latin_round_trip(text):
    assert to_latin(to_cyrillic(text)) == text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_conversion_keeps_every_non_letter_in_place(text):
    assume(unicodedata.normalize("NFC", text) == text)
    for converted in (to_cyrillic(text), to_latin(text)):
        assert [c for c in converted if not c.isalpha()] == [c for c in text if not c.isalpha()]


@pytest.mark.parametrize("latin, cyrillic", [
    ("Otvorite report_final.docx i pritisnite Ctrl+C.", "Отворите report_final.docx и притисните Ctrl+C."),
    ("Instalirajte setup.exe ili podesite max_align.", "Инсталирајте setup.exe или подесите max_align."),
    ("Wi-Fi mreža radi, a na Facebooku piše.", "Wi-Fi мрежа ради, а на Facebooku пише."),
    ("Cena je 5 EUR preko HTTPS-a i USB-om.", "Цена је 5 EUR преко HTTPS-а и USB-ом."),
    ("COVID-19 je prošao; crno-beli film.", "COVID-19 је прошао; црно-бели филм."),
    ("Otvorite config.yaml ili /home/marko/projekat i/ili C:\\Users\\Marko.",
     "Отворите config.yaml или /home/marko/projekat и/или C:\\Users\\Marko."),
    ("Pokrenite --help ili -v za verziju v2.3.1 - to je sve.", "Покрените --help или -v за верзију v2.3.1 - то је све."),
    ("JSON i XML, na YouTube-u i PayPal-om.", "JSON и XML, на YouTube-у и PayPal-ом."),
])
def test_code_file_names_brands_and_compounds_are_not_half_converted(latin, cyrillic):
    assert to_cyrillic(latin) == cyrillic
    assert to_latin(cyrillic) == latin
