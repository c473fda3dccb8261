"""Reference loss curves for the lesson presets in resources/presets, by real PyTorch.

Run: .venv-torch/bin/python scripts/torch/gen_preset_references.py
For each preset with a "reference" it trains the preset's configuration (each lane, for a race)
in PyTorch's order (manual_seed; x = randn; y = randn; Linear layers; for t: loss, record,
zero_grad, backward, step) and writes {"torch": version, "runs": [{"label", "optimizer", "losses"}]}.
"""
import json
import pathlib

import torch

ROOT = pathlib.Path(__file__).resolve().parents[2] / "resources" / "presets"
ACTIVATIONS = {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh, "sigmoid": torch.nn.Sigmoid, "leaky_relu": torch.nn.LeakyReLU}
KEYS = {"betas": tuple}


def train(config, optimizer, hyper):
    torch.manual_seed(config["seed"])
    x = torch.randn(config["n"], config["dIn"])
    y = torch.randn(config["n"], config["dOut"])
    widths = [config["dIn"], *config["hidden"], config["dOut"]]
    layers = []
    for i in range(len(widths) - 1):
        layers.append(torch.nn.Linear(widths[i], widths[i + 1]))
        if i + 2 < len(widths):
            layers.append(ACTIVATIONS[config["activation"]]())
    model = torch.nn.Sequential(*layers)
    if config["dtype"] == "float64":
        model, x, y = model.double(), x.double(), y.double()
    loss_fn = torch.nn.MSELoss(reduction=config["reduction"])
    kwargs = {k: KEYS.get(k, lambda v: v)(v) for k, v in hyper.items()}
    opt = getattr(torch.optim, optimizer)(model.parameters(), **kwargs)
    losses = []
    for _ in range(config["steps"]):
        loss = loss_fn(model(x), y)
        losses.append(loss.item())
        # config "zeroGrad": "set_to_none" (default) | "zeros" | "skip" (no zero_grad: grads accumulate)
        zero_grad = config.get("zeroGrad", "set_to_none")
        if zero_grad != "skip":
            opt.zero_grad(set_to_none=zero_grad == "set_to_none")
        loss.backward()
        opt.step()
    return losses


def main():
    torch.set_num_threads(1)
    for path in sorted(ROOT.glob("*.json")):
        preset = json.loads(path.read_text())
        if "reference" not in preset:
            continue
        config = preset["config"]
        if preset["kind"] == "race":
            lanes = []
            for lane in preset["lanes"]:
                hyper = {"lr": lane["lr"]}
                if lane["optimizer"] == "SGD":
                    hyper["momentum"] = lane["momentum"]
                lanes.append((lane["optimizer"], hyper))
        else:
            lanes = [(config["optimizer"], config["hyper"])]
        runs = [{"optimizer": name, "hyper": hyper, "losses": train(config, name, hyper)} for name, hyper in lanes]
        out = ROOT / preset["reference"]
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps({"preset": preset["id"], "torch": torch.__version__, "runs": runs}) + "\n")
        print(out, [r["losses"][-1] for r in runs])


if __name__ == "__main__":
    main()
