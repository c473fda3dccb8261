/**
 * Checks that an incoming message is a well-formed `EngineCommand` before the host acts on it.
 * Messages cross a process (or worker) boundary, so nothing about their shape is trusted; values
 * that only the optimizer can judge (`lr` < 0 ...) are left to it, with PyTorch's own messages.
 */
import type { Hyperparameters, LabConfig } from '../shared/config'
import type { EngineCommand, EngineCommandType } from '../shared/protocol'
import { ConfigError, validateConfig } from '../shared/validate'

export type ParsedCommand =
  | { ok: true; command: EngineCommand }
  /** `id` is the request id when one could be read, so the error can be a `reply`. */
  | { ok: false; id: number | null; message: string }

const RUN_COMMANDS = new Set<EngineCommandType>([
  'startRun',
  'pauseRun',
  'resumeRun',
  'stopRun',
  'stepRun',
  'inspectRun',
  'exportWeights',
  'disposeRun'
])

const MAX_RUN_ID_LENGTH = 200

const NUMBER_HYPERPARAMETERS = new Set<string>([
  'lr',
  'momentum',
  'dampening',
  'weight_decay',
  'eps',
  'alpha',
  'rho',
  'lr_decay',
  'initial_accumulator_value',
  'momentum_decay'
])
const BOOLEAN_HYPERPARAMETERS = new Set<string>(['nesterov', 'amsgrad', 'centered', 'maximize'])

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Type checks of every hyperparameter value; which keys apply is `validateConfig`'s job. */
function checkHyperparameters(hyper: unknown): string | null {
  if (!isRecord(hyper)) return 'config.hyper must be an object'
  if (typeof hyper.lr !== 'number') return 'config.hyper.lr must be a number'
  for (const [key, value] of Object.entries(hyper)) {
    if (value === undefined) continue
    if (NUMBER_HYPERPARAMETERS.has(key)) {
      if (typeof value !== 'number' || Number.isNaN(value)) return `config.hyper.${key} must be a number`
    } else if (BOOLEAN_HYPERPARAMETERS.has(key)) {
      if (typeof value !== 'boolean') return `config.hyper.${key} must be true or false`
    } else if (key === 'betas') {
      if (!Array.isArray(value) || value.length !== 2 || value.some((b) => typeof b !== 'number')) {
        return 'config.hyper.betas must be a pair of numbers'
      }
    } else {
      return `config.hyper.${key} is not a hyperparameter of torch.optim`
    }
  }
  return null
}

/** A `LabConfig` from untrusted input, or the reason it is not one. */
export function parseConfig(value: unknown): { ok: true; config: LabConfig } | { ok: false; message: string } {
  if (!isRecord(value)) return { ok: false, message: 'config must be an object' }
  const hyperProblem = checkHyperparameters(value.hyper)
  if (hyperProblem) return { ok: false, message: hyperProblem }
  const config: LabConfig = {
    seed: value.seed as number,
    n: value.n as number,
    dIn: value.dIn as number,
    hidden: Array.isArray(value.hidden) ? [...(value.hidden as number[])] : (value.hidden as number[]),
    dOut: value.dOut as number,
    activation: value.activation as LabConfig['activation'],
    reduction: value.reduction as LabConfig['reduction'],
    dtype: value.dtype as LabConfig['dtype'],
    optimizer: value.optimizer as LabConfig['optimizer'],
    hyper: { ...(value.hyper as unknown as Hyperparameters) },
    steps: value.steps as number
  }
  try {
    return { ok: true, config: validateConfig(config) }
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, message: `config.${error.field}: ${error.message}` }
    throw error
  }
}

/** Validates type and fields of one message; the result is either a command or an error to report. */
export function parseCommand(message: unknown): ParsedCommand {
  if (!isRecord(message)) return { ok: false, id: null, message: 'A command must be an object' }
  const { type, id } = message
  const usableId = typeof id === 'number' && Number.isSafeInteger(id) ? id : null
  if (typeof type !== 'string') return { ok: false, id: usableId, message: 'A command needs a string "type"' }
  if (type !== 'ping' && !RUN_COMMANDS.has(type as EngineCommandType)) {
    return { ok: false, id: usableId, message: `Unknown command type "${type.slice(0, 50)}"` }
  }
  if (usableId === null) return { ok: false, id: null, message: `Command "${type}" needs an integer "id"` }
  if (type === 'ping') return { ok: true, command: { type: 'ping', id: usableId } }

  const runId = message.runId
  if (typeof runId !== 'string' || runId.length === 0 || runId.length > MAX_RUN_ID_LENGTH) {
    return { ok: false, id: usableId, message: `Command "${type}" needs a "runId" string of 1 to ${MAX_RUN_ID_LENGTH} characters` }
  }
  if (type !== 'startRun') {
    return { ok: true, command: { type: type as Exclude<EngineCommandType, 'ping' | 'startRun'>, id: usableId, runId } }
  }
  if (message.paused !== undefined && typeof message.paused !== 'boolean') {
    return { ok: false, id: usableId, message: '"paused" must be true or false' }
  }
  const parsed = parseConfig(message.config)
  if (!parsed.ok) return { ok: false, id: usableId, message: parsed.message }
  return {
    ok: true,
    command: { type: 'startRun', id: usableId, runId, config: parsed.config, paused: message.paused === true }
  }
}
