"""Members of the encoder family run by OpenVINO: the model's transformer as an OpenVINO graph, fp32
(`openvino`), with int8 weights (`openvino-int8w`), or with int8 weights and activations calibrated on the
project's own sentences (`openvino-int8`).

Both cores: one inference stream per core, one thread each, batches dealt out to whichever stream is free (a
row's result does not depend on the stream or the thread count: the same kernels run). Precision is pinned to
fp32 where the CPU could use bf16, so a machine with bf16 and one without give the same vectors.

Instruction sets. `openvino-int8w` lets OpenVINO quantize activations to int8 per group of 32 values on the fly
(its default for int8-weight models), which needs AVX-512: on a CPU without it that kernel is missing (OpenVINO
fails to compile it, seen with ONEDNN_MAX_CPU_ISA=AVX2), so there the `portable` configuration turns that off and
computes in fp32 from the int8 weights. `openvino-int8`'s calibrated int8 arithmetic is exact only with int8 dot
product instructions (AVX512-VNNI, AVX-VNNI, AMX); OpenVINO emulates them elsewhere with saturating
instructions, and the vectors drift (max difference 0.1 per token vector measured with AVX-512 but no VNNI), so
on such a CPU it runs the int8-weights model instead. `align info --backend ...` says which configuration a
machine gets; it is part of the embedding cache's key.
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Iterator

import numpy as np

from .export import import_openvino
from .exported import ExportedEncoder
from .exported_model import cpu_features


@functools.cache
def _core():
    return import_openvino().Core()


@functools.cache
def _queue(xml: str, config: tuple[tuple[str, str], ...], jobs: int):
    """The compiled model's queue of inference requests, one per stream, made once per process and kept: an
    AsyncInferQueue destroyed while the process runs on can abort it ("terminate called without an active
    exception", seen in about one run in five)."""
    return import_openvino().AsyncInferQueue(_core().compile_model(xml, "CPU", dict(config)), jobs)


class OpenVINOEncoder(ExportedEncoder):
    """The fp32 graph: the same vectors as sentence-transformers' torch run, to float rounding."""

    NAME = VARIANT = "openvino"
    RUNTIME = "openvino"

    @classmethod
    def configuration(cls) -> str:
        return "f32"

    def runtime_config(self) -> dict[str, str]:
        return {"INFERENCE_PRECISION_HINT": "f32", "NUM_STREAMS": str(self.threads),
                "INFERENCE_NUM_THREADS": str(self.threads),
                # pinned threads of two `corpus --workers` processes would share one core
                "ENABLE_CPU_PINNING": "NO"}

    def prepare_runtime(self) -> None:
        _core()

    def load_runtime(self):
        return _queue(str(self.folder / "model.xml"), tuple(sorted(self.runtime_config().items())), self.threads)

    def run(self, queue, batches: Iterator[tuple[list[int], dict[str, np.ndarray]]],
            done: Callable[[list[int], np.ndarray, np.ndarray], None]) -> None:
        failures: list[BaseException] = []

        def finished(request, job: tuple[list[int], np.ndarray]) -> None:
            try:
                done(job[0], request.get_output_tensor(0).data, job[1])
            except BaseException as exc:  # raised in OpenVINO's thread: handed back to ours
                failures.append(exc)

        queue.set_callback(finished)
        for rows, inputs in batches:
            queue.start_async(inputs, (rows, inputs["attention_mask"]))
        queue.wait_all()
        if failures:
            raise failures[0]


class OpenVINOInt8WeightsEncoder(OpenVINOEncoder):
    """int8 weights (nncf.compress_weights), activations quantized on the fly where the CPU has AVX-512."""

    NAME = VARIANT = "openvino-int8w"

    @classmethod
    def configuration(cls) -> str:
        return "dq32" if "avx512" in cpu_features() else "portable"

    def runtime_config(self) -> dict[str, str]:
        group = "32" if OpenVINOInt8WeightsEncoder.configuration() == "dq32" else "0"
        return {**super().runtime_config(), "DYNAMIC_QUANTIZATION_GROUP_SIZE": group}


class OpenVINOInt8Encoder(OpenVINOInt8WeightsEncoder):
    """int8 weights and activations (nncf.quantize), calibrated on align/embed/calibration.txt; the int8-weights
    model on a CPU without int8 dot products."""

    NAME = "openvino-int8"

    VARIANT = "openvino-int8"

    @classmethod
    def variant(cls) -> str:
        return cls.VARIANT if "vnni" in cpu_features() else OpenVINOInt8WeightsEncoder.VARIANT

    @classmethod
    def configuration(cls) -> str:
        return "int8" if cls.variant() == cls.VARIANT else f"int8w-{super().configuration()}"

    def runtime_config(self) -> dict[str, str]:
        if self.variant() == self.VARIANT:
            return OpenVINOEncoder.runtime_config(self)
        return super().runtime_config()


MEMBERS = (OpenVINOEncoder, OpenVINOInt8WeightsEncoder, OpenVINOInt8Encoder)
