#!/usr/bin/env python3
"""Generate extra REAL-PyTorch parity fixtures for Optim Lab's TypeScript engine.

Usage (from the repo root, with the PyTorch 2.13 CPU venv):

    .venv-torch/bin/python scripts/torch/gen_parity_fixtures.py tests/fixtures/torch-2.13.0

Writes into OUT_DIR (created if missing):

  float64_seed0.json, float64_seed5.json
      The lesson workload (N=64, D_in=1000, H=100, D_out=10, ReLU, MSELoss(sum)) under
      the DESIGN.md section 4 float64 rule: x, y and the weights are drawn in float32
      exactly as usual, THEN cast with .double(). 100 steps for each of 12 optimizer
      configurations.
  variants.json
      Architecture / activation / reduction / optimizer variants in float32, 60 steps each.
  variants_float64.json
      Three of those variants under the float64 rule, 100 steps each.

The JSON schema is documented in tests/fixtures/README-parity.md. These files are
produced ONLY by real PyTorch (this script), never by our own engine.

Design notes
  * torch.set_num_threads(1): deterministic reduction / BLAS order. Re-running the script
    on the same build gives byte-identical files (nothing time-dependent is written).
  * Every run re-seeds and rebuilds data and model from scratch, in the same order:
    manual_seed(seed); x = randn(n, d_in); y = randn(n, d_out); model = Sequential(...);
    [float64 rule: x, y, model = x.double(), y.double(), model.double()]; optimizer = ...
    Each step: y_pred = model(x); loss = loss_fn(y_pred, y); record loss.item();
    optimizer.zero_grad(); loss.backward(); optimizer.step().
    final_loss is one extra forward (under no_grad) after the last update.
  * Numbers are written with Python's repr (shortest round-trip of the double), via
    json.dump. float32 values are exact float32 values held in a double: apply
    Math.fround after JSON.parse if you need the float32. Non-finite numbers (none occur
    with the configurations below; the script prints a warning if they ever do) would be
    written as the strings "NaN", "Infinity", "-Infinity" so the files stay valid JSON.
  * This script is standalone; it shares conventions, not code, with the team's
    gen_fixtures.py (scripts/torch/gen_fixtures.py), which it does not modify.
"""
import hashlib
import json
import math
import os
import platform
import struct
import sys
import time

import torch

torch.set_num_threads(1)  # single-threaded BLAS / reductions: deterministic summation order

GENERATED_BY = "scripts/torch/gen_parity_fixtures.py"
SCHEMA_FLOAT64 = "optim-lab-parity/float64-workload/v1"
SCHEMA_VARIANTS = "optim-lab-parity/variants/v1"

FULL_DATA_MAX_NUMEL = 64  # tensors with at most this many elements also carry "data" (flat)
N_SAMPLES = 32            # strided samples kept for bigger tensors

# ----------------------------------------------------------------------------
# 1. float64 workload: the lesson net, float64 rule, 100 steps, 12 optimizers
# ----------------------------------------------------------------------------
FLOAT64_SEEDS = (0, 5)
FLOAT64_STEPS = 100
LESSON = {"n": 64, "d_in": 1000, "hidden": [100], "d_out": 10,
          "activation": "relu", "reduction": "sum"}

FLOAT64_RUNS = [
    # run name, torch.optim class name, constructor kwargs (exactly what is passed)
    ("sgd", "SGD", {"lr": 1e-6}),
    ("sgd_nesterov", "SGD", {"lr": 1e-6, "momentum": 0.9, "nesterov": True}),
    ("rmsprop", "RMSprop", {"lr": 1e-4}),
    ("rmsprop_centered_momentum", "RMSprop", {"lr": 1e-4, "centered": True, "momentum": 0.9}),
    ("adam", "Adam", {"lr": 1e-4}),
    ("adam_amsgrad", "Adam", {"lr": 1e-4, "amsgrad": True}),
    ("adamw", "AdamW", {"lr": 1e-4}),
    ("adagrad", "Adagrad", {"lr": 1e-2}),
    ("adadelta", "Adadelta", {"lr": 1.0}),
    ("adamax", "Adamax", {"lr": 1e-4}),
    ("nadam", "NAdam", {"lr": 1e-4}),
    ("radam", "RAdam", {"lr": 1e-4}),
]

# ----------------------------------------------------------------------------
# 2. variants: float32, 60 steps each
# ----------------------------------------------------------------------------
VARIANT_STEPS = 60
VARIANT_FLOAT64_STEPS = 100


