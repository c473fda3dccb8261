#!/usr/bin/env python3
"""Reference learning-rate schedules and scheduled training runs from REAL PyTorch.

Usage (repo root, with the PyTorch 2.13 CPU venv):

    .venv-torch/bin/python scripts/torch/gen_scheduler_fixtures.py

writes tests/fixtures/torch-2.13.0/schedulers.json, read by tests/engine/optim/lr-scheduler*.test.ts.
Produced only by real PyTorch (this script), never by our engine. Deterministic: re-running gives
the same bytes.

Schema ("optim-lab/schedulers/v1"):

  sequences[name] = {
    optimizer: {type, kwargs, group_lrs (null: one group of 3 parameters; else one group per lr,
                with {"params": [...], "lr": group_lrs[g]} and the kwargs as defaults)},
    scheduler: {type, kwargs}, steps, metrics (ReduceLROnPlateau only: metrics[t] goes to step t),
    lrs:       [steps + 1][groups]   group["lr"] after construction, then after each scheduler.step()
    last_lr:   [steps + 1][groups]   scheduler.get_last_lr() at the same moments
    momentum:  [steps + 1][groups]   group["momentum"] or group["betas"][0] (null if absent)
    param_groups: optimizer.state_dict()["param_groups"] at the end (params as ids)
    state_dict:   scheduler.state_dict() at the end (inf written as "Infinity")
    cos_calls:    [[x, math.cos(x)], ...] every cosine the schedule computed, in order
  }
  Each step calls optimizer.step() (no gradients: a no-op) and then scheduler.step(), as a
  training loop does.

  errors[name] = {optimizer, scheduler, steps, error: "ValueError: <message>"}
    the constructor (or the step given by `steps`) raises this.

  training[name] = {config, losses, lrs, final_loss, param_groups}
    config: {seed, n, d_in, hidden, d_out, activation, reduction, dtype, optimizer, kwargs,
             param_groups: "single" | "per-layer", group_kwargs: [..] (per-layer overrides),
             scheduler: {kind, options} (options as the lab's config holds them)}
    The lab's construction order: manual_seed; x = randn(n, d_in); y = randn(n, d_out);
    Sequential(Linear, Act, ..., Linear); float64: .double() on x, y, model; optimizer (groups:
    one dict per Linear, in order); scheduler. Each step: y_pred = model(x); loss; record
    loss.item() and each group's lr; zero_grad(); backward(); optimizer.step();
    scheduler.step() (ReduceLROnPlateau: scheduler.step(loss.item())).
    OneCycleLR's total_steps defaults to the run's steps, as in the lab.
"""
import json
import math
import os
import platform

import torch
from torch.optim import lr_scheduler

torch.set_num_threads(1)


class RecordingMath:
    """lr_scheduler's `math`, recording every math.cos(x) the schedules call.

    The cosine schedules' lrs depend on the platform libm's last bit; the tests replay these
    recorded (x, cos x) pairs to tell a formula difference from a libm difference."""

    def __init__(self):
        self.calls = []

    def cos(self, x):
        value = math.cos(x)
        self.calls.append([x, value])
        return value

    def __getattr__(self, name):
        return getattr(math, name)


RECORDER = RecordingMath()
lr_scheduler.math = RECORDER
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "tests", "fixtures", "torch-2.13.0", "schedulers.json")


def opt(type_, group_lrs=None, **kwargs):
    return {"type": type_, "kwargs": kwargs, "group_lrs": group_lrs}


def sched(type_, **kwargs):
    return {"type": type_, "kwargs": kwargs}


PLATEAU_METRICS = [10, 9, 8.5, 8.5, 8.49, 8.6, 8.7, 8.0, 8.0, 8.0, 8.0, 8.0, 7.0, 7.1, 7.2, 7.3, 7.4,
                   7.5, 6.0, 6.0, 6.0, 6.0, 6.0, 6.0, 6.0, 6.0, 6.0, 6.0, 6.0, 6.0]

