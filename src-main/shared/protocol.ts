/**
 * Every message between the renderer and the engine host, in one place. Main, preload, the
 * utility-process host, the Web Worker host and the renderer all import these types; nothing else
 * crosses a process boundary.
 *
 * Commands carry a request `id`; the host answers each with exactly one `reply` carrying the same
 * id. Training progress flows as unsolicited `progress` and `runState` events.
 */
import type { DType, LabConfig } from './config'
import type { UpdateBox } from '../engine/optim/explain'
import type { RungConfig } from '../engine/lesson/rungs'
import type { LoadedSettings, Settings } from './settings'
import type { WeightsFile } from './weights-file'

export type RunId = string

/** One row of the "Parameter identity" table, computed from the engine's own objects. */
export interface IdentityRow {
  /** PyTorch `state_dict` key, e.g. `0.weight`. */
  name: string
  shape: number[]
  /** Stable id of the tensor yielded by `model.parameters()`. */
  modelId: number
  /** Index g of the param group holding it. */
  group: number
  /** Id of the tensor found in `optimizer.param_groups[g]["params"]`. */
  groupId: number
  /** `model.parameters()[i] === param_groups[g].params[j]`, evaluated in the engine. */
  sameObject: boolean
}

/** Per-parameter numbers for the inspector: gradient norm and a summary of each state tensor. */
export interface ParameterInspection {
  name: string
  shape: number[]
  gradNorm: number | null
  state: Record<string, { shape: number[]; mean: number; min: number; max: number; norm: number } | number>
}

export interface RunSnapshot {
  runId: RunId
  /** Updates applied so far. */
  step: number
  totalSteps: number
  identity: IdentityRow[]
  parameters: ParameterInspection[]
  /** `optimizer.state_dict()["param_groups"]` with every hyperparameter, params as indices. */
  paramGroups: Record<string, unknown>[]
  /** `repr(model)`, e.g. `Sequential(\n  (0): Linear(...)...`. */
  modelRepr: string
  /**
   * θ₀ fingerprint: the first 8 hex digits of the sha256 of the initial parameters' float32 bytes
   * in state_dict order, taken before any step. Equal across the lanes of a race.
   */
  fingerprint?: string
}

/**
 * A whole per-weight view of one parameter for the optimizer-state microscope: `param` (θ),
 * `grad`, `delta` (θ_t − θ_{t−1} of the last step), `effective_lr` (|Δθ| / |g| of the last step,
 * NaN where g = 0) or a state tensor (`exp_avg`, `square_avg`, ...). Values are flat, row-major.
 */
export interface StateView {
  parameter: string
  view: string
  shape: number[]
  dtype: DType
  /** In the parameter's dtype for θ, .grad and state; float64 for the derived delta and effective_lr. */
  values: Float32Array | Float64Array
  /** Smallest and largest value, NaN ignored; null when there is none. */
  min: number | null
  max: number | null
  /** Updates applied so far. */
  step: number
  /** The views this parameter has now (Δθ and effective lr once a step ran; state once created). */
  views: string[]
  /** 0-dim state of the parameter, e.g. `step`, NAdam's `mu_product`. */
  scalars: Record<string, number>
}

/** `traceUpdate`'s answer: the algorithm box of one weight for the step just taken, and what step() wrote. */
export interface UpdateTrace extends UpdateBox {
  parameter: string
  /** Flat (row-major) index of the weight, and its position ([row, column], or [i]). */
  index: number
  position: number[]
  /** Updates applied so far, this one included. */
  step: number
  /** The loss measured before this update. */
  loss: number
  /** θ_{t−1} and .grad as step() read them. */
  before: { param: number; grad: number }
  /** What step() wrote into the parameter and its state at this index. */
  engine: { param: number; state: Record<string, number> }
  /** The box's θ_t and state equal the engine's, bit for bit. */
  matches: boolean
}

/** One lane of a race: its run id and full configuration (only the optimizer part may differ). */
export interface RaceLane {
  runId: RunId
  config: LabConfig
}

export type RunStatus = 'running' | 'paused' | 'stopped' | 'finished' | 'failed'

export type RungsStatus = 'running' | 'stopped' | 'finished' | 'failed'

