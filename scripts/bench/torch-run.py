"""Times the lesson's training loop in PyTorch (one thread) for `npm run bench`.

Usage: python torch-run.py N D_IN HIDDEN D_OUT STEPS RUNS [THREADS [cold]]
Prints one JSON object: {"torch": version, "threads": t, "runs_ms": [...], "cpu_ms": [...], "loss0": ..., "peak_rss_kb": ...}
The loop is the tutorial's: forward, MSELoss(sum), zero_grad, backward, Adam(lr=1e-4) step.
Data and weights are created before the clock starts (manual_seed(0)), as in our engine's bench.
`cold`: the process's first loop only, reading loss.item() every step as the tutorial prints it:
what `lab --json` train_ms is compared with (RUNS is ignored).
"""
import json
import resource
import sys
import time

import torch


def main() -> None:
    n, d_in, hidden, d_out, steps, runs = (int(v) for v in sys.argv[1:7])
    threads = int(sys.argv[7]) if len(sys.argv) > 7 else 1
    cold = len(sys.argv) > 8 and sys.argv[8] == "cold"
    torch.set_num_threads(threads)
    runs_ms, cpu_ms, loss0 = [], [], None
    for r in range(1 if cold else runs + 1):  # the first run is the warm-up, unless it is the one timed
        torch.manual_seed(0)
        x = torch.randn(n, d_in)
        y = torch.randn(n, d_out)
        model = torch.nn.Sequential(torch.nn.Linear(d_in, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, d_out))
        loss_fn = torch.nn.MSELoss(reduction="sum")
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
        wall0, cpu0 = time.perf_counter(), time.process_time()
        for t in range(steps):
            loss = loss_fn(model(x), y)
            if t == 0:
                first = loss.item()
            elif cold:
                loss.item()  # as the tutorial, which prints every step's loss
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        wall, cpu = (time.perf_counter() - wall0) * 1000, (time.process_time() - cpu0) * 1000
        if r > 0 or cold:
            runs_ms.append(wall)
            cpu_ms.append(cpu)
        loss0 = first
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"torch": torch.__version__, "threads": threads, "runs_ms": runs_ms, "cpu_ms": cpu_ms,
                      "loss0": loss0, "peak_rss_kb": peak}))


if __name__ == "__main__":
    main()