SEQUENCES = {
    "steplr_sgd": (opt("SGD", lr=0.1), sched("StepLR", step_size=3, gamma=0.5), 20, None),
    "steplr_default_gamma_lesson_lr": (opt("Adam", lr=1e-4), sched("StepLR", step_size=7), 30, None),
    "steplr_two_groups": (opt("SGD", [0.1, 0.01], lr=0.5, momentum=0.9), sched("StepLR", step_size=4, gamma=0.3), 25, None),
    "steplr_step_size_1": (opt("RMSprop", lr=0.01), sched("StepLR", step_size=1, gamma=0.7), 15, None),
    "multisteplr_repeated_milestone": (opt("SGD", lr=0.1), sched("MultiStepLR", milestones=[2, 5, 5, 9], gamma=0.5), 12, None),
    "multisteplr_milestone_zero": (opt("Adam", lr=1e-3), sched("MultiStepLR", milestones=[0, 3]), 6, None),
    "multisteplr_unsorted_two_groups": (opt("AdamW", [1e-3, 3e-4]), sched("MultiStepLR", milestones=[8, 3], gamma=0.25), 12, None),
    "exponentiallr": (opt("SGD", lr=0.1), sched("ExponentialLR", gamma=0.9), 50, None),
    "exponentiallr_long": (opt("Adam", lr=1e-4), sched("ExponentialLR", gamma=0.999), 300, None),
    "exponentiallr_gamma_above_1": (opt("SGD", [0.1, 0.2, 0.3]), sched("ExponentialLR", gamma=1.05), 20, None),
    "cosine_past_t_max": (opt("SGD", lr=0.1), sched("CosineAnnealingLR", T_max=10), 45, None),
    "cosine_eta_min_two_groups": (opt("SGD", [0.1, 0.05], lr=0.2), sched("CosineAnnealingLR", T_max=7, eta_min=1e-3), 30, None),
    "cosine_lesson": (opt("Adam", lr=1e-4), sched("CosineAnnealingLR", T_max=100), 100, None),
    "cosine_t_max_1": (opt("SGD", lr=0.5), sched("CosineAnnealingLR", T_max=1, eta_min=0.1), 6, None),
    "cosine_t_max_3_long": (opt("Adagrad", lr=0.3), sched("CosineAnnealingLR", T_max=3, eta_min=0.01), 40, None),
    "linearlr_defaults": (opt("SGD", lr=0.1), sched("LinearLR"), 10, None),
    "linearlr_warmup": (opt("Adam", lr=1e-3), sched("LinearLR", start_factor=0.1, end_factor=1.0, total_iters=8), 12, None),
    "linearlr_decay": (opt("SGD", [0.1, 0.01], lr=0.1), sched("LinearLR", start_factor=1.0, end_factor=0.05, total_iters=20), 25, None),
    "linearlr_to_zero": (opt("RMSprop", lr=0.01), sched("LinearLR", start_factor=0.5, end_factor=0.0, total_iters=4), 8, None),
    "onecycle_sgd_momentum": (opt("SGD", lr=0.1, momentum=0.9), sched("OneCycleLR", max_lr=0.1, total_steps=20), 20, None),
    "onecycle_sgd_no_momentum_given": (opt("SGD", lr=1e-3), sched("OneCycleLR", max_lr=0.05, total_steps=25), 25, None),
    "onecycle_adam_betas": (opt("Adam", lr=1e-4), sched("OneCycleLR", max_lr=1e-3, total_steps=30), 30, None),
    "onecycle_adamw_linear_three_phase": (
        opt("AdamW", lr=1e-3, betas=(0.8, 0.99)),
        sched("OneCycleLR", max_lr=2e-3, total_steps=40, pct_start=0.25, anneal_strategy="linear",
              div_factor=10.0, final_div_factor=100.0, three_phase=True), 40, None),
    "onecycle_cos_three_phase": (opt("NAdam", lr=1e-3), sched("OneCycleLR", max_lr=1e-2, total_steps=33, three_phase=True), 33, None),
    "onecycle_adagrad_no_cycle_momentum": (opt("Adagrad", lr=0.1), sched("OneCycleLR", max_lr=0.5, total_steps=17, cycle_momentum=False), 17, None),
    "onecycle_rmsprop_momentum": (opt("RMSprop", lr=0.01), sched("OneCycleLR", max_lr=0.02, total_steps=15), 15, None),
    "onecycle_two_groups_lists": (
        opt("SGD", [0.1, 0.01], momentum=0.5),
        sched("OneCycleLR", max_lr=[0.1, 0.01], total_steps=24, base_momentum=[0.8, 0.7], max_momentum=0.9,
              pct_start=0.4), 24, None),
    "onecycle_total_steps_2": (opt("Adamax", lr=1e-3), sched("OneCycleLR", max_lr=4e-3, total_steps=2), 2, None),
    "onecycle_pct_start_0": (opt("RAdam", lr=1e-3), sched("OneCycleLR", max_lr=1e-3, total_steps=10, pct_start=0.0), 10, None),
    "plateau_defaults": (opt("SGD", lr=0.1), sched("ReduceLROnPlateau"), 30, PLATEAU_METRICS),
    "plateau_patience_cooldown_min_lr": (
        opt("Adam", lr=1e-2),
        sched("ReduceLROnPlateau", patience=2, factor=0.5, threshold=0.05, cooldown=2, min_lr=2e-3), 30, PLATEAU_METRICS),
    "plateau_patience_0": (opt("SGD", lr=1.0), sched("ReduceLROnPlateau", patience=0, factor=0.5), 30, PLATEAU_METRICS),
    "plateau_max_abs": (
        opt("SGD", [0.1, 0.02], lr=0.1),
        sched("ReduceLROnPlateau", mode="max", threshold_mode="abs", threshold=0.5, patience=1, factor=0.2,
              min_lr=[1e-3, 1e-2]), 30, [-m for m in PLATEAU_METRICS]),
    "plateau_min_abs_eps": (
        opt("SGD", lr=1e-7),
        sched("ReduceLROnPlateau", threshold_mode="abs", threshold=0.2, patience=1, eps=1e-8), 30, PLATEAU_METRICS),
    "plateau_max_rel": (
        opt("RMSprop", lr=0.01),
        sched("ReduceLROnPlateau", mode="max", patience=3, cooldown=1), 30, PLATEAU_METRICS),
}