/** The largest difference between any two of the five rungs' curves (engine/lesson/rungs.ts). */
export interface RungsDifference {
  /** The step where the relative difference is largest. */
  step: number
  /** |a − b| there, and |a − b| / max(|a|, |b|). */
  absolute: number
  relative: number
  /** The two rungs (1–5) that differ most. */
  between: [number, number]
  /** Steps compared (every rung's curve has at least this many). */
  steps: number
}

export type EngineCommand =
  /** Build the model, data and optimizer for `config` and start stepping (or stay paused). */
  | { type: 'startRun'; id: number; runId: RunId; config: LabConfig; paused?: boolean }
  /**
   * A paused run from a weights file (DESIGN §6): the file's architecture and dtype, its model
   * weights and, when present, its optimizer (type, hyperparameters and state, to resume). Data,
   * seed (unless the file names one), steps and reduction come from `config`. `text` is the file's
   * raw text: the host checks size, nesting and every value before building anything, and a bad
   * file changes nothing.
   */
  | { type: 'importWeights'; id: number; runId: RunId; config: LabConfig; text: string }
  /**
   * A race: the lanes' data and initial weights are drawn once (lane 0's seed) and copied into
   * every lane; the lanes start together and step in lockstep. Each lane is then an ordinary run
   * (pause, stop, inspect, dispose by its run id). Model, data, seed, loss and steps must agree.
   */
  | { type: 'startRace'; id: number; lanes: RaceLane[] }
  /**
   * The tutorial's five rungs (numpy, tensors, autograd, nn, optim) on one seed, stepped in lockstep.
   * Rung i's losses arrive as `progress` of run id `${rungsId}:rung-${i}`; `rungsState` events give
   * the status and, once over, the largest difference between the curves.
   */
  | { type: 'startRungs'; id: number; rungsId: RunId; config: RungConfig }
  | { type: 'stopRungs'; id: number; rungsId: RunId }
  | { type: 'pauseRun'; id: number; runId: RunId }
  | { type: 'resumeRun'; id: number; runId: RunId }
  | { type: 'stopRun'; id: number; runId: RunId }
  /** Exactly one `zero_grad → forward → backward → step` on a paused run. */
  | { type: 'stepRun'; id: number; runId: RunId }
  | { type: 'inspectRun'; id: number; runId: RunId }
  /** One parameter's whole view (`StateView`) for the optimizer-state microscope. */
  | { type: 'inspectState'; id: number; runId: RunId; parameter: string; view: string }
  /**
   * On a paused run, exactly what `stepRun` does (same progress and state events), answered with
   * the algorithm box of weight `index` (flat, row-major) of `parameter` for that step.
   */
  | { type: 'traceUpdate'; id: number; runId: RunId; parameter: string; index: number }
  | { type: 'exportWeights'; id: number; runId: RunId }
  /** Forget a run and free its tensors. */
  | { type: 'disposeRun'; id: number; runId: RunId }
  | { type: 'ping'; id: number }

export type EngineCommandType = EngineCommand['type']

/** What each command's successful reply carries. */
/** What `importWeights` built: the run, and the configuration it was built from. */
export interface ImportedRun extends RunSnapshot {
  config: LabConfig
  /** Whether the file carried optimizer state that was loaded (training resumes, not restarts). */
  resumed: boolean
  /** Updates the file's weights had been trained for (`meta.steps`). */
  fileSteps: number
}

export interface EngineResults {
  startRun: RunSnapshot
  startRace: RunSnapshot[]
  /** The run ids of rungs 1–5, in order. */
  startRungs: { rungsId: RunId; runIds: RunId[] }
  stopRungs: { step: number }
  importWeights: ImportedRun
  pauseRun: { step: number }
  resumeRun: { step: number }
  stopRun: { step: number }
  stepRun: { step: number; loss: number }
  inspectRun: RunSnapshot
  inspectState: StateView
  traceUpdate: UpdateTrace
  exportWeights: WeightsFile
  disposeRun: null
  ping: { engine: string; kernels: string }
}

export interface SerializedError {
  name: string
  message: string
}

