"""Exporting a sentence-transformers model for the torch-free backends, once, next to it in the cache.

From the model as sentence-transformers loads it (the converted default or a user's --model), one folder per
model and export format under cache_dir()/models/<model>-<fingerprint>.export-v<N>/:

    common/           tokenizer.json (the model's fast tokenizer), word_embeddings.npy (fp32), recipe.json
                      (prompts, truncation, graph inputs, pooling modes, Dense layers as dense_<k>.npz)
    openvino/         the transformer layers as an OpenVINO graph, fp32 (openvino.convert_model from torch)
    openvino-int8w/   the same with int8 weights (nncf.compress_weights)
    openvino-int8/    int8 weights and activations (nncf.quantize), calibrated on calibration.txt
    onnx/             the transformer layers as ONNX, fp32 (torch.onnx.export)
    onnx-int8/        the same quantized dynamically to int8 (onnxruntime.quantization.quantize_dynamic)

sentence-transformers' own exporters (backend="onnx"/"openvino", export_*_quantized_*) go through optimum, whose
releases require transformers < 5, older than the one the project runs; and its static quantization calibrates
on a dataset fetched from the Hugging Face hub. So the graph is taken from the transformer sentence-transformers
loaded, by the converters of the runtimes themselves, and the steps after it (prompt, pooling, Dense, norm) are
read from sentence-transformers' modules into recipe.json. Each folder is built in a temporary folder beside its
place and renamed, under a lock, so two first runs at once build it once and nobody sees it half-written. Only
building imports torch, sentence-transformers, nncf or onnx. Neither OpenVINO's converter nor nncf sends
telemetry (import_openvino).
"""
from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from ..errors import AlignError, AlignUsageError
from ..files import cache_dir
from .models import quiet_transformers
from .exported_model import RECIPE, TOKENIZER, WORD_EMBEDDINGS, ExportedModel
from .sentence_transformer import model_fingerprint

COMMON = "common"
# Bump when what is written here changes, so exports made by older code are rebuilt, not reused.
EXPORT_VERSION = 1
CALIBRATION = Path(__file__).with_name("calibration.txt")
OPSET = 17


def import_openvino():
    """OpenVINO, imported with its telemetry package blocked. OpenVINO's model converter and nncf send usage
    statistics to a web service unless the user has opted out in a file under their home folder (nncf sends
    them without asking); a tool that works offline on people's documents must not. A None entry in
    sys.modules makes `import openvino_telemetry` fail, and both fall back to their own no-op stubs. The
    runtime works the same without it."""
    sys.modules.setdefault("openvino_telemetry", None)  # type: ignore[arg-type]
    import openvino

    return openvino


def export_root(source: Path) -> Path:
    """Where the exports of a model live: beside the converted default model, and for any model, named by its
    fingerprint, so a changed model gets fresh exports."""
    return cache_dir() / "models" / f"{source.name}-{model_fingerprint(source)[:12]}.export-v{EXPORT_VERSION}"


def ensure(source: Path, variant: str, backend: str) -> Path:
    """The folder of `variant` for the model at `source`, built now if missing (with what it is built from)."""
    root = export_root(source)
    target = root / variant
    if target.is_dir() and (root / COMMON).is_dir():
        return target
    try:
        root.parent.mkdir(parents=True, exist_ok=True)
        from filelock import FileLock

        with FileLock(str(root.parent / f".{root.name}.lock")):
            if not (target.is_dir() and (root / COMMON).is_dir()):
                print(f"align: exporting {source.name} for the {backend} backend into {root} (once; up to a "
                      "minute or two)", file=sys.stderr)
                root.mkdir(exist_ok=True)
                for stale in root.glob(".*.tmp"):  # left by a killed build; we hold the lock
                    shutil.rmtree(stale, ignore_errors=True)
                build(root, source, variant)
    except OSError as exc:
        raise AlignError(f"cannot build the {backend} export: {exc.strerror or exc}", root) from exc
    return target


@contextlib.contextmanager
def building(folder: Path) -> Iterator[Path]:
    """A temporary folder beside `folder`, renamed to it when the block succeeds, removed when it fails."""
    temporary = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=folder.parent))
    try:
        yield temporary
        os.chmod(temporary, 0o755)
        os.rename(temporary, folder)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def build(root: Path, source: Path, variant: str) -> None:
    """Build `variant` and whatever it needs, under the caller's lock."""
    if variant not in BUILDERS:
        raise AlignUsageError(f"unknown export variant {variant!r}")
    base, make = BUILDERS[variant]
    needed_from_torch = [name for name in (COMMON, base or variant) if not (root / name).is_dir()]
    if needed_from_torch:
        from_torch(root, source, needed_from_torch)
    if base is not None and not (root / variant).is_dir():
        started = time.perf_counter()
        with building(root / variant) as folder, quiet():
            make(root, folder)
        print(f"align: built {variant} in {time.perf_counter() - started:.0f} s", file=sys.stderr)


