#!/usr/bin/env python3
"""Reference runs of torch.optim on given gradients, for tests/engine/optim/cases.test.ts.

Usage (repo root, with the PyTorch 2.13 CPU venv):

    .venv-torch/bin/python scripts/torch/gen_optim_cases.py

writes tests/fixtures/torch-2.13.0/optim_cases.json. Produced only by real PyTorch, never by
our engine.

What it covers that small_seed7 (3 steps, default-ish configs) does not: 12 steps (RAdam's
rectified branch starts at step 6), lerp weights >= 0.5, maximize, coupled and decoupled weight
decay everywhere, Adagrad lr_decay / initial_accumulator_value, two param groups with an lr
changed mid-run, a parameter whose grad is None on some steps, and float64 parameters.

IEEE sqrt. PyPI torch computes Tensor.sqrt with MKL's vsSqrt/vdSqrt, which is not correctly
rounded (about 1 result in 5 is 1 ulp off). Those ulps would propagate through 12 steps and hide
rounding bugs of our own, so this script replaces `Tensor.sqrt` / `Tensor.sqrt_` (the only sqrt
the single-tensor optimizers call) with numpy's correctly rounded sqrt. Everything else is torch's
own code and kernels. The unpatched MKL behaviour is covered by small_seed7.

Gradients are drawn with torch.manual_seed; each run starts from the same parameters. Numbers are
Python reprs of the exact float32 (or float64) values.
"""
import json
import os
import platform

import numpy as np
import torch

torch.set_num_threads(1)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "tests", "fixtures", "torch-2.13.0", "optim_cases.json")
STEPS = 12
SHAPES = [(4, 5), (5,), (2, 3)]
NO_GRAD_STEPS = {3, 7}  # parameter 2 has grad None on these steps (skipped: no state, no step)

sqrt_calls = 0


def ieee_sqrt(self):
    global sqrt_calls
    sqrt_calls += 1
    return torch.from_numpy(np.sqrt(self.detach().contiguous().numpy()))


def ieee_sqrt_(self):
    self.copy_(ieee_sqrt(self))
    return self


torch.Tensor.sqrt = ieee_sqrt
torch.Tensor.sqrt_ = ieee_sqrt_

RUNS = [
    ("sgd", "SGD", {"lr": 0.1}),
    ("sgd_momentum_dampening_wd", "SGD", {"lr": 0.05, "momentum": 0.9, "dampening": 0.3, "weight_decay": 0.05}),
    ("sgd_nesterov_wd_maximize", "SGD", {"lr": 0.05, "momentum": 0.8, "nesterov": True, "weight_decay": 0.1, "maximize": True}),
    ("rmsprop", "RMSprop", {}),
    ("rmsprop_centered", "RMSprop", {"lr": 1e-2, "centered": True}),
    ("rmsprop_centered_momentum_wd", "RMSprop", {"lr": 1e-2, "centered": True, "momentum": 0.5, "weight_decay": 0.1}),
    ("rmsprop_alpha_low_maximize", "RMSprop", {"lr": 1e-2, "alpha": 0.3, "centered": True, "maximize": True}),
    ("adam", "Adam", {}),
    ("adam_low_betas", "Adam", {"lr": 0.05, "betas": (0.3, 0.6)}),
    ("adam_amsgrad_wd", "Adam", {"lr": 0.05, "amsgrad": True, "weight_decay": 0.1}),
    ("adam_decoupled_maximize", "Adam", {"lr": 0.05, "weight_decay": 0.1, "decoupled_weight_decay": True, "maximize": True}),
    ("adamw", "AdamW", {"lr": 0.05}),
    ("adamw_amsgrad", "AdamW", {"lr": 0.05, "amsgrad": True, "weight_decay": 0.3}),
    ("adamw_no_decay", "AdamW", {"lr": 0.05, "weight_decay": 0}),
    ("adagrad", "Adagrad", {"lr": 0.1}),
    ("adagrad_decay_init_wd", "Adagrad", {"lr": 0.1, "lr_decay": 0.1, "initial_accumulator_value": 0.5, "weight_decay": 0.1, "eps": 1e-3}),
    ("adagrad_maximize", "Adagrad", {"lr": 0.1, "maximize": True}),
    ("adadelta", "Adadelta", {}),
    ("adadelta_rho_wd_maximize", "Adadelta", {"lr": 0.5, "rho": 0.5, "weight_decay": 0.1, "maximize": True}),
    ("adamax", "Adamax", {"lr": 0.05}),
    ("adamax_low_betas_wd_maximize", "Adamax", {"lr": 0.05, "betas": (0.4, 0.9), "weight_decay": 0.1, "maximize": True}),
    ("nadam", "NAdam", {"lr": 0.05}),
    ("nadam_decay_wd", "NAdam", {"lr": 0.05, "momentum_decay": 0.1, "weight_decay": 0.1}),
    ("nadam_decoupled_maximize", "NAdam", {"lr": 0.05, "weight_decay": 0.1, "decoupled_weight_decay": True, "maximize": True}),
    ("radam", "RAdam", {"lr": 0.05}),
    ("radam_beta2_09_wd", "RAdam", {"lr": 0.05, "betas": (0.8, 0.9), "weight_decay": 0.1}),
    ("radam_decoupled_maximize", "RAdam", {"lr": 0.05, "weight_decay": 0.1, "decoupled_weight_decay": True, "maximize": True}),
]
FLOAT64_RUNS = ["sgd_nesterov_wd_maximize", "rmsprop_centered_momentum_wd", "adam_amsgrad_wd", "adamw",
                "adagrad_decay_init_wd", "adadelta", "adamax", "nadam_decay_wd", "radam_beta2_09_wd"]


