import { describe, expect, it } from 'vitest'
import { createOptimizer, type Optimizer } from '../../../src-main/engine/optim'
import {
  CosineAnnealingLR, ExponentialLR, LinearLR, MultiStepLR, OneCycleLR, ReduceLROnPlateau, StepLR, createScheduler,
  type LRScheduler
} from '../../../src-main/engine/optim/lr-scheduler'
import type { OptimizerName, SchedulerName, SchedulerOptions } from '../../../src-main/shared/config'
import { Parameter } from '../../../src-main/engine/tensor/tensor'
import { cos } from '../../../src-main/engine/numeric/cos'
import { loadFixture } from '../../helpers/fixtures'

/**
 * Learning-rate sequences of real torch 2.13.0 schedulers (scripts/torch/gen_scheduler_fixtures.py):
 * after construction and after every step, each group's lr, `get_last_lr()`, momentum / β1, and at
 * the end `state_dict()` and the optimizer's `param_groups`.
 *
 * PyTorch computes every lr in Python floats (doubles), and so do we, in the same order, so every
 * lr must match to the bit. The one exception is the libm: the cosine schedules (CosineAnnealingLR,
 * OneCycleLR) call `math.cos`, i.e. glibc's, which is not correctly rounded in about 0.1% of cases;
 * ours is (engine/numeric/cos.ts). The fixture records every cos PyTorch computed: where our cos
 * agrees on all of a schedule's arguments the schedule must match to the bit; where it does not,
 * each lr may differ by what one ulp of cos moves it, bounded by 1e-15 × the schedule's largest
 * lr (max_lr / base_lr), since the cos term is scaled by at most that amplitude.
 */

interface OptimizerSpec {
  type: OptimizerName
  kwargs: Record<string, unknown>
  group_lrs: number[] | null
}
interface SchedulerSpec {
  type: SchedulerName
  kwargs: Record<string, unknown>
}
interface Sequence {
  optimizer: OptimizerSpec
  scheduler: SchedulerSpec
  steps: number
  metrics: number[] | null
  lrs: number[][]
  last_lr: number[][]
  momentum: (number | null)[][]
  param_groups: Record<string, unknown>[]
  state_dict: Record<string, unknown>
  cos_calls: [number, number][]
}
interface ErrorCase {
  optimizer: OptimizerSpec
  scheduler: SchedulerSpec
  steps: number
  error: string
}

const fixture = loadFixture<{ sequences: Record<string, Sequence>; errors: Record<string, ErrorCase> }>('2.13.0', 'schedulers')

const CLASSES = { StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, LinearLR, OneCycleLR, ReduceLROnPlateau } as const

function parameter(): Parameter {
  return new Parameter(new Float32Array(2), [2])
}

/** The fixture's optimizer: 3 parameters in one group, or one group per given lr. */
function buildOptimizer(spec: OptimizerSpec): Optimizer {
  const params = spec.group_lrs === null ? [parameter(), parameter(), parameter()] : spec.group_lrs.map((lr) => ({ params: [parameter()], lr }))
  return createOptimizer(spec.type, params as never, spec.kwargs)
}

function build(spec: { optimizer: OptimizerSpec; scheduler: SchedulerSpec }): { optimizer: Optimizer; scheduler: LRScheduler } {
  const optimizer = buildOptimizer(spec.optimizer)
  const Class = CLASSES[spec.scheduler.type] as unknown as new (o: Optimizer, options: Record<string, unknown>) => LRScheduler
  return { optimizer, scheduler: new Class(optimizer, spec.scheduler.kwargs) }
}

function momentumOf(group: Record<string, unknown>): number | null {
  if (Array.isArray(group.betas)) return group.betas[0] as number
  return (group.momentum as number | undefined) ?? null
}

/** JSON's stand-ins for non-finite numbers, back to numbers. */
function revive(value: unknown): unknown {
  if (value === 'Infinity') return Infinity
  if (value === '-Infinity') return -Infinity
  if (Array.isArray(value)) return value.map(revive)
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)]))
  return value
}

/**
 * Equal numbers (exactly, or within `tolerance` absolute), recursing through arrays and objects.
 * `tolerance` 0 means bit for bit.
 */
