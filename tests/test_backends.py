"""The encoder backends: the exported model run without torch (OpenVINO, ONNX Runtime) gives what
sentence-transformers gives for the same graph, vectors that depend on the sentence alone, one export built once
however many processes ask, a portable configuration where an instruction set is missing, and an embedding cache
per backend. Speed and memory: bench/bench_backends.py and bench/bench_speed.py."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from align import cli, embed
from align.embed import exported_model, openvino
from align.embed.cache import CachedEncoder
from align.embed.export import COMMON, export_root, import_openvino
from align.embed.exported_model import RECIPE, ExportedModel, bucket, cpu_features
from align.embed.models import resolve_model

ROOT = Path(__file__).resolve().parent.parent
EXPORTED = [name for name, member in embed.ENCODERS.items() if hasattr(member, "about")]
DEFAULT_BACKEND = embed.DEFAULT_BACKEND  # read before the fixtures put the fake encoder in its place

# English, Serbian (Latin, as the model is given it), German: short and long, several of one length bucket, a
# repeated sentence, odd characters.
TEXTS = [
    "Good morning.",
    "Dobro jutro.",
    "Guten Morgen.",
    "I started translating when I was still a student in Novi Sad.",
    "Počela sam da prevodim dok sam još bila studentkinja u Novom Sadu.",
    "Patience, a good dictionary and a reader you trust.",
    "Strpljenje, dobar rečnik i čitalac kome verujete.",
    "Die Hütte liegt auf 2.450 m ü. M. und ist von Juni bis September bewartet.",
    "Thank you.",
    "Hvala.",
    "The plant can treat 900 litres of water per second, and the city plans to replace 35 kilometres of old "
    "pipes next year, once the tender for that work has been published in March.",
    "窸窣 <s> odd   spacing\tand a tab",
    "Good morning.",
]


def subprocess_env(**extra: str) -> dict[str, str]:
    env = {**os.environ, **extra}
    env.pop("ALIGN_BACKEND", None)
    return env


# ---------------------------------------------------------------------------------------------- without the model

def test_cli_help_names_every_backend_and_the_default():
    """`--backend`'s help spells the names out (so that --help imports no encoder): they are the registry's."""
    result = CliRunner().invoke(cli.main, ["pair", "--help"], terminal_width=200)
    text = " ".join(result.output.split())
    listed = re.search(r"What runs the model: (.*?);", text).group(1)
    names = {re.sub(r" \(.*\)", "", name) for name in re.split(r", | or ", listed)}
    real = {name for name, member in embed.ENCODERS.items() if member.__module__.startswith("align.")}
    assert names == real  # (tests put a fake encoder of their own in the registry)
    assert f"{DEFAULT_BACKEND} (default)" in listed


@pytest.mark.parametrize("command", ["pair", "corpus", "check", "review", "edit", "info"])
def test_every_command_that_encodes_takes_backend(command):
    result = CliRunner().invoke(cli.main, [command, "--help"])
    assert "--backend NAME" in result.output


def test_unknown_backend_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(cli.main, ["info", "--backend", "tensorflow"])
    assert result.exit_code == 2
    assert "unknown backend 'tensorflow' (choose from torch, openvino" in result.output


def test_align_help_imports_no_encoder():
    code = ("import sys; from click.testing import CliRunner; from align import cli; "
            "CliRunner().invoke(cli.main, ['--help']); CliRunner().invoke(cli.main, ['pair', '--help']); "
            "print(sorted(m for m in ('numpy', 'openvino', 'onnxruntime', 'tokenizers', 'torch', 'transformers') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_buckets_cover_every_length_with_few_shapes():
    widths = [bucket(n) for n in range(1, 513)]
    assert all(width >= n for n, width in zip(range(1, 513), widths))
    assert widths == sorted(widths)
    assert len(set(widths)) == 20
    assert [bucket(n) for n in (1, 8, 9, 64, 65, 128, 129, 256, 257, 512)] == [8, 8, 16, 64, 80, 128, 160, 256,
                                                                               320, 512]
    # padding stays below a quarter of the sentence past 40 tokens
    assert all((bucket(n) - n) / n < 0.25 for n in range(40, 513))


def test_onednn_cap_takes_instruction_sets_away(monkeypatch):
    monkeypatch.setenv("ONEDNN_MAX_CPU_ISA", "AVX2")
    assert cpu_features() <= {"avx2"}
    monkeypatch.setenv("ONEDNN_MAX_CPU_ISA", "AVX512_CORE")
    assert "vnni" not in cpu_features()
    assert openvino.OpenVINOInt8Encoder.variant() == "openvino-int8w"


# ---------------------------------------------------------------------------------------------- the real model

@pytest.fixture(scope="module")
def encoders():
    """Every exported backend of the default model, without the on-disk cache (exports built if missing)."""
    return {name: embed.load_encoder(backend=name, cache=False) for name in EXPORTED}


@pytest.fixture(scope="module")
def torch_vectors():
    return embed.load_encoder(backend="torch", cache=False).encode(TEXTS)


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.sum(a * b, axis=1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)


class GraphAsTransformer:
    """An exported graph in the place of the transformer of a SentenceTransformer: sentence-transformers then
    tokenizes, prompts, pads, pools and normalises as it always does, around the very graph a backend runs."""

    def __new__(cls, encoder, config):
        import torch

        folder = encoder.folder
        model = ExportedModel(folder.parent / COMMON)
        names = model.recipe["input_names"]
        if (folder / "model.onnx").is_file():
            import onnxruntime

            session = onnxruntime.InferenceSession(str(folder / "model.onnx"))

            def graph(inputs):
                return session.run(None, inputs)[0]
        else:
            compiled = import_openvino().Core().compile_model(str(folder / "model.xml"), "CPU",
                                                              encoder.runtime_config())

            def graph(inputs):
                return compiled(inputs)[0]

        class Graph(torch.nn.Module):
            def forward(self, input_ids, attention_mask, token_type_ids=None, **ignored):
                given = {"input_ids": input_ids.numpy(), "attention_mask": attention_mask.numpy(),
                         "token_type_ids": np.zeros_like(input_ids.numpy()) if token_type_ids is None
                         else token_type_ids.numpy()}
                if "inputs_embeds" in names:
                    given["inputs_embeds"] = np.asarray(model.table[given["input_ids"]], np.float32)
                return {"last_hidden_state": torch.from_numpy(graph({n: given[n] for n in names}).copy())}

        module = Graph()
        module.config = config
        return module


@pytest.mark.model
@pytest.mark.parametrize("backend", EXPORTED)
def test_embeddings_equal_sentence_transformers_run_of_the_same_graph(backend, encoders):
    """Our torch-free path (tokenizers, table lookup, buckets, numpy pooling) against sentence-transformers'
    encode of the same exported graph: the same vectors, to rounding."""
    from sentence_transformers import SentenceTransformer

    encoder = encoders[backend]
    model = SentenceTransformer(str(encoder.source), device="cpu", local_files_only=True)
    model[0].model = GraphAsTransformer(encoder, model[0].model.config)
    # the int8 ONNX graph quantizes each call's activations with one scale: one sentence per call, as we do
    batch_size = 1 if encoder.TOKENS == 1 else 32
    theirs = model.encode(TEXTS, prompt_name="query", normalize_embeddings=True, batch_size=batch_size)
    ours = encoder.encode(TEXTS)
    similarity = cosines(ours, theirs)
    print(f"{backend}: cosine to sentence-transformers' run of the same graph, min {similarity.min():.6f}")
    assert similarity.min() >= 0.9999
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


@pytest.mark.model
@pytest.mark.parametrize("backend, floor", [("openvino", 0.9999), ("onnx", 0.9999), ("openvino-int8w", 0.998),
                                            ("onnx-int8", 0.98), ("openvino-int8", 0.97)])
def test_backends_against_torch_fp32(backend, floor, encoders, torch_vectors):
    """fp32 exports give torch's vectors; the int8 ones stay close (their alignment accuracy: bench_accuracy)."""
    similarity = cosines(encoders[backend].encode(TEXTS), torch_vectors)
    print(f"{backend}: cosine to torch fp32, min {similarity.min():.6f}, mean {similarity.mean():.6f}")
    assert similarity.min() >= floor