def to_json(t):
    return t.item() if t.dim() == 0 else t.tolist()


def draw(dtype):
    torch.manual_seed(1234)
    init = [torch.randn(s, dtype=torch.float32).to(dtype) for s in SHAPES]
    grads = []
    for t in range(STEPS):
        scale = [1.0, 3e-3, 40.0, 0.2][t % 4]  # varied magnitudes
        grads.append([(torch.randn(s, dtype=torch.float32) * scale).to(dtype) for s in SHAPES])
    return init, grads


def inputs(dtype):
    """The initial parameters and the gradient fed at each step (null: grad None, step skipped)."""
    init, grads = draw(dtype)
    return {"init": [to_json(p) for p in init],
            "grads": [[None if (i == 2 and t in NO_GRAD_STEPS) else to_json(g) for i, g in enumerate(step)]
                      for t, step in enumerate(grads)]}


def run(name, cls, kwargs, dtype, groups=False, lr_at=None):
    init, grads = draw(dtype)
    params = [p.clone().requires_grad_(True) for p in init]
    if groups:
        optimizer = getattr(torch.optim, cls)([{"params": params[:1], "lr": 0.1}, {"params": params[1:]}], **kwargs)
    else:
        optimizer = getattr(torch.optim, cls)(params, **kwargs)
    after = []
    for t in range(STEPS):
        if lr_at and t == lr_at[0]:
            optimizer.param_groups[0]["lr"] = lr_at[1]
        for i, p in enumerate(params):
            p.grad = None if (i == 2 and t in NO_GRAD_STEPS) else grads[t][i].clone()
        optimizer.step()
        after.append([to_json(p.detach()) for p in params])
    sd = optimizer.state_dict()
    state = {str(k): {kk: to_json(vv) for kk, vv in v.items()} for k, v in sd["state"].items()}
    param_groups = [{k: (list(v) if isinstance(v, tuple) else v) for k, v in g.items()} for g in sd["param_groups"]]
    return {
        "optimizer": cls, "kwargs": {k: (list(v) if isinstance(v, tuple) else v) for k, v in kwargs.items()},
        "dtype": "float64" if dtype == torch.float64 else "float32",
        "groups": groups, "lr_at": list(lr_at) if lr_at else None,
        "params_after_step": after,
        "state_dict": {"state": state, "param_groups": param_groups},
    }


def main():
    runs = {}
    for name, cls, kwargs in RUNS:
        runs[name] = run(name, cls, kwargs, torch.float32)
    for name, cls, kwargs in RUNS:
        if name in FLOAT64_RUNS:
            runs[name + "_float64"] = run(name, cls, kwargs, torch.float64)
    runs["adam_two_groups_lr_change"] = run("adam_two_groups_lr_change", "Adam", {"lr": 0.01}, torch.float32,
                                            groups=True, lr_at=(6, 0.003))
    runs["sgd_two_groups_lr_change"] = run("sgd_two_groups_lr_change", "SGD", {"lr": 0.01, "momentum": 0.9},
                                           torch.float32, groups=True, lr_at=(4, 0.5))
    assert sqrt_calls > 0, "the sqrt patch was not used"
    out = {
        "schema": "optim-lab/optim-cases/v1",
        "meta": {"torch_version": torch.__version__, "python": platform.python_version(),
                 "machine": platform.machine(), "cpu_capability": torch.backends.cpu.get_cpu_capability(),
                 "num_threads": torch.get_num_threads(), "sqrt": "numpy (IEEE, correctly rounded) patched over Tensor.sqrt/sqrt_",
                 "generated_by": "tests/engine/optim/torch/gen_optim_cases.py"},
        "steps": STEPS, "shapes": [list(s) for s in SHAPES], "no_grad_steps_param2": sorted(NO_GRAD_STEPS),
        "inputs": {name: inputs(dtype) for name, dtype in (("float32", torch.float32), ("float64", torch.float64))},
        "runs": runs,
    }
    with open(OUT, "w") as f:
        json.dump(out, f, allow_nan=False, separators=(",", ":"))
    print(f"wrote {OUT}: {len(runs)} runs, {os.path.getsize(OUT)} bytes, {sqrt_calls} patched sqrt calls")


if __name__ == "__main__":
    main()
