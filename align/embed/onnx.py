"""Members of the encoder family run by ONNX Runtime: the model's transformer exported to ONNX, fp32 (`onnx`) or
quantized dynamically to int8 (`onnx-int8`: int8 weights per channel, activations quantized at run time).

Both cores: one session, called from one Python thread per core with one ONNX Runtime thread each (a call
releases the GIL), at most two batches per thread in flight. Batches hold sentences of one exact length (no
padding: ONNX Runtime keeps nothing per input shape). Dynamic quantization takes one scale for a whole input
tensor, so the int8 graph is given one sentence per call: the scale then depends on the sentence alone.
"""
from __future__ import annotations

import functools
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np

from .exported import ExportedEncoder


@functools.cache
def _session(path: str):
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1  # parallel across calls instead (see the module's docstring)
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    return onnxruntime.InferenceSession(path, options, providers=["CPUExecutionProvider"])


class OnnxEncoder(ExportedEncoder):
    NAME = VARIANT = "onnx"
    RUNTIME = "onnxruntime"
    PAD = False  # ONNX Runtime compiles nothing per shape: batches of one exact length, no padding
    REQUIRES = ("onnxruntime", "onnx")
    EXTRA = "align[onnx]"

    @classmethod
    def configuration(cls) -> str:
        return "f32"

    def prepare_runtime(self) -> None:
        import onnxruntime  # noqa: F401

    def load_runtime(self):
        return _session(str(self.folder / "model.onnx"))

    def run(self, session, batches: Iterator[tuple[list[int], dict[str, np.ndarray]]],
            done: Callable[[list[int], np.ndarray, np.ndarray], None]) -> None:
        pending: deque[tuple[list[int], np.ndarray, Future]] = deque()

        def finish_oldest() -> None:
            rows, mask, future = pending.popleft()
            done(rows, future.result()[0], mask)

        with ThreadPoolExecutor(self.threads) as pool:
            for rows, inputs in batches:
                pending.append((rows, inputs["attention_mask"], pool.submit(session.run, None, inputs)))
                if len(pending) >= 2 * self.threads:
                    finish_oldest()
            while pending:
                finish_oldest()


class OnnxInt8Encoder(OnnxEncoder):
    NAME = VARIANT = "onnx-int8"
    TOKENS = 1  # one sentence per call

    @classmethod
    def configuration(cls) -> str:
        return "int8-dynamic"


MEMBERS = (OnnxEncoder, OnnxInt8Encoder)
