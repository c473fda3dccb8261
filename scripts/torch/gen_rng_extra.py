#!/usr/bin/env python3
"""Extra RNG fixtures from a REAL PyTorch, for the engine's random-number tests.

Usage (from the repo root, with the PyTorch 2.13 CPU venv):

    .venv-torch/bin/python scripts/torch/gen_rng_extra.py tests/fixtures/torch-2.13.0/rng_extra.json

Complements rng.json (gen_fixtures.py) with odd shapes, other seeds, mean/std != 0/1, the
double-normal cache across several calls, Linear layers of odd and empty sizes, and seed edge
cases (negative, >= 2^32, 2^64-1).

Every entry is a recipe the test replays: torch.manual_seed(int(seed)), then each op in order
on the default generator. Schema ("optim-lab/rng-extra/v1"):

  {"schema": ..., "meta": {...},
   "entries": [{"name": str, "seed": "<decimal string, exact>",
                "initial_seed": "<torch.initial_seed() after seeding, decimal string>",
                "ops": [op, ...], "results": [result, ...]}]}

  ops:     ["randn", shape] | ["rand", shape] | ["uniform", shape, from, to]
           | ["normal", shape, mean, std] | ["linear", in_features, out_features]
  results: a tensor per op; ["linear", ...] gives {"weight": tensor, "bias": tensor}

  "uniform_bounds": [{"in_features": n, "weight": [from, to], "bias": [from, to]}]: the exact
  Python doubles nn.Linear(n, 2).reset_parameters() passes to Tensor.uniform_, captured by
  wrapping uniform_ while the layer is built.

  "fresh_generator": {"initial_seed": str, "ops": [...], "results": [...]}: the same kind of
  recipe run on a new torch.Generator() that was never seeded.
  tensor:  {"shape": [...], "data": [flat row-major values]} when numel <= 64, else a summary
           {"shape", "sha256" (of the float32 LE bytes), "sum", "abs_sum", "first8", "last8",
           "samples": [[flat_index, value], ...]}

Numbers are Python reprs of exact float32 values (apply Math.fround after JSON.parse). Seeds are
strings because 2^64-1 does not survive a JSON double. Output is deterministic: re-running on
the same build gives an identical file. Reference data comes only from torch, never from our
engine.
"""
import hashlib
import json
import math
import os
import platform
import struct
import sys

import torch

torch.set_num_threads(1)

FULL_MAX = 64
N_SAMPLES = 32


