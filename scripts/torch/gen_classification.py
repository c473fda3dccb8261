#!/usr/bin/env python3
"""REAL-PyTorch fixtures for CrossEntropyLoss and the small synthetic 2-D datasets.

Usage (repo root, PyTorch 2.13 CPU venv):

    .venv-torch/bin/python scripts/torch/gen_classification.py tests/fixtures/torch-2.13.0/classification.json

Writes one JSON file (schema "optim-lab/classification/v1"):

  ops:      F.cross_entropy on fixed logits and class-index targets, reductions mean / sum / none,
            float32 and float64, ignore_index=-100 and large logits: the loss, d loss / d logits
            (for 'none', of (loss * weights).sum() with the stored weights) and the grad_fn names
            (loss.grad_fn and its first input's).
  datasets: moons / circles / spiral as Optim Lab defines them (below), drawn from torch's
            generator after manual_seed(seed): x [n, 2] float32 and the class index of every row.
  runs:     Sequential(Linear(2, H), ReLU(), Linear(H, C)) trained full-batch with
            CrossEntropyLoss on those datasets: manual_seed(seed); data; model; optimizer; per step
            loss = loss_fn(model(x), y); record loss.item(); zero_grad(); backward(); step().

The datasets (Optim Lab's definition, after scikit-learn's make_moons / make_circles and the CS231n
spiral; no shuffling, noise drawn from torch's generator so that our engine can draw the same):
  moons(n, noise):  m_out = n // 2, m_in = n - m_out; theta_i = pi * i / (m - 1);
                    outer (cos, sin) class 0, inner (1 - cos, 1 - sin - 0.5) class 1;
                    x = f32(base) + f32(noise) * randn(n, 2)            (float32 ops)
  circles(n, noise, factor=0.5): theta_i = 2 pi i / m (endpoint excluded); outer (cos, sin) class 0,
                    inner factor * (cos, sin) class 1; noise as for moons.
  spiral(n, classes, noise): class k gets n // classes rows (the first n % classes classes one
                    more); z = randn(n) drawn first; row j of class k, i-th of m:
                    r = i / (m - 1), t = 4 k + 4 i / (m - 1) + noise * z[j];
                    x = f32(r * sin t), f32(r * cos t)                   (double math, then cast)
Trig and the bases are computed in double (Python's math, as JavaScript's Math) and cast to float32.

Only real PyTorch produces these numbers (this script), never our engine. Deterministic: re-running
on the same build gives the same bytes. torch.set_num_threads(1).
"""
import json
import math
import sys

import torch
import torch.nn.functional as F

torch.set_num_threads(1)