ERRORS = {
    "linearlr_start_factor_0": (opt("SGD", lr=0.1), sched("LinearLR", start_factor=0.0), 0),
    "linearlr_start_factor_above_1": (opt("SGD", lr=0.1), sched("LinearLR", start_factor=1.5), 0),
    "linearlr_end_factor_negative": (opt("SGD", lr=0.1), sched("LinearLR", end_factor=-0.1), 0),
    "plateau_factor_1": (opt("SGD", lr=0.1), sched("ReduceLROnPlateau", factor=1.0), 0),
    "plateau_mode": (opt("SGD", lr=0.1), sched("ReduceLROnPlateau", mode="avg"), 0),
    "plateau_threshold_mode": (opt("SGD", lr=0.1), sched("ReduceLROnPlateau", threshold_mode="pct"), 0),
    "plateau_min_lr_length": (opt("SGD", [0.1, 0.2]), sched("ReduceLROnPlateau", min_lr=[0.0, 0.0, 0.0]), 0),
    "onecycle_total_steps_0": (opt("SGD", lr=0.1), sched("OneCycleLR", max_lr=0.1, total_steps=0), 0),
    "onecycle_pct_start": (opt("SGD", lr=0.1), sched("OneCycleLR", max_lr=0.1, total_steps=10, pct_start=1.5), 0),
    "onecycle_anneal_strategy": (opt("SGD", lr=0.1), sched("OneCycleLR", max_lr=0.1, total_steps=10, anneal_strategy="exp"), 0),
    "onecycle_adagrad_cycle_momentum": (opt("Adagrad", lr=0.1), sched("OneCycleLR", max_lr=0.1, total_steps=10), 0),
    "onecycle_adadelta_cycle_momentum": (opt("Adadelta", lr=1.0), sched("OneCycleLR", max_lr=1.0, total_steps=10), 0),
    "onecycle_max_lr_length": (opt("SGD", [0.1, 0.2]), sched("OneCycleLR", max_lr=[0.1, 0.2, 0.3], total_steps=10), 0),
    "onecycle_step_past_total": (opt("SGD", lr=0.1), sched("OneCycleLR", max_lr=0.1, total_steps=3), 4),
}


def train_cfg(seed, optimizer, kwargs, scheduler, steps, n=32, d_in=20, hidden=(16,), d_out=4,
              activation="relu", reduction="sum", dtype="float32", param_groups="single", group_kwargs=None):
    return {"seed": seed, "n": n, "d_in": d_in, "hidden": list(hidden), "d_out": d_out,
            "activation": activation, "reduction": reduction, "dtype": dtype, "optimizer": optimizer,
            "kwargs": kwargs, "param_groups": param_groups, "group_kwargs": group_kwargs or [],
            "scheduler": scheduler, "steps": steps}