function expectClose(actual: unknown, expected: unknown, tolerance: number, where: string): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (tolerance === 0) expect(actual, where).toBe(expected)
    else expect(Math.abs(actual - expected), `${where}: ours ${actual}, torch ${expected}`).toBeLessThanOrEqual(tolerance)
  } else if (Array.isArray(expected)) {
    expect(Array.isArray(actual), where).toBe(true)
    expect((actual as unknown[]).length, where).toBe(expected.length)
    expected.forEach((e, i) => expectClose((actual as unknown[])[i], e, tolerance, `${where}[${i}]`))
  } else if (typeof expected === 'object' && expected !== null) {
    expect(Object.keys(actual as object), where).toEqual(Object.keys(expected))
    for (const [k, e] of Object.entries(expected)) expectClose((actual as Record<string, unknown>)[k], e, tolerance, `${where}.${k}`)
  } else {
    expect(actual, where).toEqual(expected)
  }
}

const libmDisagrees = (seq: Sequence): boolean => seq.cos_calls.some(([x, value]) => cos(x) !== value)

/** The largest lr the schedule can reach: the amplitude of its cos term. */
function amplitude(seq: Sequence): number {
  const maxLr = seq.scheduler.kwargs.max_lr
  return Math.max(...seq.lrs.flat(), ...(Array.isArray(maxLr) ? maxLr : typeof maxLr === 'number' ? [maxLr] : []))
}

describe('lr schedules match torch.optim.lr_scheduler 2.13', () => {
  it.each(Object.entries(fixture.sequences))('%s', (_name, seq) => {
    const { optimizer, scheduler } = build(seq)
    const groups = optimizer.paramGroups as unknown as Record<string, unknown>[]
    const lrs = [optimizer.paramGroups.map((g) => g.lr)]
    const lastLr = [scheduler.getLastLr()]
    const momentum = [groups.map(momentumOf)]
    for (let t = 0; t < seq.steps; t++) {
      optimizer.step()
      scheduler.step(seq.metrics?.[t])
      lrs.push(optimizer.paramGroups.map((g) => g.lr))
      lastLr.push(scheduler.getLastLr())
      momentum.push(groups.map(momentumOf))
    }
    const tolerance = libmDisagrees(seq) ? 1e-15 * amplitude(seq) : 0
    expectClose(lrs, seq.lrs, tolerance, 'lr')
    expectClose(lastLr, seq.last_lr, tolerance, 'get_last_lr()')
    expectClose(momentum, seq.momentum, tolerance, 'momentum')
    // The keys schedulers add to the groups (initial_lr, OneCycleLR's max_lr ...), in PyTorch's order.
    expectClose(optimizer.stateDict().param_groups, seq.param_groups, tolerance, 'param_groups')
    expectClose(scheduler.stateDict(), revive(seq.state_dict), tolerance, 'state_dict')
  })

  it("our cos agrees with PyTorch's libm on nearly every argument the schedules used", () => {
    const calls = Object.values(fixture.sequences).flatMap((seq) => seq.cos_calls)
    expect(calls.length).toBeGreaterThan(500)
    const disagreements = calls.filter(([x, value]) => cos(x) !== value)
    expect(disagreements.length / calls.length).toBeLessThan(0.01)
    // Where they disagree, by one ulp at most.
    for (const [x, value] of disagreements) expect(Math.abs(cos(x) - value), `cos(${x})`).toBeLessThanOrEqual(2 ** -53)
  })
})