# ---------------------------------------------------------------------------------- from torch

def from_torch(root: Path, source: Path, names: list[str]) -> None:
    """Load the model with sentence-transformers once and write the folders named (common and fp32 graphs)."""
    started = time.perf_counter()
    from .sentence_transformer import SentenceTransformerEncoder

    model = SentenceTransformerEncoder(str(source)).model
    with quiet(), quiet_transformers():
        recipe, tables = read_recipe(model)
        if COMMON in names:
            with building(root / COMMON) as folder:
                write_common(model, recipe, tables, folder)
        graph = TokenVectors(model, recipe)
        example = graph.example(ExportedModel(root / COMMON))
        for name in names:
            if name in FP32_WRITERS:
                with building(root / name) as folder:
                    FP32_WRITERS[name](graph, example, folder)
    print(f"align: exported {', '.join(names)} in {time.perf_counter() - started:.0f} s", file=sys.stderr)


_ACTIVATIONS = {"Tanh": "tanh", "Identity": "identity"}


def read_recipe(model) -> tuple[dict, dict[str, dict[str, np.ndarray]]]:
    """What the torch-free runtime needs to do as sentence-transformers does for this model, and the Dense
    layers' weights; a usage error for a model whose modules it cannot run."""
    import torch

    modules = list(model)
    kinds = [type(module).__name__ for module in modules]
    transformer = modules[0]
    unsupported = AlignUsageError
    if kinds[0] != "Transformer" or "Pooling" not in kinds:
        raise unsupported(f"the exported backends run Transformer + Pooling models; this one has "
                          f"{' + '.join(kinds)}: use --backend torch")
    tokenizer = model.tokenizer
    if not getattr(tokenizer, "is_fast", False) or getattr(transformer, "do_lower_case", False):
        raise unsupported("the exported backends need the model's fast tokenizer, without do_lower_case: use "
                          "--backend torch")
    pooling_modes: list[str] = []
    dense, tables = [], {}
    for module, kind in zip(modules[1:], kinds[1:]):
        if kind == "Pooling":
            mode = module.pooling_mode
            pooling_modes = [mode] if isinstance(mode, str) else list(mode)
            if not module.include_prompt:
                raise unsupported("the exported backends pool over the prompt too; this model does not: use "
                                  "--backend torch")
        elif kind == "Dense":
            activation = _ACTIVATIONS.get(type(module.activation_function).__name__)
            if activation is None or getattr(module, "use_residual", False):
                raise unsupported(f"Dense layer with {module.activation_function!r}: use --backend torch")
            file = f"dense_{len(dense)}.npz"
            dense.append({"file": file, "activation": activation})
            bias = module.linear.bias if module.linear.bias is not None else torch.zeros(module.out_features)
            tables[file] = {"weight": module.linear.weight.detach().float().numpy(),
                            "bias": bias.detach().float().numpy()}
        elif kind != "Normalize":
            raise unsupported(f"the exported backends cannot run a {kind} module: use --backend torch")
    names = list(tokenizer.model_input_names)
    recipe = {
        "format": EXPORT_VERSION,
        "max_length": int(model.max_seq_length or tokenizer.model_max_length),
        "truncation_side": tokenizer.truncation_side,
        "split_special_tokens": bool(getattr(tokenizer, "split_special_tokens", False)),
        "pad_id": int(tokenizer.pad_token_id or 0),
        "prompts": dict(model.prompts),
        "default_prompt_name": model.default_prompt_name,
        "inputs": "input_ids",
        "input_names": names,
        "pooling": pooling_modes,
        "dense": dense,
        "dimension": int(model.get_embedding_dimension()),
    }
    if embeds_are_a_lookup(transformer.model, recipe, tokenizer):
        recipe["inputs"] = "inputs_embeds"
        recipe["input_names"] = ["inputs_embeds" if name == "input_ids" else name for name in names]
    return recipe, tables


def embeds_are_a_lookup(hf_model, recipe: dict, tokenizer) -> bool:
    """Whether the transformer gives the same output from looked-up word embeddings as from token ids (a plain
    embedding table, no scaling inside its embedding layer), checked on a padded sample."""
    import torch

    if not isinstance(hf_model.get_input_embeddings(), torch.nn.Embedding):
        return False
    sample = tokenizer(["query: Good morning.", "A longer sentence, with a comma and 3 numbers: 1, 2, 3."],
                       padding=True, return_tensors="pt")
    given = {name: sample[name] for name in recipe["input_names"]}
    with torch.no_grad():
        from_ids = hf_model(**given).last_hidden_state
        given["inputs_embeds"] = hf_model.get_input_embeddings()(given.pop("input_ids"))
        from_embeds = hf_model(**given).last_hidden_state
    mask = sample["attention_mask"].bool()
    return bool(torch.allclose(from_ids[mask], from_embeds[mask], atol=1e-5))