def f32_list(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


# ---- datasets -------------------------------------------------------------------------------

def add_noise(base_rows, noise):
    base = torch.tensor(base_rows, dtype=torch.float32)
    if noise > 0:
        base = base + torch.randn(base.shape[0], 2) * noise
    return base


def moons(n, noise):
    m_out, m_in = n // 2, n - n // 2
    step = lambda i, m: math.pi * i / (m - 1) if m > 1 else 0.0
    rows = [[math.cos(step(i, m_out)), math.sin(step(i, m_out))] for i in range(m_out)]
    rows += [[1 - math.cos(step(i, m_in)), 1 - math.sin(step(i, m_in)) - 0.5] for i in range(m_in)]
    return add_noise(rows, noise), [0] * m_out + [1] * m_in


def circles(n, noise, factor=0.5):
    m_out, m_in = n // 2, n - n // 2
    rows = [[math.cos(2 * math.pi * i / m_out), math.sin(2 * math.pi * i / m_out)] for i in range(m_out)]
    rows += [[factor * math.cos(2 * math.pi * i / m_in), factor * math.sin(2 * math.pi * i / m_in)] for i in range(m_in)]
    return add_noise(rows, noise), [0] * m_out + [1] * m_in


def spiral(n, classes, noise):
    z = torch.randn(n).tolist()
    rows, labels, j = [], [], 0
    for k in range(classes):
        m = n // classes + (1 if k < n % classes else 0)
        for i in range(m):
            frac = i / (m - 1) if m > 1 else 0.0
            t = 4 * k + 4 * frac + noise * z[j]
            rows.append([frac * math.sin(t), frac * math.cos(t)])
            labels.append(k)
            j += 1
    return torch.tensor(rows, dtype=torch.float32), labels


def make(spec):
    if spec["kind"] == "moons":
        return moons(spec["n"], spec["noise"])
    if spec["kind"] == "circles":
        return circles(spec["n"], spec["noise"])
    return spiral(spec["n"], spec["classes"], spec["noise"])


# ---- ops ------------------------------------------------------------------------------------

def op_case(name, logits, target, reduction, dtype, weights=None):
    x = logits.clone().to(dtype).requires_grad_(True)
    loss = F.cross_entropy(x, torch.tensor(target), reduction=reduction)
    if reduction == "none":
        w = torch.tensor(weights, dtype=dtype)
        (loss * w).sum().backward()
    else:
        loss.backward()
    return {
        "name": name,
        "dtype": str(dtype).replace("torch.", ""),
        "reduction": reduction,
        "shape": list(x.shape),
        "logits": f32_list(x) if dtype == torch.float32 else [float(v) for v in x.detach().reshape(-1).tolist()],
        "target": target,
        "weights": weights,
        "loss": f32_list(loss) if reduction == "none" else float(loss.item()),
        "grad": [float(v) for v in x.grad.reshape(-1).tolist()],
        "grad_fn": loss.grad_fn.name(),
        "grad_fn_input": loss.grad_fn.next_functions[0][0].name(),
    }


def ops():
    torch.manual_seed(0)
    cases = []
    small = torch.randn(5, 3) * 2
    tgt = [0, 2, 1, 2, 0]
    for red in ["mean", "sum", "none"]:
        for dt in [torch.float32, torch.float64]:
            cases.append(op_case(f"small_{red}_{str(dt)[6:]}", small, tgt, red, dt, [0.5, -1.0, 2.0, 1.5, 0.25] if red == "none" else None))
    wide = torch.randn(64, 10) * 3
    wide_t = [(7 * i + 3) % 10 for i in range(64)]
    for red in ["mean", "sum"]:
        cases.append(op_case(f"wide_{red}_float32", wide, wide_t, red, torch.float32))
    ign = [1, -100, 0, 2, -100]
    cases.append(op_case("ignore_index_mean_float32", small, ign, "mean", torch.float32))
    cases.append(op_case("ignore_index_sum_float32", small, ign, "sum", torch.float32))
    big = torch.tensor([[80.0, -80.0, 0.0], [-50.0, 60.0, 59.5], [1e-3, 2e-3, -1e-3]])
    cases.append(op_case("large_logits_mean_float32", big, [1, 2, 0], "mean", torch.float32))
    return cases


# ---- training runs --------------------------------------------------------------------------

RUNS = [
    {"name": "moons_sgd", "seed": 0, "data": {"kind": "moons", "n": 200, "noise": 0.1}, "hidden": 16, "classes": 2,
     "optimizer": "SGD", "kwargs": {"lr": 0.1, "momentum": 0.9}, "reduction": "mean", "steps": 60},
    {"name": "circles_adam", "seed": 1, "data": {"kind": "circles", "n": 200, "noise": 0.05}, "hidden": 16, "classes": 2,
     "optimizer": "Adam", "kwargs": {"lr": 0.01}, "reduction": "mean", "steps": 60},
    {"name": "spiral_adam_sum", "seed": 2, "data": {"kind": "spiral", "n": 150, "classes": 3, "noise": 0.2}, "hidden": 32,
     "classes": 3, "optimizer": "Adam", "kwargs": {"lr": 0.005}, "reduction": "sum", "steps": 60},
]


def run(spec):
    torch.manual_seed(spec["seed"])
    x, labels = make(spec["data"])
    model = torch.nn.Sequential(torch.nn.Linear(2, spec["hidden"]), torch.nn.ReLU(), torch.nn.Linear(spec["hidden"], spec["classes"]))
    loss_fn = torch.nn.CrossEntropyLoss(reduction=spec["reduction"])
    opt = getattr(torch.optim, spec["optimizer"])(model.parameters(), **spec["kwargs"])
    y = torch.tensor(labels)
    losses = []
    for _ in range(spec["steps"]):
        loss = loss_fn(model(x), y)
        losses.append(loss.item())
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        final = loss_fn(model(x), y).item()
        accuracy = (model(x).argmax(1) == y).float().mean().item()
    return {**spec, "losses": losses, "final_loss": final, "final_accuracy": accuracy}


def main(path):
    datasets = []
    for spec in [{"kind": "moons", "n": 200, "noise": 0.1, "seed": 0}, {"kind": "circles", "n": 200, "noise": 0.05, "seed": 1},
                 {"kind": "spiral", "n": 150, "classes": 3, "noise": 0.2, "seed": 2}, {"kind": "moons", "n": 7, "noise": 0.0, "seed": 0}]:
        torch.manual_seed(spec["seed"])
        x, labels = make(spec)
        datasets.append({"spec": spec, "x": f32_list(x), "labels": labels})
    out = {
        "schema": "optim-lab/classification/v1",
        "generated_by": "scripts/torch/gen_classification.py",
        "torch": torch.__version__,
        "ops": ops(),
        "datasets": datasets,
        "runs": [run(spec) for spec in RUNS],
    }
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