def tensor_json(t):
    vals = t.detach().contiguous().view(-1).tolist()
    n = len(vals)
    if n <= FULL_MAX:
        return {"shape": list(t.shape), "data": vals}
    stride = max(1, n // N_SAMPLES)
    return {
        "shape": list(t.shape),
        "sha256": hashlib.sha256(struct.pack("<%df" % n, *vals)).hexdigest(),
        "sum": math.fsum(vals),
        "abs_sum": math.fsum(abs(v) for v in vals),
        "first8": vals[:8],
        "last8": vals[-8:],
        "samples": [[i, vals[i]] for i in range(0, n, stride)][:N_SAMPLES],
    }


def apply(op):
    kind, args = op[0], op[1:]
    if kind == "randn":
        return tensor_json(torch.randn(*args[0]))
    if kind == "rand":
        return tensor_json(torch.rand(*args[0]))
    if kind == "uniform":
        shape, lo, hi = args
        return tensor_json(torch.empty(*shape).uniform_(lo, hi))
    if kind == "normal":
        shape, mean, std = args
        return tensor_json(torch.empty(*shape).normal_(mean, std))
    if kind == "linear":
        lin = torch.nn.Linear(args[0], args[1])
        return {"weight": tensor_json(lin.weight), "bias": tensor_json(lin.bias)}
    raise ValueError(kind)


def entry(name, seed, ops):
    torch.manual_seed(seed)
    initial = torch.initial_seed()
    return {"name": name, "seed": str(seed), "initial_seed": str(initial),
            "ops": ops, "results": [apply(op) for op in ops]}


def randn(*shape):
    return ["randn", list(shape)]


def rand(*shape):
    return ["rand", list(shape)]


def entries():
    out = []
    for seed in (3, 123):
        for n in range(1, 41):
            out.append(entry("randn(%d)" % n, seed, [randn(n)]))
        for shape in [(5, 7), (2, 8), (4, 4, 2), (3, 3, 3), (100, 33), (624,), (1249,), (64, 10)]:
            out.append(entry("randn%s" % (shape,), seed, [randn(*shape)]))
        out.append(entry("cache: randn(1) x3", seed, [randn(1), randn(1), randn(1)]))
        out.append(entry("cache: randn 3,5,1,20,2 then rand(3)", seed,
                         [randn(3), randn(5), randn(1), randn(20), randn(2), rand(3)]))
        out.append(entry("cache: randn 15,16,15", seed, [randn(15), randn(16), randn(15)]))
        out.append(entry("cache: randn(1) then rand(4)", seed, [randn(1), rand(4)]))
        out.append(entry("rand(5) then randn(3)", seed, [rand(5), randn(3)]))
        out.append(entry("rand(7)", seed, [rand(7)]))
        out.append(entry("rand(1000)", seed, [rand(1000)]))
        for shape, lo, hi in [((20,), -2.0, 3.0), ((20,), 0.1, 0.7), ((33,), -1e-3, 5.0), ((8,), 2.0, 2.0),
                              ((17,), -0.5, 0.5), ((10,), 1e-8, 1e-7), ((12,), -100.0, 1e-3),
                              ((0,), 0.0, 1.0), ((300, 7), -0.3, 0.3)]:
            out.append(entry("uniform_%s(%r,%r) then rand(2)" % (shape, lo, hi), seed,
                             [["uniform", list(shape), lo, hi], rand(2)]))
        for shape, mean, std in [((5,), 0.5, 2.0), ((37,), 0.5, 2.0), ((16,), -1.25, 0.1), ((15,), -1.25, 0.1),
                                 ((40,), 3.0, 0.0), ((3,), 0.0, 0.0), ((1000,), 1e3, 1e-3), ((7, 9), -2.0, 3.7)]:
            out.append(entry("normal_%s(%r,%r)" % (shape, mean, std), seed,
                             [["normal", list(shape), mean, std], ["normal", list(shape), mean, std]]))
        for fan_in, fan_out in [(7, 3), (1, 1), (33, 17), (3, 5), (5, 1), (100, 10), (2, 64), (1, 300),
                                (0, 3), (3, 0), (6, 0)]:
            out.append(entry("Linear(%d,%d) then rand(2)" % (fan_in, fan_out), seed,
                             [["linear", fan_in, fan_out], rand(2)]))
        out.append(entry("workload N=6 D_in=5 H=4 D_out=2", seed,
                         [randn(6, 5), randn(6, 2), ["linear", 5, 4], ["linear", 4, 2]]))
        out.append(entry("workload N=64 D_in=33 H=17 D_out=3", seed,
                         [randn(64, 33), randn(64, 3), ["linear", 33, 17], ["linear", 17, 3]]))
    for seed in (-1, 2**64 - 1, 2**32 + 5, 5, -(2**63), 2**63, 0, 2**32, 4294967295):
        out.append(entry("seed %d" % seed, seed, [rand(4), randn(3), randn(17)]))
    return out


def uniform_bounds():
    """Record the (from, to) doubles Linear's init hands to uniform_, straight from torch's code."""
    out = []
    original = torch.Tensor.uniform_
    calls = []

    def spy(self, a=0.0, b=1.0, *args, **kwargs):
        calls.append([a, b])
        return original(self, a, b, *args, **kwargs)

    torch.Tensor.uniform_ = spy
    try:
        for n in (1, 2, 3, 5, 7, 10, 33, 100, 300, 784, 1000, 4096, 12345):
            calls.clear()
            torch.nn.Linear(n, 2)
            assert len(calls) == 2, calls
            out.append({"in_features": n, "weight": calls[0], "bias": calls[1]})
    finally:
        torch.Tensor.uniform_ = original
    return out


def fresh_generator():
    """A new torch.Generator() starts from c10's default seed; replay a few ops on it."""
    g = torch.Generator()
    ops = [rand(3), randn(3), randn(20)]
    results = [tensor_json(torch.rand(3, generator=g)), tensor_json(torch.randn(3, generator=g)),
               tensor_json(torch.randn(20, generator=g))]
    return {"initial_seed": str(g.initial_seed()), "ops": ops, "results": results}


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/torch-%s/rng_extra.json" % torch.__version__.split("+")[0]
    doc = {
        "schema": "optim-lab/rng-extra/v1",
        "meta": {
            "torch_version": torch.__version__,
            "python": platform.python_version(),
            "machine": platform.machine(),
            "cpu_capability": torch.backends.cpu.get_cpu_capability(),
            "num_threads": torch.get_num_threads(),
            "generated_by": "scripts/torch/gen_rng_extra.py",
        },
        "entries": entries(),
        "uniform_bounds": uniform_bounds(),
        "fresh_generator": fresh_generator(),
    }
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print("wrote", path, os.path.getsize(path), "bytes,", len(doc["entries"]), "entries")


if __name__ == "__main__":
    main()