def cfg(seed, optimizer, kwargs, n=64, d_in=1000, hidden=(100,), d_out=10,
        activation="relu", reduction="sum", dtype="float32"):
    """A variant config with exactly the keys the `lab` CLI understands (DESIGN.md section 5).
    Unspecified fields take the lesson's / CLI defaults."""
    return {"seed": seed, "n": n, "d_in": d_in, "hidden": list(hidden), "d_out": d_out,
            "activation": activation, "reduction": reduction, "dtype": dtype,
            "optimizer": optimizer, "kwargs": kwargs}


# (name, config, note). Only kwargs that the `lab` CLI has flags for are used.
VARIANTS = [
    ("lesson_seed3_adam",
     cfg(3, "Adam", {"lr": 1e-4}),
     "the lesson net and optimizer at seed 3 (also feeds an end-to-end UI test)"),
    ("seed11_tanh_64_32_sum_adam",
     cfg(11, "Adam", {"lr": 1e-3}, hidden=[64, 32], activation="tanh"),
     "two hidden layers, tanh"),
    ("seed12_sigmoid_mean_sgd_momentum",
     cfg(12, "SGD", {"lr": 0.1, "momentum": 0.9}, hidden=[50], activation="sigmoid",
         reduction="mean"),
     "sigmoid, mean reduction"),
    ("seed13_leaky_20x3_mean_rmsprop",
     cfg(13, "RMSprop", {"lr": 1e-3}, hidden=[20, 20, 20], activation="leaky_relu",
         reduction="mean"),
     "three hidden layers, LeakyReLU(0.01)"),
    ("seed14_tiny_adagrad",
     cfg(14, "Adagrad", {"lr": 0.1}, n=7, d_in=5, hidden=[3], d_out=1),
     "every tensor has < 16 elements or a size that is not a multiple of 16 (randn paths)"),
    ("seed15_odd_tanh_nadam",
     cfg(15, "NAdam", {"lr": 1e-3}, n=33, d_in=17, hidden=[9], d_out=3, activation="tanh"),
     "odd sizes (numel % 16 tails), tanh"),
    ("seed16_mean_adamw_betas_wd",
     cfg(16, "AdamW", {"lr": 1e-3, "betas": (0.8, 0.99), "weight_decay": 0.1},
         reduction="mean"),
     "AdamW with non-default betas and weight decay, mean reduction"),
    ("seed17_sigmoid_sgd_nesterov_wd",
     cfg(17, "SGD", {"lr": 1e-4, "momentum": 0.5, "nesterov": True, "weight_decay": 1e-3},
         hidden=[30], activation="sigmoid"),
     "Nesterov with weight decay, sigmoid"),
    ("seed18_10x10_adam_amsgrad",
     cfg(18, "Adam", {"lr": 1e-2, "amsgrad": True, "maximize": False}, hidden=[10, 10]),
     "AMSGrad, explicit maximize=False"),
    ("seed19_small_adamax",
     cfg(19, "Adamax", {"lr": 2e-3}, n=16, d_in=8, hidden=[6], d_out=2, reduction="mean"),
     "small net, Adamax"),
    ("seed19_small_radam",
     cfg(19, "RAdam", {"lr": 1e-3}, n=20, d_in=10, hidden=[12, 8], d_out=2, activation="tanh"),
     "small net, RAdam (rectified branch starts at step 6)"),
    ("seed19_small_adadelta",
     cfg(19, "Adadelta", {"lr": 1.0}, n=10, d_in=4, hidden=[5], d_out=3,
         activation="sigmoid", reduction="mean"),
     "small net, Adadelta"),
    ("large_seed_lesson_sgd",
     cfg(2**31 + 7, "SGD", {"lr": 1e-6}),
     "seed 2**31+7 (bit 31 set: breaks naive int32 seeding), lesson net"),
    # ---- extras beyond the brief's minimum (cheap, CLI-expressible) ----
    ("seed20_tanh_mean_rmsprop_centered_all",
     cfg(20, "RMSprop", {"lr": 1e-3, "alpha": 0.9, "eps": 1e-6, "weight_decay": 1e-4,
                         "momentum": 0.5, "centered": True},
         n=32, d_in=16, hidden=[8], d_out=4, activation="tanh", reduction="mean"),
     "extra: RMSprop with every hyperparameter non-default"),
    ("seed21_sigmoid_mean_sgd_dampening",
     cfg(21, "SGD", {"lr": 1e-2, "momentum": 0.9, "dampening": 0.3, "weight_decay": 1e-2},
         n=16, d_in=20, hidden=[16], d_out=2, activation="sigmoid", reduction="mean"),
     "extra: SGD with dampening and weight decay; a 16-element bias (no randn tail)"),
    ("seed22_relu_mean_adagrad_decay",
     cfg(22, "Adagrad", {"lr": 5e-2, "lr_decay": 1e-2, "weight_decay": 1e-3, "eps": 1e-8},
         n=24, d_in=12, hidden=[10], d_out=2, reduction="mean"),
     "extra: Adagrad with lr_decay, weight decay and eps"),
    ("seed23_n1_mean_adam",
     cfg(23, "Adam", {"lr": 1e-2, "betas": (0.5, 0.9), "eps": 1e-6, "weight_decay": 1e-2},
         n=1, d_in=3, hidden=[2], d_out=1, reduction="mean"),
     "extra: a single sample (n=1) with mean reduction; coupled L2 weight decay"),
    # maximize=True is gradient ASCENT on the MSE: the loss is meant to grow. lr is kept
    # small on purpose: SGD(lr=1e-3, maximize=True) on this net reaches inf/NaN within 60 steps.
    ("seed24_leaky_sum_adam_maximize",
     cfg(24, "Adam", {"lr": 1e-3, "maximize": True},
         n=8, d_in=6, hidden=[4], d_out=2, activation="leaky_relu"),
     "extra: Adam maximize=True (gradient ascent: the loss grows, by design)"),
    ("seed24_leaky_sum_sgd_momentum_maximize",
     cfg(24, "SGD", {"lr": 1e-4, "momentum": 0.9, "maximize": True},
         n=8, d_in=6, hidden=[4], d_out=2, activation="leaky_relu"),
     "extra: SGD momentum maximize=True (gradient ascent: the loss grows, by design)"),
    ("seed25_sigmoid_sum_adadelta_rho_wd",
     cfg(25, "Adadelta", {"lr": 0.5, "rho": 0.95, "eps": 1e-5, "weight_decay": 1e-3},
         n=12, d_in=9, hidden=[7, 5], d_out=2, activation="sigmoid"),
     "extra: Adadelta with rho, eps, weight decay"),
]