describe("PyTorch's validation messages", () => {
  it.each(Object.entries(fixture.errors))('%s', (_name, c) => {
    const message = c.error.replace(/^\w+: /, '')
    const run = (): void => {
      const { optimizer, scheduler } = build(c)
      for (let t = 0; t < c.steps; t++) {
        optimizer.step()
        scheduler.step()
      }
    }
    expect(run).toThrow(message)
    try {
      run()
    } catch (error) {
      expect((error as Error).name).toBe(c.error.split(':')[0])
    }
  })

  it('our own messages where PyTorch would fail later (a modulo or division by zero)', () => {
    const optimizer = buildOptimizer({ type: 'SGD', kwargs: { lr: 0.1 }, group_lrs: null })
    expect(() => new StepLR(optimizer, { step_size: 0 })).toThrow('step_size must be a positive integer, got 0')
    expect(() => new CosineAnnealingLR(optimizer, { T_max: 0 })).toThrow('T_max must be a positive integer, got 0')
    expect(() => new LinearLR(optimizer, { total_iters: 2.5 })).toThrow('total_iters must be a positive integer, got 2.5')
    expect(() => new MultiStepLR(optimizer, { milestones: [1.5] })).toThrow('milestones must be integers')
  })

  it('keyword arguments as Python checks them', () => {
    const optimizer = buildOptimizer({ type: 'SGD', kwargs: { lr: 0.1 }, group_lrs: null })
    expect(() => new StepLR(optimizer, {})).toThrow("StepLR.__init__() missing 1 required positional argument: 'step_size'")
    expect(() => new StepLR(optimizer, { step_size: 2, T_max: 3 } as never)).toThrow(
      "StepLR.__init__() got an unexpected keyword argument 'T_max'"
    )
    expect(() => new ReduceLROnPlateau(optimizer).step()).toThrow("missing 1 required positional argument: 'metrics'")
    expect(() => new StepLR({} as never, { step_size: 1 })).toThrow('is not an Optimizer')
  })
})

describe('scheduler API', () => {
  it('createScheduler builds the class; OneCycleLR spans the run by default', () => {
    const optimizer = buildOptimizer({ type: 'SGD', kwargs: { lr: 0.1, momentum: 0.9 }, group_lrs: null })
    const scheduler = createScheduler(optimizer, { kind: 'OneCycleLR', options: { max_lr: 0.1 } }, 12)
    expect(scheduler).toBeInstanceOf(OneCycleLR)
    expect(scheduler.stateDict().total_steps).toBe(12)
    for (let t = 0; t < 12; t++) scheduler.step()
    expect(() => scheduler.step()).toThrow('Tried to step 13 times. The specified number of total steps is 12')
  })

  it('mutates the very group objects the optimizer steps with', () => {
    const optimizer = buildOptimizer({ type: 'SGD', kwargs: { lr: 1 }, group_lrs: null })
    const group = optimizer.paramGroups[0]
    const scheduler = new ExponentialLR(optimizer, { gamma: 0.5 })
    scheduler.step()
    expect(optimizer.paramGroups[0]).toBe(group)
    expect(group.lr).toBe(0.5)
    const p = group.params[0]
    p.grad = new Parameter(Float32Array.from([1, 1]), [2])
    optimizer.step()
    expect(Array.from(p.data)).toEqual([-0.5, -0.5])
  })

  it('stateDict / loadStateDict resume the schedule where it stopped', () => {
    const cases: [SchedulerName, SchedulerOptions][] = [
      ['CosineAnnealingLR', { T_max: 5 }],
      ['ReduceLROnPlateau', { patience: 1 }],
      ['OneCycleLR', { max_lr: 0.2, total_steps: 20 }],
      ['MultiStepLR', { milestones: [3, 6] }]
    ]
    for (const [kind, options] of cases) {
      const metric = (t: number): number => 10 - Math.min(t, 4)
      const a = buildOptimizer({ type: 'SGD', kwargs: { lr: 0.1, momentum: 0.9 }, group_lrs: null })
      const sa = createScheduler(a, { kind, options }, 20)
      for (let t = 0; t < 7; t++) sa.step(metric(t))
      const b = buildOptimizer({ type: 'SGD', kwargs: { lr: 0.1, momentum: 0.9 }, group_lrs: null })
      const sb = createScheduler(b, { kind, options }, 20)
      b.loadStateDict(a.stateDict())
      sb.loadStateDict(JSON.parse(JSON.stringify(sa.stateDict(), (_k, v) => (v === Infinity ? 'Infinity' : v)), (_k, v) =>
        v === 'Infinity' ? Infinity : v
      ))
      for (let t = 7; t < 15; t++) {
        sa.step(metric(t))
        sb.step(metric(t))
        expect(sb.getLastLr(), `${kind} step ${t}`).toEqual(sa.getLastLr())
      }
    }
  })
})