TRAINING = {
    "sgd_momentum_steplr": train_cfg(
        1, "SGD", {"lr": 1e-3, "momentum": 0.9}, {"kind": "StepLR", "options": {"step_size": 5, "gamma": 0.5}}, 40),
    "lesson_adam_cosine": train_cfg(
        0, "Adam", {"lr": 1e-3}, {"kind": "CosineAnnealingLR", "options": {"T_max": 30}}, 40,
        n=64, d_in=1000, hidden=[100], d_out=10),
    "per_layer_sgd_exponential_tanh_mean": train_cfg(
        2, "SGD", {"lr": 0.05}, {"kind": "ExponentialLR", "options": {"gamma": 0.95}}, 40,
        hidden=[16, 8], activation="tanh", reduction="mean", param_groups="per-layer",
        group_kwargs=[{"lr": 0.2}, {}, {"lr": 0.01, "momentum": 0.5}]),
    "onecycle_sgd_cycled_momentum_mean": train_cfg(
        3, "SGD", {"lr": 1e-3}, {"kind": "OneCycleLR", "options": {"max_lr": 0.5}}, 40, reduction="mean"),
    "onecycle_adam_per_layer_weight_decay": train_cfg(
        4, "Adam", {"lr": 1e-3}, {"kind": "OneCycleLR", "options": {"max_lr": [1e-2, 3e-3], "pct_start": 0.2}}, 50,
        param_groups="per-layer", group_kwargs=[{"weight_decay": 1e-2}]),
    "plateau_adam_high_lr": train_cfg(
        5, "Adam", {"lr": 0.05}, {"kind": "ReduceLROnPlateau", "options": {"patience": 2, "factor": 0.5}}, 60,
        n=16, d_in=8, hidden=[8], d_out=2),
    "linearlr_warmup_rmsprop_leaky": train_cfg(
        6, "RMSprop", {"lr": 1e-3, "momentum": 0.5},
        {"kind": "LinearLR", "options": {"start_factor": 0.1, "total_iters": 10}}, 40, activation="leaky_relu"),
    "multisteplr_adamw_float64": train_cfg(
        7, "AdamW", {"lr": 1e-2, "betas": [0.85, 0.98]},
        {"kind": "MultiStepLR", "options": {"milestones": [10, 20], "gamma": 0.3}}, 40, dtype="float64",
        param_groups="per-layer", group_kwargs=[{}, {"lr": 1e-3}]),
    "cosine_sgd_nesterov_float64": train_cfg(
        8, "SGD", {"lr": 1e-3, "momentum": 0.9, "nesterov": True},
        {"kind": "CosineAnnealingLR", "options": {"T_max": 25, "eta_min": 1e-4}}, 50, dtype="float64",
        hidden=[16, 16], activation="tanh"),
}

ACTIVATIONS = {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh, "sigmoid": torch.nn.Sigmoid,
               "leaky_relu": torch.nn.LeakyReLU}


