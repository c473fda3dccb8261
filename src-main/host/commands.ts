/**
 * Checks that an incoming message is a well-formed `EngineCommand` before the host acts on it.
 * Messages cross a process (or worker) boundary, so nothing about their shape is trusted: every
 * command is checked against the shared schema (shared/schema.ts), every configuration also against
 * the memory cap, and hyperparameter values by the optimizer itself (PyTorch's messages), all before
 * anything is allocated. Each problem names its field: `config.hidden[0]: must be an integer ...`.
 */
import type { LabConfig } from '../shared/config'
import type { RungConfig } from '../engine/lesson/rungs'
import { DEFAULT_MAX_MEMORY_BYTES, estimateRunBytes, formatBytes } from '../shared/memory'
import type { EngineCommand } from '../shared/protocol'
import { checkHyperparameters } from '../shared/hyperparameter-check'
import { ENGINE_COMMAND_TYPES, EngineCommandSchema, describeProblem, parseWith, show } from '../shared/schema'
import { parseLabConfig } from '../shared/validate'

export type ParsedCommand =
  | { ok: true; command: EngineCommand }
  /** `id` is the request id when one could be read, so the error can be a `reply`. */
  | { ok: false; id: number | null; message: string }

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A `LabConfig` from untrusted input, or the reason it is not one. */
export function parseConfig(value: unknown): { ok: true; config: LabConfig } | { ok: false; message: string } {
  const parsed = parseLabConfig(value, 'config')
  if (!parsed.ok) return { ok: false, message: describeProblem(parsed) }
  const { optimizer, hyper, groupHyper } = parsed.value
  const problem = checkHyperparameters(optimizer, hyper as unknown as Record<string, unknown>)
  if (problem) return { ok: false, message: `config.hyper.${problem.field}: ${problem.message}` }
  for (const [g, overrides] of (groupHyper ?? []).entries()) {
    const merged = { ...hyper, ...Object.fromEntries(Object.entries(overrides ?? {}).filter(([, value]) => value !== undefined)) }
    const groupProblem = checkHyperparameters(optimizer, merged)
    if (groupProblem) return { ok: false, message: `config.groupHyper[${g}].${groupProblem.field}: ${groupProblem.message}` }
  }
  return { ok: true, config: parsed.value }
}

/** Validates type and fields of one message; the result is either a command or an error to report. */
export function parseCommand(message: unknown): ParsedCommand {
  if (!isRecord(message)) return { ok: false, id: null, message: `A command must be an object, got ${show(message)}` }
  const { type, id } = message
  const usableId = typeof id === 'number' && Number.isSafeInteger(id) ? id : null
  if (typeof type !== 'string') return { ok: false, id: usableId, message: 'A command needs a string "type"' }
  if (!(ENGINE_COMMAND_TYPES as readonly string[]).includes(type)) {
    return { ok: false, id: usableId, message: `Unknown command type ${show(type)} (the commands are ${ENGINE_COMMAND_TYPES.join(', ')})` }
  }
  if (usableId === null) return { ok: false, id: null, message: `Command "${type}" needs an integer "id"` }

  const parsed = parseWith(EngineCommandSchema, message)
  if (!parsed.ok) return { ok: false, id: usableId, message: `${type}: ${describeProblem(parsed)}` }
  const command = parsed.value
  if (command.type === 'startRun' || command.type === 'importWeights') {
    const config = parseConfig(command.config)
    if (!config.ok) return { ok: false, id: usableId, message: `${type}: ${config.message}` }
  }
  if (command.type === 'startRungs') {
    const problem = rungsProblem(command.config)
    if (problem) return { ok: false, id: usableId, message: `${type}: ${problem}` }
  }
  if (command.type === 'startRace') {
    const problem = raceProblem(command.lanes.map((lane) => lane.config))
    if (problem) return { ok: false, id: usableId, message: `${type}: ${problem}` }
  }
  return { ok: true, command }
}

/** What every lane of a race must share: the model, the data, the loss and the length. */
const RACE_SHARED = ['seed', 'n', 'dIn', 'hidden', 'dOut', 'activation', 'reduction', 'dtype', 'steps'] as const

/** Why these lane configurations cannot race, or null. */
function raceProblem(configs: LabConfig[]): string | null {
  for (const [i, raw] of configs.entries()) {
    const config = parseConfig(raw)
    if (!config.ok) return `lanes[${i}].${config.message}`
  }
  for (const [i, config] of configs.entries()) {
    for (const key of RACE_SHARED) {
      if (JSON.stringify(config[key]) !== JSON.stringify(configs[0][key])) {
        return `lanes[${i}].config.${key}: must equal lane 0's (every lane shares the model, the data and the steps)`
      }
    }
  }
  return null
}

/**
 * Why the five rungs cannot train `config`, or null: the lr as torch.optim.SGD judges it (rung 5 is
 * SGD), and five copies of the net and data within the memory cap a single run has.
 */
function rungsProblem(config: RungConfig): string | null {
  const lr = checkHyperparameters('SGD', { lr: config.lr })
  if (lr) return `config.lr: ${lr.message}`
  const asRun: LabConfig = {
    seed: config.seed, n: config.n, dIn: config.dIn, hidden: [config.hidden], dOut: config.dOut, activation: 'relu',
    reduction: 'sum', dtype: 'float32', optimizer: 'SGD', hyper: { lr: config.lr }, steps: config.steps
  }
  const bytes = 5 * estimateRunBytes(asRun)
  if (bytes > DEFAULT_MAX_MEMORY_BYTES) {
    return `config: the five rungs need about ${formatBytes(bytes)}, more than the ${formatBytes(DEFAULT_MAX_MEMORY_BYTES)} allowed; make the network or data smaller`
  }
  return null
}
