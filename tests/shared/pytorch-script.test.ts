import { describe, expect, it } from 'vitest'
import { LESSON_CONFIG, type LabConfig, type SchedulerConfig } from '../../src-main/shared/config'
import { loadWeightsSnippet, pytorchScript } from '../../src-main/shared/pytorch-script'

/**
 * The structure of the generated script. Whether real PyTorch running it prints the app's losses is
 * checked by scripts/torch/check_emitted_scripts.mjs and replayed in
 * tests/engine/parity/emitted-scripts.test.ts.
 */

const lesson: LabConfig = { ...LESSON_CONFIG, hidden: [...LESSON_CONFIG.hidden], hyper: { ...LESSON_CONFIG.hyper } }

/** Asserts the snippets occur in this order; returns their positions. */
function expectInOrder(script: string, snippets: string[]): void {
  let from = 0
  for (const snippet of snippets) {
    const at = script.indexOf(snippet, from)
    expect(at, `"${snippet}" after position ${from}`).toBeGreaterThanOrEqual(0)
    from = at + snippet.length
  }
}

describe('pytorchScript', () => {
  it("is the tutorial's code for the lesson", () => {
    const script = pytorchScript(lesson)
    expectInOrder(script, [
      'import torch',
      'torch.manual_seed(0)',
      'N, D_in, H, D_out = 64, 1000, 100, 10',
      'x = torch.randn(N, D_in)',
      'y = torch.randn(N, D_out)',
      'model = torch.nn.Sequential(',
      'torch.nn.Linear(D_in, H),',
      'torch.nn.ReLU(),',
      'torch.nn.Linear(H, D_out),',
      'loss_fn = torch.nn.MSELoss(reduction="sum")',
      'optimizer = torch.optim.Adam(model.parameters(), lr=0.0001)',
      'for t in range(500):',
      '    y_pred = model(x)',
      '    loss = loss_fn(y_pred, y)',
      '    print(t, loss.item())',
      '    optimizer.zero_grad()',
      '    loss.backward()',
      '    optimizer.step()'
    ])
    expect(script).not.toContain('.double()')
    expect(script).not.toContain('scheduler')
    expect(script.endsWith('optimizer.step()\n')).toBe(true)
    // Python indentation: 4 spaces, never tabs
    expect(script).not.toMatch(/\t/)
  })

  it('names several hidden layers H1, H2, ... and puts the activation between Linears only', () => {
    const script = pytorchScript({ ...lesson, n: 8, dIn: 5, hidden: [4, 3], dOut: 2, activation: 'leaky_relu', seed: -3 })
    expect(script).toContain('torch.manual_seed(-3)')
    expect(script).toContain('N, D_in, H1, H2, D_out = 8, 5, 4, 3, 2')
    expectInOrder(script, ['Linear(D_in, H1)', 'LeakyReLU()', 'Linear(H1, H2)', 'LeakyReLU()', 'Linear(H2, D_out)', ')'])
    expect(script.match(/LeakyReLU/g)).toHaveLength(2)
    const none = pytorchScript({ ...lesson, hidden: [] })
    expect(none).toContain('N, D_in, D_out = 64, 1000, 10')
    expect(none).toContain('torch.nn.Linear(D_in, D_out),  # 0')
  })

  it('float64: drawn in float32, then .double() before the optimizer (the lab\'s rule)', () => {
    const script = pytorchScript({ ...lesson, dtype: 'float64' })
    expectInOrder(script, ['y = torch.randn(N, D_out)', 'model = torch.nn.Sequential(', 'x, y, model = x.double(), y.double(), model.double()', 'optimizer ='])
  })

  it('writes non-default hyperparameters as Python literals that parse back to the same doubles', () => {
    const script = pytorchScript({
      ...lesson,
      optimizer: 'SGD',
      hyper: { lr: 0.1, momentum: 0.9, nesterov: true, dampening: 0, weight_decay: 1e-5, maximize: false }
    })
    expect(script).toContain('optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-05, nesterov=True)')
    const adamw = pytorchScript({ ...lesson, optimizer: 'AdamW', hyper: { lr: 1e-3, betas: [0.8, 0.95], amsgrad: true } })
    expect(adamw).toContain('torch.optim.AdamW(model.parameters(), lr=0.001, betas=(0.8, 0.95), amsgrad=True)')
    const adadelta = pytorchScript({ ...lesson, optimizer: 'Adadelta', hyper: { lr: 1 } })
    expect(adadelta).toContain('lr=1.0')
  })

  it('param groups as PyTorch\'s list of dicts, each with its own keys only', () => {
    const script = pytorchScript({
      ...lesson,
      hidden: [100, 50],
      optimizer: 'SGD',
      hyper: { lr: 1e-3, momentum: 0.9 },
      paramGroups: 'per-layer',
      groupHyper: [{ lr: 0.01 }, {}, { weight_decay: 0.1, lr: 1e-4 }]
    })
    expectInOrder(script, [
      'optimizer = torch.optim.SGD(',
      '    [',
      '        {"params": model[0].parameters(), "lr": 0.01},  # 0.weight, 0.bias',
      '        {"params": model[2].parameters()},  # 2.weight, 2.bias',
      '        {"params": model[4].parameters(), "lr": 0.0001, "weight_decay": 0.1},  # 4.weight, 4.bias',
      '    ],',
      '    lr=0.001,',
      '    momentum=0.9,',
      ')'
    ])
    const single = pytorchScript({ ...lesson, groupHyper: [{ lr: 3e-3 }] })
    expect(single).toContain('{"params": model.parameters(), "lr": 0.003},')
    // per-layer without overrides still lists the groups
    expect(pytorchScript({ ...lesson, paramGroups: 'per-layer' })).toContain('{"params": model[2].parameters()},')
  })

  it.each<[SchedulerConfig, string]>([
    [{ kind: 'StepLR', options: { step_size: 10, gamma: 0.5 } }, 'torch.optim.lr_scheduler.StepLR(optimizer, step_size=10, gamma=0.5)'],
    [{ kind: 'MultiStepLR', options: { milestones: [10, 20] } }, 'torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=[10, 20])'],
    [{ kind: 'ExponentialLR', options: { gamma: 0.9 } }, 'torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.9)'],
    [{ kind: 'CosineAnnealingLR', options: { T_max: 50, eta_min: 0 } }, 'torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=50, eta_min=0.0)'],
    [{ kind: 'LinearLR', options: { start_factor: 0.1, total_iters: 10 } }, 'torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.1, total_iters=10)'],
    // total_steps defaults to the run's steps; pct_start must be a Python float
    [
      { kind: 'OneCycleLR', options: { max_lr: 0.01, pct_start: 0, three_phase: true, anneal_strategy: 'linear' } },
      'torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.01, total_steps=500, pct_start=0.0, anneal_strategy="linear", three_phase=True)'
    ],
    [
      { kind: 'ReduceLROnPlateau', options: { patience: 2, factor: 0.5, min_lr: 1e-6 } },
      'torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, factor=0.5, patience=2, min_lr=1e-06)'
    ]
  ])('%j', (scheduler, line) => {
    const script = pytorchScript({ ...lesson, scheduler })
    expectInOrder(script, ['optimizer = ', line, 'for t in range(500):', '    optimizer.step()', '    scheduler.step('])
    const plateau = scheduler.kind === 'ReduceLROnPlateau'
    expect(script).toContain(plateau ? '    scheduler.step(loss.item())' : '    scheduler.step()\n')
  })
})

describe('loadWeightsSnippet', () => {
  it('rebuilds the Sequential from the architecture and loads the state dict (and the optimizer, if saved)', () => {
    const snippet = loadWeightsSnippet([
      { type: 'Linear', in_features: 1000, out_features: 100, bias: true },
      { type: 'LeakyReLU', negative_slope: 0.2 },
      { type: 'Linear', in_features: 100, out_features: 10, bias: false }
    ])
    expectInOrder(snippet, [
      'import json',
      'import torch',
      'with open("weights.json") as f:',
      'model = torch.nn.Sequential(',
      'torch.nn.Linear(1000, 100),',
      'torch.nn.LeakyReLU(0.2),',
      'torch.nn.Linear(100, 10, bias=False),',
      'torch.tensor(v["data"], dtype=getattr(torch, v["dtype"])).reshape(v["shape"])',
      'model.load_state_dict(state)',
      'if "optimizer" in d:',
      'optimizer.load_state_dict('
    ])
    expect(loadWeightsSnippet([], 'run 1.json')).toContain('with open("run 1.json") as f:')
  })
})