def jsonable(v):
    if isinstance(v, float) and not math.isfinite(v):
        return "NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity")
    if torch.is_tensor(v):
        return jsonable(v.tolist())
    if isinstance(v, dict):
        return {str(k): jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [jsonable(x) for x in v]
    return v


def build_optimizer(spec):
    params = [torch.nn.Parameter(torch.zeros(2)) for _ in range(3)]
    cls = getattr(torch.optim, spec["type"])
    if spec["group_lrs"] is None:
        return cls(params, **spec["kwargs"])
    groups = [{"params": [torch.nn.Parameter(torch.zeros(2))], "lr": lr} for lr in spec["group_lrs"]]
    return cls(groups, **spec["kwargs"])


def momentum_of(group):
    if "betas" in group:
        return group["betas"][0]
    return group.get("momentum")


def sequence(optimizer_spec, scheduler_spec, steps, metrics):
    RECORDER.calls = []
    optimizer = build_optimizer(optimizer_spec)
    scheduler = getattr(lr_scheduler, scheduler_spec["type"])(optimizer, **scheduler_spec["kwargs"])
    lrs, last_lr, momentum = [], [], []

    def record():
        lrs.append([g["lr"] for g in optimizer.param_groups])
        last_lr.append(list(scheduler.get_last_lr()))
        momentum.append([momentum_of(g) for g in optimizer.param_groups])

    record()
    for t in range(steps):
        optimizer.step()
        if metrics is None:
            scheduler.step()
        else:
            scheduler.step(metrics[t])
        record()
    sd = scheduler.state_dict()
    return {
        "optimizer": jsonable(optimizer_spec),
        "scheduler": jsonable(scheduler_spec),
        "steps": steps,
        "metrics": metrics,
        "lrs": lrs,
        "last_lr": last_lr,
        "momentum": momentum,
        "param_groups": jsonable(optimizer.state_dict()["param_groups"]),
        "state_dict": jsonable(sd),
        "cos_calls": list(RECORDER.calls),
    }


def error(optimizer_spec, scheduler_spec, steps):
    try:
        optimizer = build_optimizer(optimizer_spec)
        scheduler = getattr(lr_scheduler, scheduler_spec["type"])(optimizer, **scheduler_spec["kwargs"])
        for _ in range(steps):
            optimizer.step()
            scheduler.step()
    except Exception as e:  # noqa: BLE001 - we record exactly what PyTorch raises
        return {"optimizer": jsonable(optimizer_spec), "scheduler": jsonable(scheduler_spec), "steps": steps,
                "error": "%s: %s" % (type(e).__name__, e)}
    raise AssertionError("expected an error from %r %r" % (optimizer_spec, scheduler_spec))


def train(config):
    torch.manual_seed(config["seed"])
    x = torch.randn(config["n"], config["d_in"])
    y = torch.randn(config["n"], config["d_out"])
    layers, width = [], config["d_in"]
    for h in config["hidden"]:
        layers += [torch.nn.Linear(width, h), ACTIVATIONS[config["activation"]]()]
        width = h
    layers.append(torch.nn.Linear(width, config["d_out"]))
    model = torch.nn.Sequential(*layers)
    if config["dtype"] == "float64":
        x, y, model = x.double(), y.double(), model.double()
    loss_fn = torch.nn.MSELoss(reduction=config["reduction"])
    kwargs = dict(config["kwargs"])
    if "betas" in kwargs:
        kwargs["betas"] = tuple(kwargs["betas"])
    cls = getattr(torch.optim, config["optimizer"])
    if config["param_groups"] == "per-layer":
        linears = [m for m in model if isinstance(m, torch.nn.Linear)]
        groups = []
        for i, layer in enumerate(linears):
            group = {"params": list(layer.parameters())}
            if i < len(config["group_kwargs"]):
                group.update(config["group_kwargs"][i])
            groups.append(group)
        optimizer = cls(groups, **kwargs)
    else:
        optimizer = cls(model.parameters(), **kwargs)
    options = dict(config["scheduler"]["options"])
    kind = config["scheduler"]["kind"]
    if kind == "OneCycleLR":
        options.setdefault("total_steps", config["steps"])
    scheduler = getattr(lr_scheduler, kind)(optimizer, **options)
    losses, lrs = [], []
    for t in range(config["steps"]):
        y_pred = model(x)
        loss = loss_fn(y_pred, y)
        losses.append(loss.item())
        lrs.append([g["lr"] for g in optimizer.param_groups])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if kind == "ReduceLROnPlateau":
            scheduler.step(loss.item())
        else:
            scheduler.step()
    with torch.no_grad():
        final_loss = loss_fn(model(x), y).item()
    return {"config": config, "losses": losses, "lrs": lrs, "final_loss": final_loss,
            "param_groups": jsonable(optimizer.state_dict()["param_groups"])}


def main():
    out = {
        "schema": "optim-lab/schedulers/v1",
        "meta": {"torch_version": torch.__version__, "python": platform.python_version(),
                 "machine": platform.machine(), "num_threads": torch.get_num_threads(),
                 "generated_by": "scripts/torch/gen_scheduler_fixtures.py"},
        "sequences": {name: sequence(*spec) for name, spec in SEQUENCES.items()},
        "errors": {name: error(*spec) for name, spec in ERRORS.items()},
        "training": {name: train(cfg) for name, cfg in TRAINING.items()},
    }
    with open(OUT, "w") as f:
        json.dump(out, f, separators=(",", ":"), allow_nan=False)
        f.write("\n")
    print("wrote %s (%d bytes): %d sequences, %d errors, %d training runs" % (
        os.path.normpath(OUT), os.path.getsize(OUT), len(out["sequences"]), len(out["errors"]), len(out["training"])))


if __name__ == "__main__":
    main()
