import { describe, it, expect } from 'vitest'
import { createHash, randomBytes } from 'node:crypto'
import { sha256Hex, float32Sha256, float32LeBytes } from '../../../src-main/engine/numeric/sha256'

const nodeSha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')

describe('sha256Hex', () => {
  it('matches the FIPS 180-4 examples', () => {
    const enc = new TextEncoder()
    expect(sha256Hex(new Uint8Array(0))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
    )
    expect(sha256Hex(enc.encode('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
    )
    expect(sha256Hex(enc.encode('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'
    )
  })

  it('matches node:crypto for every length 0..300 around the padding boundaries', () => {
    for (let n = 0; n <= 300; n++) {
      const b = new Uint8Array(randomBytes(n))
      expect(sha256Hex(b), `length ${n}`).toBe(nodeSha(b))
    }
  })

  it('matches node:crypto for larger random inputs', () => {
    for (const n of [1000, 4096, 65535, 400000, 1 << 20]) {
      const b = new Uint8Array(randomBytes(n))
      expect(sha256Hex(b), `length ${n}`).toBe(nodeSha(b))
    }
  })

  it('hashes a subarray view, not its whole buffer', () => {
    const b = new Uint8Array(randomBytes(100))
    const view = b.subarray(10, 60)
    expect(sha256Hex(view)).toBe(nodeSha(Uint8Array.from(view)))
  })
})

describe('float32Sha256', () => {
  it('hashes little-endian float32 bytes of any array-like', () => {
    const values = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 1e3)
    const le = Buffer.alloc(values.length * 4)
    values.forEach((v, i) => le.writeFloatLE(v, i * 4))
    const want = nodeSha(le)
    expect(float32Sha256(values)).toBe(want)
    expect(float32Sha256(Array.from(values))).toBe(want)
    expect(Buffer.from(float32LeBytes(values)).equals(le)).toBe(true)
  })

  it('rounds doubles to float32 first', () => {
    expect(float32Sha256([0.1, 1 / 3])).toBe(float32Sha256(Float32Array.of(0.1, 1 / 3)))
  })
})