@pytest.mark.model
@pytest.mark.parametrize("backend", EXPORTED)
def test_a_sentence_gets_the_same_bits_alone_and_in_any_batch(backend, encoders):
    encoder = encoders[backend]
    together = encoder.encode(TEXTS)
    alone = np.stack([encoder.encode([text])[0] for text in TEXTS])
    reversed_order = encoder.encode(TEXTS[::-1])[::-1]
    many = encoder.encode(TEXTS * 40)[:len(TEXTS)]  # full batches of every bucket
    assert np.array_equal(together, alone)
    assert np.array_equal(together, reversed_order)
    assert np.array_equal(together, many)
    assert np.array_equal(together[0], together[-1])


@pytest.mark.model
def test_default_backend_runs_without_torch_or_transformers(encoders):
    """A fresh process with the export in place: encoding imports neither torch nor transformers."""
    assert DEFAULT_BACKEND in encoders  # built
    code = textwrap.dedent(f"""
        import sys
        from align.embed import load_encoder
        vectors = load_encoder(cache=False).encode({TEXTS[:4]!r})
        assert vectors.shape == (4, 384), vectors.shape
        print(sorted(m for m in ("torch", "transformers", "sentence_transformers", "nncf", "openvino_telemetry")
                     if sys.modules.get(m) is not None))  # (openvino_telemetry is there as None: blocked)
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=subprocess_env())
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


@pytest.mark.model
def test_each_backend_has_its_own_cache_key(encoders, tmp_path):
    keys = {name: encoder.key for name, encoder in encoders.items()}
    keys["torch"] = embed.load_encoder(backend="torch", cache=False).key
    assert len(set(keys.values())) == len(keys)
    assert all(key.startswith(f"{name}:") for name, key in keys.items())
    # and nothing is encoded twice: the second call is served from the cache
    cached = CachedEncoder(encoders[DEFAULT_BACKEND], tmp_path)
    first = cached.encode(TEXTS)
    second = cached.encode(TEXTS)
    assert cached.encoded == len(set(TEXTS)) and cached.hits == len(set(TEXTS))
    assert np.array_equal(first, second)


@pytest.mark.model
def test_align_info_reports_the_backend_in_use(encoders):
    result = CliRunner().invoke(cli.main, ["info", "--backend", "openvino-int8w"])
    info = json.loads(result.output)
    assert info["backend"]["backend"] == "openvino-int8w"
    assert info["backend"]["configuration"] in ("dq32", "portable")
    assert info["backend"]["exported"] is True
    assert Path(info["backend"]["export_path"]) == encoders["openvino-int8w"].folder
    default = json.loads(CliRunner().invoke(cli.main, ["info"]).output)
    assert default["backend"]["backend"] == DEFAULT_BACKEND


@pytest.mark.model
def test_missing_instruction_sets_get_the_portable_configuration(encoders):
    """With AVX-512 taken away (as on an AVX2-only CPU), int8-weight models compute in fp32 instead of
    quantizing activations (a kernel OpenVINO lacks there), and static int8 falls back to the int8-weight model;
    both still give the model's vectors."""
    code = textwrap.dedent(f"""
        import json
        from align.embed import load_encoder
        out = {{}}
        for backend in ("openvino-int8w", "openvino-int8"):
            encoder = load_encoder(backend=backend, cache=False)
            out[backend] = [encoder.configuration(), encoder.encode({TEXTS!r}).tolist()]
        print(json.dumps(out))
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=subprocess_env(ONEDNN_MAX_CPU_ISA="AVX2"))
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["openvino-int8w"][0] == "portable"
    assert out["openvino-int8"][0] == "int8w-portable"
    reference = encoders["openvino"].encode(TEXTS)
    for backend, (_, vectors) in out.items():
        assert cosines(np.array(vectors, np.float32), reference).min() >= 0.998, backend


@pytest.mark.model
@pytest.mark.slow
def test_two_first_runs_at_once_build_one_export(tmp_path):
    """Two processes asking at once for an export that does not exist yet: one builds it, the other waits and
    uses it; no temporary folder is left and both give the same vectors: the very bits of the export in the user
    cache, built at another time (the default backend's export is the same on every build, so a fresh cache
    reproduces committed outputs)."""
    model = resolve_model(None)  # a user's --model: the converted default, given by path
    code = textwrap.dedent(f"""
        import sys
        from align.embed import load_encoder
        vectors = load_encoder({str(model)!r}, backend="openvino-int8w", cache=False).encode({TEXTS[:3]!r})
        sys.stdout.buffer.write(vectors.tobytes())
    """)
    env = subprocess_env(ALIGN_CACHE=str(tmp_path / "cache"))
    runs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env=env) for _ in range(2)]
    outputs = [run.communicate(timeout=600) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [err.decode()[-2000:] for _, err in outputs]
    assert outputs[0][0] == outputs[1][0] and len(outputs[0][0]) == 3 * 384 * 4
    in_user_cache = embed.load_encoder(str(model), backend="openvino-int8w", cache=False).encode(TEXTS[:3])
    assert outputs[0][0] == in_user_cache.tobytes()
    assert sum(err.decode().count("align: exporting") for _, err in outputs) == 1
    (root,) = [path for path in (tmp_path / "cache" / "models").glob("*.export-v*") if path.is_dir()]
    assert sorted(p.name for p in root.iterdir()) == [COMMON, "openvino", "openvino-int8w"]


@pytest.fixture(scope="module")
def small_model(tmp_path_factory) -> Path:
    """A small sentence-transformers model of our own (random weights, the default model's tokenizer), with CLS
    pooling and a Dense layer, as a user's --model: what the exporters must handle beyond e5's mean pooling."""
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Dense, Normalize, Pooling, Transformer
    from transformers import AutoTokenizer, BertConfig, BertModel

    folder = tmp_path_factory.mktemp("small-model")
    tokenizer = AutoTokenizer.from_pretrained(str(resolve_model(None)))
    torch.manual_seed(0)
    bert = BertModel(BertConfig(vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=2,
                                num_attention_heads=2, intermediate_size=64, pad_token_id=tokenizer.pad_token_id),
                     add_pooling_layer=False)
    bert.save_pretrained(folder / "bert")
    tokenizer.save_pretrained(folder / "bert")
    model = SentenceTransformer(modules=[Transformer(str(folder / "bert"), max_seq_length=64),
                                         Pooling(32, "cls"), Dense(32, 16, activation_function=torch.nn.Tanh()),
                                         Normalize()], device="cpu")
    model.save(str(folder / "st"))
    return folder / "st"


@pytest.mark.model
@pytest.mark.parametrize("backend", ["openvino", "onnx", "openvino-int8w"])
def test_a_users_model_gets_the_same_backends(backend, small_model, tmp_path, monkeypatch):
    from sentence_transformers import SentenceTransformer

    monkeypatch.setenv("ALIGN_CACHE", str(tmp_path))
    encoder = embed.load_encoder(str(small_model), backend=backend, cache=False)
    recipe = json.loads((encoder.folder.parent / COMMON / RECIPE).read_text())
    assert recipe["pooling"] == ["cls"] and recipe["dense"][0]["activation"] == "tanh"
    assert encoder.folder.parent == export_root(small_model)
    ours = encoder.encode(TEXTS)
    theirs = SentenceTransformer(str(small_model), device="cpu").encode(TEXTS, normalize_embeddings=True)
    assert ours.shape == (len(TEXTS), 16)
    floor = 0.9999 if backend in ("openvino", "onnx") else 0.99
    assert cosines(ours, theirs).min() >= floor
    # a text longer than the model's 64 tokens is truncated as sentence-transformers truncates it
    long_text = " ".join(["word"] * 200)
    assert cosines(encoder.encode([long_text]), SentenceTransformer(str(small_model), device="cpu").encode(
        [long_text], normalize_embeddings=True)).min() >= floor


def test_release_tokenizer_is_harmless_when_never_loaded(tmp_path):
    (tmp_path / RECIPE).write_text(json.dumps({"prompts": {}}))
    model = exported_model.ExportedModel(tmp_path)
    model.release_tokenizer()
    assert "tokenizer" not in model.__dict__
