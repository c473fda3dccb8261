/**
 * Reading the real-PyTorch fixtures in tests/fixtures/torch-<version>/ (schema: tests/fixtures/README.md).
 * Tests only ever read this copy, never ../shared.
 */

import { readFileSync, existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export type TorchVersion = '2.13.0' | '1.13.1'
export const TORCH_VERSIONS: readonly TorchVersion[] = ['2.13.0', '1.13.1']

const here = import.meta.dirname ?? dirname(fileURLToPath(import.meta.url))
export const FIXTURES_DIR = join(here, '..', 'fixtures')

/** Absolute path of tests/fixtures/torch-<version>/<name> (".json" is added when missing). */
export function fixturePath(version: TorchVersion, name: string): string {
  const file = name.endsWith('.json') ? name : `${name}.json`
  return join(FIXTURES_DIR, `torch-${version}`, file)
}

export function hasFixture(version: TorchVersion, name: string): boolean {
  return existsSync(fixturePath(version, name))
}

/** Parsed JSON of a fixture file. Pass a type argument to describe the part you use. */
export function loadFixture<T = any>(version: TorchVersion, name: string): T {
  return JSON.parse(readFileSync(fixturePath(version, name), 'utf8')) as T
}

/** How the fixtures summarise a tensor too big to store in full. */
export interface Summary {
  shape: number[]
  /** sha256 hex of the float32 little-endian bytes, row-major. */
  sha256: string
  sum: number
  abs_sum: number
  first8: number[]
  last8: number[]
  samples: [number, number][]
}

/** A tensor as stored in full: a number (0-dim) or nested row-major lists. */
export type NestedNumbers = number | NestedNumbers[]

export function isSummary(v: unknown): v is Summary {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'sha256' in v
}

/** Row-major flattening of a full tensor. */
export function flatten(v: NestedNumbers): number[] {
  if (!Array.isArray(v)) return [v]
  const out: number[] = []
  const walk = (x: NestedNumbers): void => {
    if (Array.isArray(x)) for (const y of x) walk(y)
    else out.push(x)
  }
  walk(v)
  return out
}

/** Shape of a full (non-ragged) nested list; [] for a number. */
export function shapeOf(v: NestedNumbers): number[] {
  const shape: number[] = []
  let x = v
  while (Array.isArray(x)) {
    shape.push(x.length)
    x = x[0]
  }
  return shape
}

/** A full tensor as exact float32 values (the JSON holds each float32 as the double it equals). */
export function toFloat32(v: NestedNumbers): Float32Array {
  return Float32Array.from(flatten(v))
}