export type EngineEvent =
  | { type: 'reply'; id: number; ok: true; result: EngineResults[EngineCommandType] }
  | { type: 'reply'; id: number; ok: false; error: SerializedError }
  /**
   * Losses for steps `fromStep, fromStep + 1, ...` (loss at step t is measured before update t).
   * Batched so the renderer is not flooded; every step's loss is sent, none is dropped.
   * `lrs[g][i]`: the lr param group g had when update `fromStep + i` was applied (what the
   * scheduler set before it), one list per group, each as long as `losses`. Absent for the rungs.
   * Fresh arrays the host keeps no reference to: their buffers are moved, not copied, where the
   * transport can (a Web Worker's postMessage).
   */
  | { type: 'progress'; runId: RunId; fromStep: number; losses: Float64Array; lrs?: Float64Array[] }
  | {
      type: 'runState'
      runId: RunId
      status: RunStatus
      /** Updates applied so far. */
      step: number
      totalSteps: number
      /** Loss after the last update (an extra forward pass), once finished or stopped. */
      finalLoss?: number
      /** Why a run failed (e.g. the loss became NaN), in words for the student. */
      message?: string
    }
  | {
      type: 'rungsState'
      rungsId: RunId
      status: RungsStatus
      /** Steps every rung has taken. */
      step: number
      totalSteps: number
      /** Once over: the largest difference between any two curves. */
      difference?: RungsDifference
      message?: string
    }
  /**
   * A message the host could not understand and could not answer with a `reply` because it had no
   * usable request `id` (not an object, unknown `type`, missing `id`). Nothing was executed.
   */
  | { type: 'hostError'; error: SerializedError }

/** Commands without their request id, as callers write them. */
export type EngineRequest = EngineCommand extends infer C ? (C extends { id: number } ? Omit<C, 'id'> : never) : never

/** Messages from main to the renderer about the engine process itself (Electron only). */
export type EngineLifecycleEvent =
  | { type: 'engineReady' }
  | { type: 'engineCrashed'; reason: string; restarting: boolean }

/**
 * Named functions the preload exposes on `window.optimLab` (nothing else reaches the page).
 *
 * The engine's MessagePort does not travel through this object: a MessagePort cannot cross
 * `contextBridge`. Following Electron's "MessagePorts in Electron" tutorial (communicating with the
 * main world of a context-isolated page), the preload re-posts each port it receives to the page
 * with `window.postMessage(ENGINE_PORT_MESSAGE, '*', [port])`; the page keeps one `message`
 * listener on `window` and takes the port when `isEnginePortMessage(event, window)` holds.
 */
export interface DesktopApi {
  /**
   * Ask main for a fresh MessagePort to the engine process. It arrives as a `window` message (see
   * above), replacing any previous one; install the listener before calling this. Main also hands
   * a new port on its own after restarting a crashed engine.
   */
  connectEngine(): void
  onEngineLifecycle(listener: (event: EngineLifecycleEvent) => void): () => void
  /** Native save dialog + atomic write; resolves to the saved path, or null if cancelled. */
  saveWeights(suggestedName: string, contents: string): Promise<string | null>
  /**
   * Native open dialog for a weights file; resolves to its name and text (refused above the size
   * limit before it is read), or null if cancelled. The engine validates the contents.
   */
  openWeights(): Promise<{ name: string; text: string } | null>
  /** Settings and recent runs from the user data folder (defaults, with a notice, if unreadable). */
  loadSettings(): Promise<LoadedSettings>
  /** Writes settings atomically to the user data folder. */
  saveSettings(settings: Settings): Promise<void>
  platform: string
}

/** `data` of the `window` message by which the preload hands the page its engine port. */
export const ENGINE_PORT_MESSAGE = 'optim-lab:engine-port'

/**
 * True for the preload's port hand-over: posted by this very window (not a frame or another
 * window), with the agreed data and exactly one port. Typed structurally so it needs no DOM types.
 */
export function isEnginePortMessage(
  event: { source: unknown; data: unknown; ports: ReadonlyArray<unknown> },
  self: unknown
): boolean {
  return event.source === self && event.data === ENGINE_PORT_MESSAGE && event.ports.length === 1
}

/** IPC channel names between preload and main. */
export const IPC = {
  connectEngine: 'engine:connect',
  enginePort: 'engine:port',
  engineLifecycle: 'engine:lifecycle',
  saveWeights: 'file:save-weights',
  openWeights: 'file:open-weights',
  loadSettings: 'settings:load',
  saveSettings: 'settings:save'
} as const