def write_common(model, recipe: dict, tables: dict[str, dict[str, np.ndarray]], folder: Path) -> None:
    model.tokenizer.backend_tokenizer.save(str(folder / TOKENIZER))
    (folder / RECIPE).write_text(json.dumps(recipe, indent=2, ensure_ascii=False), encoding="utf-8")
    for file, arrays in tables.items():
        np.savez(folder / file, **arrays)
    if recipe["inputs"] == "inputs_embeds":
        table = model[0].model.get_input_embeddings().weight.detach().float().numpy()
        np.save(folder / WORD_EMBEDDINGS, table)


class TokenVectors:
    """The model's transformer as a torch module from the graph inputs (in recipe order) to token vectors."""

    def __init__(self, model, recipe: dict):
        import torch

        names = recipe["input_names"]
        hf_model = model[0].model.eval()

        class Graph(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.model = hf_model

            def forward(self, *tensors):
                return self.model(**dict(zip(names, tensors)), return_dict=True).last_hidden_state

        self.module = Graph()
        self.names = names

    def example(self, runtime: ExportedModel) -> tuple:
        """Graph inputs of two padded sentences, as the runtime makes them."""
        import torch

        batch = dict(next(runtime.batches(runtime.tokenize(["Good morning, this is an example."] * 2, "query")))[1])
        return tuple(torch.from_numpy(np.ascontiguousarray(batch[name])) for name in self.names)


def write_openvino_fp32(graph: TokenVectors, example: tuple, folder: Path) -> None:
    import torch

    ov = import_openvino()
    with torch.no_grad():
        converted = ov.convert_model(graph.module, example_input=example)
    for port, name in zip(converted.inputs, graph.names):
        port.get_tensor().set_names({name})
    converted.outputs[0].get_tensor().set_names({"token_embeddings"})
    ov.save_model(converted, str(folder / "model.xml"), compress_to_fp16=False)


def write_onnx_fp32(graph: TokenVectors, example: tuple, folder: Path) -> None:
    import torch

    axes = {name: {0: "batch", 1: "tokens"} for name in [*graph.names, "token_embeddings"]}
    with torch.no_grad():
        # The TorchScript exporter: the dynamo one needs onnxscript, and gives the same graph for a BERT.
        torch.onnx.export(graph.module, example, str(folder / "model.onnx"), input_names=graph.names,
                          output_names=["token_embeddings"], dynamic_axes=axes, opset_version=OPSET,
                          dynamo=False)


FP32_WRITERS: dict[str, Callable[[TokenVectors, tuple, Path], None]] = {
    "openvino": write_openvino_fp32, "onnx": write_onnx_fp32}


# ---------------------------------------------------------------------------------- quantized

def calibration_texts() -> list[str]:
    """The project's own sentences (English and Serbian in Latin, as the model is given Serbian) that static
    quantization measures activation ranges on; see the file's header."""
    lines = CALIBRATION.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def write_openvino_int8_weights(root: Path, folder: Path) -> None:
    import nncf

    ov = import_openvino()
    model = ov.Core().read_model(str(root / "openvino" / "model.xml"))
    ov.save_model(nncf.compress_weights(model), str(folder / "model.xml"), compress_to_fp16=False)


def write_openvino_int8(root: Path, folder: Path) -> None:
    import nncf

    ov = import_openvino()
    model = ov.Core().read_model(str(root / "openvino" / "model.xml"))
    runtime = ExportedModel(root / COMMON)
    # one sentence per item, padded to its bucket as when aligning
    items = [inputs for _, inputs in runtime.batches(runtime.tokenize(calibration_texts(), "query"), tokens=1)]
    quantized = nncf.quantize(model, nncf.Dataset(items), model_type=nncf.ModelType.TRANSFORMER,
                              subset_size=len(items))
    ov.save_model(quantized, str(folder / "model.xml"), compress_to_fp16=False)


def write_onnx_int8(root: Path, folder: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(root / "onnx" / "model.onnx", folder / "model.onnx", weight_type=QuantType.QInt8,
                     per_channel=True)


# variant -> (the fp32 variant it is made from, or None for the fp32 ones themselves; how)
BUILDERS: dict[str, tuple[str | None, Callable[[Path, Path], None] | None]] = {
    "openvino": (None, None),
    "openvino-int8w": ("openvino", write_openvino_int8_weights),
    "openvino-int8": ("openvino", write_openvino_int8),
    "onnx": (None, None),
    "onnx-int8": ("onnx", write_onnx_int8),
}


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """The converters' and quantizers' progress bars, tables and warnings are noise on a command line."""
    loggers = [logging.getLogger(), logging.getLogger("nncf")]  # onnxruntime.quantization logs to the root
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)