# A tanh, a sigmoid-mean and a multi-layer variant, re-run under the float64 rule.
VARIANTS_FLOAT64 = [
    "seed15_odd_tanh_nadam",
    "seed12_sigmoid_mean_sgd_momentum",
    "seed13_leaky_20x3_mean_rmsprop",
]

ACTIVATIONS = {
    "relu": torch.nn.ReLU,
    "tanh": torch.nn.Tanh,
    "sigmoid": torch.nn.Sigmoid,
    "leaky_relu": torch.nn.LeakyReLU,  # default negative_slope=0.01
}

# ----------------------------------------------------------------------------
# serialisation helpers
# ----------------------------------------------------------------------------
NONFINITE_SEEN = []


def num(v, where=""):
    """A Python float/int as JSON: finite -> itself (repr precision); else a string."""
    if isinstance(v, float) and not math.isfinite(v):
        NONFINITE_SEEN.append(where)
        return "NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity")
    return v


def dtype_name(t):
    return str(t.dtype).replace("torch.", "")


def tensor_record(t, where=""):
    """Summary of a tensor (see README-parity.md, 'Tensor record').

    sha256 is over the tensor's own little-endian bytes in row-major order:
    4-byte floats for float32, 8-byte doubles for float64."""
    t = t.detach().contiguous()
    vals = t.view(-1).tolist()
    fmt = {"float32": "f", "float64": "d"}[dtype_name(t)]
    raw = struct.pack("<%d%s" % (len(vals), fmt), *vals)
    n = len(vals)
    rec = {
        "shape": list(t.shape),
        "dtype": dtype_name(t),
        "numel": n,
        "sha256": hashlib.sha256(raw).hexdigest(),
        "sum": num(math.fsum(vals), where),
        "abs_sum": num(math.fsum(abs(v) for v in vals), where),
        "first8": [num(v, where) for v in vals[:8]],
        "last8": [num(v, where) for v in vals[-8:]],
    }
    if n <= FULL_DATA_MAX_NUMEL:
        rec["data"] = [num(v, where) for v in vals]
    else:
        stride = max(1, n // N_SAMPLES)
        rec["samples"] = [[i, num(vals[i], where)] for i in range(0, n, stride)][:N_SAMPLES]
    return rec


def jsonable(v, where=""):
    """state_dict pieces -> JSON (tuples as lists, 0-dim tensors as numbers)."""
    if torch.is_tensor(v):
        if v.dim() == 0:
            return num(v.item(), where)
        return tensor_record(v, where)
    if isinstance(v, dict):
        return {str(k): jsonable(x, where) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [jsonable(x, where) for x in v]
    if isinstance(v, float):
        return num(v, where)
    return v


def state_types(sd):
    """{state key: sorted list of type descriptions}, e.g. "tensor[] (0-dim) float32"."""
    out = {}
    for st in sd["state"].values():
        for k, v in st.items():
            if torch.is_tensor(v):
                if v.dim() == 0:
                    desc = "tensor[] (0-dim) %s" % dtype_name(v)
                else:
                    desc = "tensor[%s] %s" % (",".join(map(str, v.shape)), dtype_name(v))
            else:
                desc = type(v).__name__
            out.setdefault(k, set()).add(desc)
    return {k: sorted(v) for k, v in out.items()}


def meta(label):
    cfg_text = torch.__config__.show()
    blas = None
    if "BLAS_INFO=" in cfg_text:
        blas = cfg_text.split("BLAS_INFO=")[1].split(",")[0]
    try:
        cap = torch.backends.cpu.get_cpu_capability()
    except Exception:  # older torch
        cap = None
        if "CPU capability usage:" in cfg_text:
            cap = cfg_text.split("CPU capability usage:")[1].split("\n")[0].strip()
    return {
        "torch_version": torch.__version__,
        "label": label,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpu_capability": cap,
        "blas_info": blas,
        "num_threads": torch.get_num_threads(),
        "generated_by": GENERATED_BY,
    }


# ----------------------------------------------------------------------------
# building and training
# ----------------------------------------------------------------------------
def build(config):
    """Draw data and model in float32 in the fixed order; cast afterwards for float64.

    Returns (x, y, model, init) where init holds tensor records of the values AS DRAWN
    (float32, before any cast; the cast to float64 is exact)."""
    torch.manual_seed(config["seed"])
    x = torch.randn(config["n"], config["d_in"])
    y = torch.randn(config["n"], config["d_out"])
    layers, width = [], config["d_in"]
    act = ACTIVATIONS[config["activation"]]
    for h in config["hidden"]:
        layers += [torch.nn.Linear(width, h), act()]
        width = h
    layers.append(torch.nn.Linear(width, config["d_out"]))
    model = torch.nn.Sequential(*layers)

    init = {"x": tensor_record(x, "init x"), "y": tensor_record(y, "init y")}
    for k, v in model.state_dict().items():
        init[k] = tensor_record(v, "init " + k)

    if config["dtype"] == "float64":
        x, y, model = x.double(), y.double(), model.double()
    else:
        assert config["dtype"] == "float32"
    return x, y, model, init


def train(config, steps, where):
    """One run. Returns the JSON-ready run record (without name/config)."""
    x, y, model, init = build(config)
    loss_fn = torch.nn.MSELoss(reduction=config["reduction"])
    opt = getattr(torch.optim, config["optimizer"])(model.parameters(), **config["kwargs"])
    losses = []
    for t in range(steps):
        y_pred = model(x)
        loss = loss_fn(y_pred, y)
        losses.append(loss.item())
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        final_loss = loss_fn(model(x), y).item()
    sd = opt.state_dict()
    return {
        "init": init,
        "param_order": list(model.state_dict().keys()),
        "losses": [num(v, where + " losses") for v in losses],
        "final_loss": num(final_loss, where + " final_loss"),
        "param_groups": jsonable(sd["param_groups"], where + " param_groups"),
        "state_types": state_types(sd),
        "final_params": {k: tensor_record(v, where + " final " + k)
                         for k, v in model.state_dict().items()},
        "final_state": {str(pid): {k: jsonable(v, where + " state") for k, v in st.items()}
                        for pid, st in sd["state"].items()},
    }


def log_run(label, rec, seconds):
    ls = rec["losses"]
    print("  %-40s loss[0]=%-12.6g loss[-1]=%-12.6g final=%-12.6g (%.1fs)" % (
        label, float(ls[0]), float(ls[-1]), float(rec["final_loss"]), seconds), flush=True)


# ----------------------------------------------------------------------------
# file builders
# ----------------------------------------------------------------------------
def float64_workload(seed, label):
    config = dict(LESSON, seed=seed, dtype="float64")
    runs = {}
    init = None
    for name, cls_name, kwargs in FLOAT64_RUNS:
        t0 = time.time()
        rc = dict(config, optimizer=cls_name, kwargs=kwargs)
        rec = train(rc, FLOAT64_STEPS, "float64 seed %d %s" % (seed, name))
        if init is None:
            init = rec["init"]
        assert rec.pop("init") == init  # every run starts from the same draw
        runs[name] = {"optimizer": cls_name, "kwargs": jsonable(kwargs), **rec}
        log_run("float64 seed %d %s" % (seed, name), rec, time.time() - t0)
    return {
        "schema": SCHEMA_FLOAT64,
        "meta": meta(label),
        "config": {
            "seed": seed, "N": LESSON["n"], "D_in": LESSON["d_in"], "H": LESSON["hidden"][0],
            "D_out": LESSON["d_out"], "steps": FLOAT64_STEPS,
            "loss_fn": "MSELoss(reduction='sum')",
            "model": "Sequential(Linear(D_in,H), ReLU(), Linear(H,D_out))",
            "dtype_rule": "x, y and model drawn in float32 exactly as usual, then "
                          "x=x.double(); y=y.double(); model=model.double(); optimizer built "
                          "after the cast",
            "order": "manual_seed(seed); x=randn(N,D_in); y=randn(N,D_out); model=...; "
                     "cast; optimizer=...; for t: y_pred=model(x); loss=loss_fn(y_pred,y); "
                     "record loss.item(); zero_grad(); backward(); step()",
        },
        "init": init,
        "runs": runs,
    }


def variants_file(names_and_configs, steps, label, dtype):
    runs = {}
    for name, config, note in names_and_configs:
        config = dict(config, dtype=dtype)
        t0 = time.time()
        rec = train(config, steps, "%s %s" % (dtype, name))
        runs[name] = {"config": jsonable(config), "note": note, "steps": steps, **rec}
        log_run("%s %s" % (dtype, name), rec, time.time() - t0)
    return {
        "schema": SCHEMA_VARIANTS,
        "meta": meta(label),
        "dtype": dtype,
        "steps": steps,
        "order": "manual_seed(seed); x=randn(n,d_in); y=randn(n,d_out); "
                 "model=Sequential(Linear(d_in,h1), Act(), ..., Linear(h_last,d_out)); "
                 + ("x=x.double(); y=y.double(); model=model.double(); " if dtype == "float64"
                    else "")
                 + "optimizer=...; for t: y_pred=model(x); loss=MSELoss(reduction)(y_pred,y); "
                   "record loss.item(); zero_grad(); backward(); step()",
        "runs": runs,
    }


def dump(obj, path):
    with open(path, "w") as f:
        json.dump(obj, f, separators=(",", ":"), allow_nan=False)
        f.write("\n")
    print("wrote %s (%d bytes)" % (path, os.path.getsize(path)), flush=True)


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else \
        "tests/fixtures/torch-%s" % torch.__version__.split("+")[0]
    os.makedirs(out_dir, exist_ok=True)
    label = os.path.basename(os.path.normpath(out_dir))
    t_start = time.time()
    print("torch %s, %d thread(s), out %s" % (torch.__version__, torch.get_num_threads(), out_dir))

    for seed in FLOAT64_SEEDS:
        dump(float64_workload(seed, label), os.path.join(out_dir, "float64_seed%d.json" % seed))

    dump(variants_file(VARIANTS, VARIANT_STEPS, label, "float32"),
         os.path.join(out_dir, "variants.json"))

    by_name = {name: (name, c, note) for name, c, note in VARIANTS}
    dump(variants_file([by_name[n] for n in VARIANTS_FLOAT64], VARIANT_FLOAT64_STEPS,
                       label, "float64"),
         os.path.join(out_dir, "variants_float64.json"))

    if NONFINITE_SEEN:
        print("WARNING: non-finite values written as strings in: %s"
              % sorted(set(NONFINITE_SEEN)), flush=True)
    print("total runtime %.1fs" % (time.time() - t_start), flush=True)


if __name__ == "__main__":
    main()
