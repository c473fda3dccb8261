/**
 * The tutorial-style Python shown beside each rung's curve (rungs.ts). Each runs as is with numpy
 * and PyTorch 2.x and prints the rung's curve: scripts/torch/check_rungs.mjs runs them with real
 * numpy / PyTorch, and tests/engine/lesson/rungs.test.ts compares.
 */
import { formatPythonFloat } from '../../shared/python-format'
import type { RungConfig, RungIndex } from './rungs'

function header(c: RungConfig): string[] {
  return [`N, D_in, H, D_out = ${c.n}, ${c.dIn}, ${c.hidden}, ${c.dOut}`, `learning_rate = ${formatPythonFloat(c.lr)}`, '']
}

/** Rungs 1–3 take nn.Linear's first weights, so that all five start alike. */
const SAME_START = [
  '# The series drew w1 = randn(D_in, H) here and had no biases. To start where rungs 4-5 start,',
  '# take the weights nn.Linear draws (transposed: x @ w1 is x @ W1.T), biases included.',
  'init = torch.nn.Sequential(torch.nn.Linear(D_in, H), torch.nn.ReLU(), torch.nn.Linear(H, D_out))'
]

/** The tutorial-style Python of a rung, with `config` filled in; it runs as is (numpy, PyTorch 2.x). */
export function rungSource(index: RungIndex, c: RungConfig): string {
  const loop = `for t in range(${c.steps}):`
  const draw = [`torch.manual_seed(${c.seed})`]
  const lines: string[] = (() => {
    switch (index) {
      case 1:
        return [
          '# Rung 1: numpy. The network as arrays; the gradients derived by hand.',
          'import numpy as np',
          'import torch  # only to draw the same data and first weights as the other rungs',
          '',
          ...header(c),
          ...draw,
          'x = torch.randn(N, D_in).numpy()',
          'y = torch.randn(N, D_out).numpy()',
          ...SAME_START,
          'w1 = init[0].weight.detach().numpy().T.copy()',
          'b1 = init[0].bias.detach().numpy().copy()',
          'w2 = init[2].weight.detach().numpy().T.copy()',
          'b2 = init[2].bias.detach().numpy().copy()',
          '',
          loop,
          '    # forward pass',
          '    h = x.dot(w1) + b1',
          '    h_relu = np.maximum(h, 0)',
          '    y_pred = h_relu.dot(w2) + b2',
          '    loss = np.square(y_pred - y).sum()',
          '    print(t, loss)',
          '',
          '    # backward pass: the chain rule, written out',
          '    grad_y_pred = 2.0 * (y_pred - y)',
          '    grad_w2 = h_relu.T.dot(grad_y_pred)',
          '    grad_b2 = grad_y_pred.sum(0)',
          '    grad_h_relu = grad_y_pred.dot(w2.T)',
          '    grad_h = grad_h_relu.copy()',
          '    grad_h[h < 0] = 0',
          '    grad_w1 = x.T.dot(grad_h)',
          '    grad_b1 = grad_h.sum(0)',
          '',
          '    # update: plain gradient descent',
          '    w1 -= learning_rate * grad_w1',
          '    b1 -= learning_rate * grad_b1',
          '    w2 -= learning_rate * grad_w2',
          '    b2 -= learning_rate * grad_b2'
        ]
      case 2:
        return [
          '# Rung 2: Tensors. The same computation with torch operations; gradients still by hand.',
          'import torch',
          '',
          ...header(c),
          ...draw,
          'x = torch.randn(N, D_in)',
          'y = torch.randn(N, D_out)',
          ...SAME_START,
          'w1 = init[0].weight.detach().t().clone()',
          'b1 = init[0].bias.detach().clone()',
          'w2 = init[2].weight.detach().t().clone()',
          'b2 = init[2].bias.detach().clone()',
          '',
          loop,
          '    h = x.mm(w1) + b1',
          '    h_relu = h.clamp(min=0)',
          '    y_pred = h_relu.mm(w2) + b2',
          '    loss = (y_pred - y).pow(2).sum().item()',
          '    print(t, loss)',
          '',
          '    grad_y_pred = 2.0 * (y_pred - y)',
          '    grad_w2 = h_relu.t().mm(grad_y_pred)',
          '    grad_b2 = grad_y_pred.sum(0)',
          '    grad_h_relu = grad_y_pred.mm(w2.t())',
          '    grad_h = grad_h_relu.clone()',
          '    grad_h[h < 0] = 0',
          '    grad_w1 = x.t().mm(grad_h)',
          '    grad_b1 = grad_h.sum(0)',
          '',
          '    w1 -= learning_rate * grad_w1',
          '    b1 -= learning_rate * grad_b1',
          '    w2 -= learning_rate * grad_w2',
          '    b2 -= learning_rate * grad_b2'
        ]
      case 3:
        return [
          '# Rung 3: autograd. requires_grad=True, and loss.backward() fills w.grad; the update stays by hand.',
          'import torch',
          '',
          ...header(c),
          ...draw,
          'x = torch.randn(N, D_in)',
          'y = torch.randn(N, D_out)',
          ...SAME_START,
          'w1 = init[0].weight.detach().t().clone().requires_grad_()',
          'b1 = init[0].bias.detach().clone().requires_grad_()',
          'w2 = init[2].weight.detach().t().clone().requires_grad_()',
          'b2 = init[2].bias.detach().clone().requires_grad_()',
          '',
          loop,
          '    y_pred = (x.mm(w1) + b1).clamp(min=0).mm(w2) + b2',
          '    loss = (y_pred - y).pow(2).sum()',
          '    print(t, loss.item())',
          '',
          '    loss.backward()',
          '',
          '    with torch.no_grad():  # the update itself must not be recorded',
          '        w1 -= learning_rate * w1.grad',
          '        b1 -= learning_rate * b1.grad',
          '        w2 -= learning_rate * w2.grad',
          '        b2 -= learning_rate * b2.grad',
          '        # gradients accumulate: clear them for the next step',
          '        w1.grad.zero_()',
          '        b1.grad.zero_()',
          '        w2.grad.zero_()',
          '        b2.grad.zero_()'
        ]
      case 4:
        return [
          '# Rung 4: nn. The model and the loss come from torch.nn; the update loops over model.parameters().',
          'import torch',
          '',
          ...header(c),
          ...draw,
          'x = torch.randn(N, D_in)',
          'y = torch.randn(N, D_out)',
          'model = torch.nn.Sequential(torch.nn.Linear(D_in, H), torch.nn.ReLU(), torch.nn.Linear(H, D_out))',
          'loss_fn = torch.nn.MSELoss(reduction="sum")',
          '',
          loop,
          '    y_pred = model(x)',
          '    loss = loss_fn(y_pred, y)',
          '    print(t, loss.item())',
          '',
          '    model.zero_grad()',
          '    loss.backward()',
          '',
          '    with torch.no_grad():',
          '        for param in model.parameters():',
          '            param -= learning_rate * param.grad'
        ]
      case 5:
        return [
          '# Rung 5: optim. torch.optim.SGD holds the very parameter objects and does the update.',
          'import torch',
          '',
          ...header(c),
          ...draw,
          'x = torch.randn(N, D_in)',
          'y = torch.randn(N, D_out)',
          'model = torch.nn.Sequential(torch.nn.Linear(D_in, H), torch.nn.ReLU(), torch.nn.Linear(H, D_out))',
          'loss_fn = torch.nn.MSELoss(reduction="sum")',
          'optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)',
          '',
          loop,
          '    y_pred = model(x)',
          '    loss = loss_fn(y_pred, y)',
          '    print(t, loss.item())',
          '',
          '    optimizer.zero_grad()',
          '    loss.backward()',
          '    optimizer.step()'
        ]
    }
  })()
  return lines.join('\n') + '\n'
}
