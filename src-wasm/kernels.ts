// Optim Lab's WebAssembly kernels, in AssemblyScript (compiled by scripts/build-wasm.mjs, never by tsc).
//
// Every function works on row-major matrices in the imported linear memory; pointers are byte
// offsets chosen by the TypeScript side (src-main/engine/kernels/wasm-kernels.ts), which copies the
// operands in and the result out. Sums accumulate in double, like the TypeScript reference
// (typescript-kernels.ts). Products: float64 in double; float32 either exactly in the reference's
// order (blocks of 8 in float32, added in double: mm_bc_f32), or, where relaxed madd is a fused
// multiply-add, one float32 fused running sum per output the way an FMA BLAS does (mm_seq_f32).
//
// The same source builds twice: plain SIMD128, and relaxed SIMD; `ASC_FEATURE_RELAXED_SIMD` is a
// compile-time constant, so only one branch is emitted. Where relaxed madd is a fused multiply-add
// (tested at load), the relaxed build uses it in float32 products (one rounding per term, as MKL)
// and in Adam (exactly ATen's vec::fmadd, which the plain build emulates in double).

// ---------------------------------------------------------------------------------------------
// Helpers

// @ts-ignore: decorator
@inline
function madd<T>(acc: v128, x: v128, y: v128): v128 {
  return v128.add<T>(acc, v128.mul<T>(x, y))
}

/** Sum of the two f64 lanes. */
// @ts-ignore: decorator
@inline
function hsum<T>(v: v128): T {
  return <T>(v128.extract_lane<f64>(v, 0) + v128.extract_lane<f64>(v, 1))
}

// @ts-ignore: decorator
@inline
function zero(): v128 {
  return v128.splat<i32>(0)
}

// @ts-ignore: decorator
@inline
function biasAt<T>(bias: usize, j: i32): T {
  return bias != 0 ? load<T>(bias + (<usize>j << alignof<T>())) : <T>0
}

// ---------------------------------------------------------------------------------------------
// float64: out[m×n] = a[m×k] · b[n×k]ᵀ (+ bias[n]): rows of a against rows of b, both contiguous.
// Tiles of 4 rows of a × 2 rows of b keep eight accumulators in registers. (float32 transposes b
// and takes mm_bc_f32, so that each output is summed in the reference's order.)

/** One dot product of length k (used for the edges of the tiling). */
// @ts-ignore: decorator
@inline
function dot<T>(x: usize, y: usize, k: i32): T {
  const S = sizeof<T>()
  const L = 16 / <i32>S
  const kv = k - (k % L)
  let c0 = zero()
  let c1 = zero()
  let p = 0
  for (; p + 2 * L <= kv; p += 2 * L) {
    const q = <usize>p * S
    c0 = madd<T>(c0, v128.load(x + q), v128.load(y + q))
    c1 = madd<T>(c1, v128.load(x + q + 16), v128.load(y + q + 16))
  }
  for (; p < kv; p += L) {
    const q = <usize>p * S
    c0 = madd<T>(c0, v128.load(x + q), v128.load(y + q))
  }
  let s = hsum<T>(v128.add<T>(c0, c1))
  for (; p < k; p++) {
    const q = <usize>p * S
    s += load<T>(x + q) * load<T>(y + q)
  }
  return s
}

// @ts-ignore: decorator
@inline
function mmNT<T>(a: usize, b: usize, out: usize, m: i32, k: i32, n: i32, bias: usize): void {
  const S = sizeof<T>()
  const L = 16 / <i32>S
  const kv = k - (k % L)
  const row = <usize>k * S
  const orow = <usize>n * S
  let i = 0
  for (; i + 4 <= m; i += 4) {
    const a0 = a + <usize>i * row
    const a1 = a0 + row
    const a2 = a1 + row
    const a3 = a2 + row
    let j = 0
    for (; j + 2 <= n; j += 2) {
      const b0 = b + <usize>j * row
      const b1 = b0 + row
      let c00 = zero(), c01 = zero()
      let c10 = zero(), c11 = zero()
      let c20 = zero(), c21 = zero()
      let c30 = zero(), c31 = zero()
      let p = 0
      for (; p < kv; p += L) {
        const q = <usize>p * S
        const y0 = v128.load(b0 + q)
        const y1 = v128.load(b1 + q)
        let x = v128.load(a0 + q)
        c00 = madd<T>(c00, x, y0)
        c01 = madd<T>(c01, x, y1)
        x = v128.load(a1 + q)
        c10 = madd<T>(c10, x, y0)
        c11 = madd<T>(c11, x, y1)
        x = v128.load(a2 + q)
        c20 = madd<T>(c20, x, y0)
        c21 = madd<T>(c21, x, y1)
        x = v128.load(a3 + q)
        c30 = madd<T>(c30, x, y0)
        c31 = madd<T>(c31, x, y1)
      }
      let s00 = hsum<T>(c00), s01 = hsum<T>(c01)
      let s10 = hsum<T>(c10), s11 = hsum<T>(c11)
      let s20 = hsum<T>(c20), s21 = hsum<T>(c21)
      let s30 = hsum<T>(c30), s31 = hsum<T>(c31)
      for (; p < k; p++) {
        const q = <usize>p * S
        const y0 = load<T>(b0 + q)
        const y1 = load<T>(b1 + q)
        s00 += load<T>(a0 + q) * y0
        s01 += load<T>(a0 + q) * y1
        s10 += load<T>(a1 + q) * y0
        s11 += load<T>(a1 + q) * y1
        s20 += load<T>(a2 + q) * y0
        s21 += load<T>(a2 + q) * y1
        s30 += load<T>(a3 + q) * y0
        s31 += load<T>(a3 + q) * y1
      }
      const bj0 = biasAt<T>(bias, j)
      const bj1 = biasAt<T>(bias, j + 1)
      const o = out + <usize>i * orow + <usize>j * S
      store<T>(o, s00 + bj0)
      store<T>(o + S, s01 + bj1)
      store<T>(o + orow, s10 + bj0)
      store<T>(o + orow + S, s11 + bj1)
      store<T>(o + 2 * orow, s20 + bj0)
      store<T>(o + 2 * orow + S, s21 + bj1)
      store<T>(o + 3 * orow, s30 + bj0)
      store<T>(o + 3 * orow + S, s31 + bj1)
    }
    for (; j < n; j++) {
      const b0 = b + <usize>j * row
      const bj = biasAt<T>(bias, j)
      const o = out + <usize>i * orow + <usize>j * S
      store<T>(o, dot<T>(a0, b0, k) + bj)
      store<T>(o + orow, dot<T>(a1, b0, k) + bj)
      store<T>(o + 2 * orow, dot<T>(a2, b0, k) + bj)
      store<T>(o + 3 * orow, dot<T>(a3, b0, k) + bj)
    }
  }
  for (; i < m; i++) {
    const a0 = a + <usize>i * row
    for (let j = 0; j < n; j++) {
      store<T>(out + <usize>i * orow + <usize>j * S, dot<T>(a0, b + <usize>j * row, k) + biasAt<T>(bias, j))
    }
  }
}

// ---------------------------------------------------------------------------------------------
// float64: out[m×n] = A · b[k×n] (+ bias[n]) where A(i, p) = a[i·sai + p·sap]: a plain (sai = k, sap = 1) or
// stored transposed (sai = 1, sap = m). Each A(i, p) is broadcast against a row strip of b; tiles
// of 4 rows × 2 vectors keep eight accumulators in registers, and the loop over rows runs inside the
// loop over column strips so that the strip of b stays in L1.

// @ts-ignore: decorator
@inline
function initAcc<T>(bias: usize, j: i32): v128 {
  return bias != 0 ? v128.load(bias + (<usize>j << alignof<T>())) : zero()
}

// @ts-ignore: decorator
@inline
function mmBC<T>(a: usize, sai: i32, sap: i32, b: usize, out: usize, m: i32, k: i32, n: i32, bias: usize): void {
  const S = sizeof<T>()
  const L = 16 / <i32>S
  const W = 2 * L
  const si = <usize>sai * S
  const sp = <usize>sap * S
  const brow = <usize>n * S
  let j = 0
  for (; j + W <= n; j += W) {
    const bj = b + <usize>j * S
    const b0 = initAcc<T>(bias, j)
    const b1 = initAcc<T>(bias, j + L)
    let i = 0
    for (; i + 4 <= m; i += 4) {
      let c00 = b0, c01 = b1
      let c10 = b0, c11 = b1
      let c20 = b0, c21 = b1
      let c30 = b0, c31 = b1
      let pa = a + <usize>i * si
      let pb = bj
      for (let p = 0; p < k; p++) {
        const y0 = v128.load(pb)
        const y1 = v128.load(pb, 16)
        let x = v128.load_splat<T>(pa)
        c00 = madd<T>(c00, x, y0)
        c01 = madd<T>(c01, x, y1)
        x = v128.load_splat<T>(pa + si)
        c10 = madd<T>(c10, x, y0)
        c11 = madd<T>(c11, x, y1)
        x = v128.load_splat<T>(pa + 2 * si)
        c20 = madd<T>(c20, x, y0)
        c21 = madd<T>(c21, x, y1)
        x = v128.load_splat<T>(pa + 3 * si)
        c30 = madd<T>(c30, x, y0)
        c31 = madd<T>(c31, x, y1)
        pa += sp
        pb += brow
      }
      const o = out + <usize>i * brow + <usize>j * S
      v128.store(o, c00)
      v128.store(o, c01, 16)
      v128.store(o + brow, c10)
      v128.store(o + brow, c11, 16)
      v128.store(o + 2 * brow, c20)
      v128.store(o + 2 * brow, c21, 16)
      v128.store(o + 3 * brow, c30)
      v128.store(o + 3 * brow, c31, 16)
    }
    for (; i < m; i++) {
      let c0 = b0, c1 = b1
      let pa = a + <usize>i * si
      let pb = bj
      for (let p = 0; p < k; p++) {
        const x = v128.load_splat<T>(pa)
        c0 = madd<T>(c0, x, v128.load(pb))
        c1 = madd<T>(c1, x, v128.load(pb, 16))
        pa += sp
        pb += brow
      }
      const o = out + <usize>i * brow + <usize>j * S
      v128.store(o, c0)
      v128.store(o, c1, 16)
    }
  }
  for (; j + L <= n; j += L) {
    const bj = b + <usize>j * S
    const b0 = initAcc<T>(bias, j)
    for (let i = 0; i < m; i++) {
      let c0 = b0
      let pa = a + <usize>i * si
      let pb = bj
      for (let p = 0; p < k; p++) {
        c0 = madd<T>(c0, v128.load_splat<T>(pa), v128.load(pb))
        pa += sp
        pb += brow
      }
      v128.store(out + <usize>i * brow + <usize>j * S, c0)
    }
  }
  for (; j < n; j++) {
    const bj = b + <usize>j * S
    for (let i = 0; i < m; i++) {
      let c: T = biasAt<T>(bias, j)
      let pa = a + <usize>i * si
      let pb = bj
      for (let p = 0; p < k; p++) {
        c += load<T>(pa) * load<T>(pb)
        pa += sp
        pb += brow
      }
      store<T>(out + <usize>i * brow + <usize>j * S, c)
    }
  }
}

// ---------------------------------------------------------------------------------------------
// float32: out[m×n] = A · b[k×n] (+ bias[n]), A(i, p) = a[i·sai + p·sap] as in mmBC, in blocks of
// k exactly as typescript-kernels.ts does: acc = bias[j] (or 0) in double; for each block of
// F32_BLOCK consecutive p, s = Σ A(i, p)·b[p, j] in float32 (each product and each sum rounded to
// float32, in order of p), then acc += s in double; one rounding to float32 at the store. The
// short float32 sums run in f32x4 lanes (4 outputs per vector, ≈ 3.4× the throughput of double
// lanes); the double accumulation across blocks keeps the error of a long sum near double's (a
// plain float32 sum over all of k made Adadelta drift past the parity tolerance). Each output is
// summed in that order, so the result is bit for bit the reference's. Tiles of 4 rows × 8 columns
// (then 1 × 8 for the last rows, and 4 × 4 for a last 4-column strip): the block's running float32
// sums form one dependency chain per vector, so eight independent partial sums keep the adders
// busier than four; their sixteen f64x2 totals live in 256 bytes at `scratch` (in registers they
// spilled, ≈ 15 % slower), touched once per block. Against the 2 × 8 tile in registers: x·W1ᵀ 0.41
// against 0.44 ms, dW1 0.41 against 0.43, the big net's 256×784×256 3.7 against 4.1 ms. The loop
// over rows runs inside the loop over column strips so that the strip of b stays in L1. No relaxed
// madd: both builds agree bit for bit (fused, the same tiles were 12–34 % faster, with other
// numbers than the reference).
// Blocks of 8: Adadelta (lr = 1) seed 1 of the parity workload is bistable (torch 1.13 and 2.13
// themselves differ by 1.28 % at step 30); with blocks of 8, like double accumulation, it follows
// torch 2.13 within 1e-5, with blocks of 4, 16, 32 or 64 it takes torch 1.13's branch (1.1 %).

/** Terms per float32 partial sum (must equal F32_BLOCK in typescript-kernels.ts). */
const F32_BLOCK = 8

/** Two f64x2 from the four float32 lanes of v: (v0, v1) and (v2, v3). */
// @ts-ignore: decorator
@inline
function promoteLow(v: v128): v128 {
  return f64x2.promote_low_f32x4(v)
}

// @ts-ignore: decorator
@inline
function promoteHigh(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1))
}

/** Rounds two f64x2 (lanes 0–1 and 2–3) to float32, once, and stores the four floats at o. */
// @ts-ignore: decorator
@inline
function store4(o: usize, lo: v128, hi: v128): void {
  v128.store(o, v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5))
}

/** Adds one block's eight float32 sums (lo: columns 0–3, hi: 4–7) to the double totals at t. */
// @ts-ignore: decorator
@inline
function addBlock(t: usize, lo: v128, hi: v128): void {
  v128.store(t, f64x2.add(v128.load(t), promoteLow(lo)))
  v128.store(t, f64x2.add(v128.load(t, 16), promoteHigh(lo)), 16)
  v128.store(t, f64x2.add(v128.load(t, 32), promoteLow(hi)), 32)
  v128.store(t, f64x2.add(v128.load(t, 48), promoteHigh(hi)), 48)
}

export function mm_bc_f32(a: usize, sai: i32, sap: i32, b: usize, out: usize, m: i32, k: i32, n: i32, bias: usize, scratch: usize): void {
  const si = <usize>sai << 2
  const sp = <usize>sap << 2
  const brow = <usize>n << 2
  let j = 0
  for (; j + 8 <= n; j += 8) {
    const bj = b + (<usize>j << 2)
    let b0 = zero(), b1 = zero(), b2 = zero(), b3 = zero()
    if (bias != 0) {
      const v = v128.load(bias + (<usize>j << 2))
      const w = v128.load(bias + (<usize>j << 2), 16)
      b0 = promoteLow(v)
      b1 = promoteHigh(v)
      b2 = promoteLow(w)
      b3 = promoteHigh(w)
    }
    let i = 0
    // 4 × 8: eight f32x4 partial sums in registers, the sixteen f64x2 totals at `scratch`.
    const si2 = si << 1
    const si3 = si2 + si
    for (; i + 4 <= m; i += 4) {
      for (let q: usize = 0; q < 256; q += 64) {
        v128.store(scratch + q, b0)
        v128.store(scratch + q, b1, 16)
        v128.store(scratch + q, b2, 32)
        v128.store(scratch + q, b3, 48)
      }
      let pa = a + <usize>i * si
      let pb = bj
      for (let p0 = 0; p0 < k; p0 += F32_BLOCK) {
        const p1 = min(p0 + F32_BLOCK, k)
        let c00 = zero(), c01 = zero(), c10 = zero(), c11 = zero()
        let c20 = zero(), c21 = zero(), c30 = zero(), c31 = zero()
        for (let p = p0; p < p1; p++) {
          const y0 = v128.load(pb)
          const y1 = v128.load(pb, 16)
          let x = v128.load_splat<f32>(pa)
          c00 = madd<f32>(c00, x, y0)
          c01 = madd<f32>(c01, x, y1)
          x = v128.load_splat<f32>(pa + si)
          c10 = madd<f32>(c10, x, y0)
          c11 = madd<f32>(c11, x, y1)
          x = v128.load_splat<f32>(pa + si2)
          c20 = madd<f32>(c20, x, y0)
          c21 = madd<f32>(c21, x, y1)
          x = v128.load_splat<f32>(pa + si3)
          c30 = madd<f32>(c30, x, y0)
          c31 = madd<f32>(c31, x, y1)
          pa += sp
          pb += brow
        }
        addBlock(scratch, c00, c01)
        addBlock(scratch + 64, c10, c11)
        addBlock(scratch + 128, c20, c21)
        addBlock(scratch + 192, c30, c31)
      }
      const o = out + <usize>i * brow + (<usize>j << 2)
      for (let q: usize = 0; q < 4; q++) {
        const t = scratch + (q << 6)
        store4(o + q * brow, v128.load(t), v128.load(t, 16))
        store4(o + q * brow + 16, v128.load(t, 32), v128.load(t, 48))
      }
    }
    for (; i < m; i++) {
      let d0 = b0, d1 = b1, d2 = b2, d3 = b3
      let pa = a + <usize>i * si
      let pb = bj
      for (let p0 = 0; p0 < k; p0 += F32_BLOCK) {
        const p1 = min(p0 + F32_BLOCK, k)
        let c0 = zero(), c1 = zero()
        for (let p = p0; p < p1; p++) {
          const x = v128.load_splat<f32>(pa)
          c0 = madd<f32>(c0, x, v128.load(pb))
          c1 = madd<f32>(c1, x, v128.load(pb, 16))
          pa += sp
          pb += brow
        }
        d0 = f64x2.add(d0, promoteLow(c0)); d1 = f64x2.add(d1, promoteHigh(c0))
        d2 = f64x2.add(d2, promoteLow(c1)); d3 = f64x2.add(d3, promoteHigh(c1))
      }
      const o = out + <usize>i * brow + (<usize>j << 2)
      store4(o, d0, d1)
      store4(o + 16, d2, d3)
    }
  }
  for (; j + 4 <= n; j += 4) {
    const bj = b + (<usize>j << 2)
    let b0 = zero(), b1 = zero()
    if (bias != 0) {
      const v = v128.load(bias + (<usize>j << 2))
      b0 = promoteLow(v)
      b1 = promoteHigh(v)
    }
    let i = 0
    for (; i + 4 <= m; i += 4) {
      let d00 = b0, d01 = b1
      let d10 = b0, d11 = b1
      let d20 = b0, d21 = b1
      let d30 = b0, d31 = b1
      let pa = a + <usize>i * si
      let pb = bj
      for (let p0 = 0; p0 < k; p0 += F32_BLOCK) {
        const p1 = min(p0 + F32_BLOCK, k)
        let c0 = zero(), c1 = zero(), c2 = zero(), c3 = zero()
        for (let p = p0; p < p1; p++) {
          const y = v128.load(pb)
          c0 = madd<f32>(c0, v128.load_splat<f32>(pa), y)
          c1 = madd<f32>(c1, v128.load_splat<f32>(pa + si), y)
          c2 = madd<f32>(c2, v128.load_splat<f32>(pa + 2 * si), y)
          c3 = madd<f32>(c3, v128.load_splat<f32>(pa + 3 * si), y)
          pa += sp
          pb += brow
        }
        d00 = f64x2.add(d00, promoteLow(c0)); d01 = f64x2.add(d01, promoteHigh(c0))
        d10 = f64x2.add(d10, promoteLow(c1)); d11 = f64x2.add(d11, promoteHigh(c1))
        d20 = f64x2.add(d20, promoteLow(c2)); d21 = f64x2.add(d21, promoteHigh(c2))
        d30 = f64x2.add(d30, promoteLow(c3)); d31 = f64x2.add(d31, promoteHigh(c3))
      }
      const o = out + <usize>i * brow + (<usize>j << 2)
      store4(o, d00, d01)
      store4(o + brow, d10, d11)
      store4(o + 2 * brow, d20, d21)
      store4(o + 3 * brow, d30, d31)
    }
    for (; i < m; i++) {
      let d0 = b0, d1 = b1
      let pa = a + <usize>i * si
      let pb = bj
      for (let p0 = 0; p0 < k; p0 += F32_BLOCK) {
        const p1 = min(p0 + F32_BLOCK, k)
        let c0 = zero()
        for (let p = p0; p < p1; p++) {
          c0 = madd<f32>(c0, v128.load_splat<f32>(pa), v128.load(pb))
          pa += sp
          pb += brow
        }
        d0 = f64x2.add(d0, promoteLow(c0))
        d1 = f64x2.add(d1, promoteHigh(c0))
      }
      store4(out + <usize>i * brow + (<usize>j << 2), d0, d1)
    }
  }
  for (; j < n; j++) {
    const bj = b + (<usize>j << 2)
    for (let i = 0; i < m; i++) {
      let d: f64 = bias != 0 ? <f64>load<f32>(bias + (<usize>j << 2)) : 0
      let pa = a + <usize>i * si
      let pb = bj
      for (let p0 = 0; p0 < k; p0 += F32_BLOCK) {
        const p1 = min(p0 + F32_BLOCK, k)
        let c: f32 = 0
        for (let p = p0; p < p1; p++) {
          c += load<f32>(pa) * load<f32>(pb)
          pa += sp
          pb += brow
        }
        d += <f64>c
      }
      store<f32>(out + <usize>i * brow + (<usize>j << 2), <f32>d)
    }
  }
}

// ---------------------------------------------------------------------------------------------
// float32 with fused multiply-adds, as an FMA BLAS sums: out[m×n] = A · b[k×n] (+ bias[n]), A(i, p)
// as in mmBC. Each output is one float32 running sum over p in order, from 0, each term added by a
// fused multiply-add (one rounding): acc = fma(A(i, p), b[p, j], acc); the bias is added last, in
// float32. That is the order of an FMA sgemm kernel (MKL's, which torch 2.13 uses) with C preset to
// the bias. On the parity workload (both seeds, 16 configurations, steps 0–49) it follows torch 2.13
// as closely as the blocked sums above, Adadelta seed 1 included (1.2e-5), loss[0] equal; the same
// order with a rounded product and a rounded sum does not (Adadelta seed 1: 2.7 %, torch 1.13's
// branch). So it runs only in the relaxed build, where relaxed madd measured fused (the backend
// checks); the plain build compiles it with an unfused fallback that is never called.
// Tiles of 4 rows × 8 columns keep the eight running sums in registers, with no flush into double;
// k runs in passes of KC terms (the sums wait in `out` between passes, exact in float32) so that a
// tile's strip of b stays in L1.

// @ts-ignore: decorator
@inline
function fmadd32(acc: v128, x: v128, y: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return v128.relaxed_madd<f32>(x, y, acc)
  return madd<f32>(acc, x, y)
}

/** Terms per pass over k: a 4 × 8 tile's strip of b (KC × 32 bytes) then stays in L1. */
const KC = 256

/** The running sums of four outputs at o: zero on the first pass over k, else where the last pass left them. */
// @ts-ignore: decorator
@inline
function resume(o: usize, first: bool): v128 {
  return first ? zero() : v128.load(o)
}

/** Stores four running sums at o; after the last pass over k, with bias[j…j+3] (if any) added. */
// @ts-ignore: decorator
@inline
function suspend(o: usize, c: v128, last: bool, bias: usize, j: i32): void {
  v128.store(o, last && bias != 0 ? f32x4.add(c, v128.load(bias + (<usize>j << 2))) : c)
}

/**
 * Four rows' running sums over p in [p0, p1), at o (rows orow bytes apart): of four columns
 * (`wide`: a vector of b per term) or of one (lane 0 of each sum, b's value splat).
 */
// @ts-ignore: decorator
@inline
function fourRowSums(
  o: usize, orow: usize, pa: usize, si: usize, sp: usize, pb: usize, brow: usize, p0: i32, p1: i32, first: bool, last: bool, bias: usize, j: i32, wide: bool
): void {
  const si2 = si << 1
  const si3 = si2 + si
  let c0 = resumeSum(o, first, wide), c1 = resumeSum(o + orow, first, wide)
  let c2 = resumeSum(o + 2 * orow, first, wide), c3 = resumeSum(o + 3 * orow, first, wide)
  for (let p = p0; p < p1; p++) {
    const y = wide ? v128.load(pb) : v128.load_splat<f32>(pb)
    c0 = fmadd32(c0, v128.load_splat<f32>(pa), y)
    c1 = fmadd32(c1, v128.load_splat<f32>(pa + si), y)
    c2 = fmadd32(c2, v128.load_splat<f32>(pa + si2), y)
    c3 = fmadd32(c3, v128.load_splat<f32>(pa + si3), y)
    pa += sp
    pb += brow
  }
  suspendSum(o, c0, last, bias, j, wide)
  suspendSum(o + orow, c1, last, bias, j, wide)
  suspendSum(o + 2 * orow, c2, last, bias, j, wide)
  suspendSum(o + 3 * orow, c3, last, bias, j, wide)
}

/** One row's running sum over p in [p0, p1), at o: of four columns (`wide`) or of one (lane 0). */
// @ts-ignore: decorator
@inline
function oneRowSum(
  o: usize, pa: usize, sp: usize, pb: usize, brow: usize, p0: i32, p1: i32, first: bool, last: bool, bias: usize, j: i32, wide: bool
): void {
  let c = resumeSum(o, first, wide)
  for (let p = p0; p < p1; p++) {
    c = fmadd32(c, v128.load_splat<f32>(pa), wide ? v128.load(pb) : v128.load_splat<f32>(pb))
    pa += sp
    pb += brow
  }
  suspendSum(o, c, last, bias, j, wide)
}

/** resume for four columns (`wide`) or one (lane 0). */
// @ts-ignore: decorator
@inline
function resumeSum(o: usize, first: bool, wide: bool): v128 {
  return first ? zero() : wide ? v128.load(o) : v128.load32_splat(o)
}

/** suspend for four columns (`wide`) or one (lane 0). */
// @ts-ignore: decorator
@inline
function suspendSum(o: usize, c: v128, last: bool, bias: usize, j: i32, wide: bool): void {
  if (wide) suspend(o, c, last, bias, j)
  else storeLane0(o, c, last, bias, j)
}

/** One pass over p in [p0, p1) for every output; the sums are kept in `out` between passes (float32, exact). */
// @ts-ignore: decorator
@inline
function mmSeqF32Pass(
  a: usize, si: usize, sp: usize, b: usize, brow: usize, out: usize, orow: usize, m: i32, n: i32, bias: usize, p0: i32, p1: i32, first: bool, last: bool
): void {
  const si2 = si << 1
  const si3 = si2 + si
  const a0 = a + <usize>p0 * sp
  const b0 = b + <usize>p0 * brow
  let j = 0
  for (; j + 8 <= n; j += 8) {
    const bj = b0 + (<usize>j << 2)
    let i = 0
    for (; i + 4 <= m; i += 4) {
      const o = out + <usize>i * orow + (<usize>j << 2)
      let c00 = resume(o, first), c01 = resume(o + 16, first)
      let c10 = resume(o + orow, first), c11 = resume(o + orow + 16, first)
      let c20 = resume(o + 2 * orow, first), c21 = resume(o + 2 * orow + 16, first)
      let c30 = resume(o + 3 * orow, first), c31 = resume(o + 3 * orow + 16, first)
      let pa = a0 + <usize>i * si
      let pb = bj
      for (let p = p0; p < p1; p++) {
        const y0 = v128.load(pb)
        const y1 = v128.load(pb, 16)
        let x = v128.load_splat<f32>(pa)
        c00 = fmadd32(c00, x, y0)
        c01 = fmadd32(c01, x, y1)
        x = v128.load_splat<f32>(pa + si)
        c10 = fmadd32(c10, x, y0)
        c11 = fmadd32(c11, x, y1)
        x = v128.load_splat<f32>(pa + si2)
        c20 = fmadd32(c20, x, y0)
        c21 = fmadd32(c21, x, y1)
        x = v128.load_splat<f32>(pa + si3)
        c30 = fmadd32(c30, x, y0)
        c31 = fmadd32(c31, x, y1)
        pa += sp
        pb += brow
      }
      suspend(o, c00, last, bias, j)
      suspend(o + 16, c01, last, bias, j + 4)
      suspend(o + orow, c10, last, bias, j)
      suspend(o + orow + 16, c11, last, bias, j + 4)
      suspend(o + 2 * orow, c20, last, bias, j)
      suspend(o + 2 * orow + 16, c21, last, bias, j + 4)
      suspend(o + 3 * orow, c30, last, bias, j)
      suspend(o + 3 * orow + 16, c31, last, bias, j + 4)
    }
    for (; i < m; i++) {
      const o = out + <usize>i * orow + (<usize>j << 2)
      let c0 = resume(o, first), c1 = resume(o + 16, first)
      let pa = a0 + <usize>i * si
      let pb = bj
      for (let p = p0; p < p1; p++) {
        const x = v128.load_splat<f32>(pa)
        c0 = fmadd32(c0, x, v128.load(pb))
        c1 = fmadd32(c1, x, v128.load(pb, 16))
        pa += sp
        pb += brow
      }
      suspend(o, c0, last, bias, j)
      suspend(o + 16, c1, last, bias, j + 4)
    }
  }
  for (; j + 4 <= n; j += 4) {
    const bj = b0 + (<usize>j << 2)
    let i = 0
    // 4 × 4: four independent running sums (one per row), as many loads as the 1 × 4 path per term.
    for (; i + 4 <= m; i += 4) fourRowSums(out + <usize>i * orow + (<usize>j << 2), orow, a0 + <usize>i * si, si, sp, bj, brow, p0, p1, first, last, bias, j, true)
    for (; i < m; i++) oneRowSum(out + <usize>i * orow + (<usize>j << 2), a0 + <usize>i * si, sp, bj, brow, p0, p1, first, last, bias, j, true)
  }
  // The last (at most three) columns: one lane of the same arithmetic, four rows at a time so that
  // four running sums hide the multiply-add's latency (the lesson's h·W2ᵀ, two of its ten columns
  // here: 16 → 9 µs a call).
  for (; j < n; j++) {
    const bj = b0 + (<usize>j << 2)
    let i = 0
    for (; i + 4 <= m; i += 4) fourRowSums(out + <usize>i * orow + (<usize>j << 2), orow, a0 + <usize>i * si, si, sp, bj, brow, p0, p1, first, last, bias, j, false)
    for (; i < m; i++) oneRowSum(out + <usize>i * orow + (<usize>j << 2), a0 + <usize>i * si, sp, bj, brow, p0, p1, first, last, bias, j, false)
  }
}

/** Stores a single running sum (lane 0 of c) at o; after the last pass over k, with bias[j] (if any) added. */
// @ts-ignore: decorator
@inline
function storeLane0(o: usize, c: v128, last: bool, bias: usize, j: i32): void {
  let sum = f32x4.extract_lane(c, 0)
  if (last && bias != 0) sum += load<f32>(bias + (<usize>j << 2))
  store<f32>(o, sum)
}

export function mm_seq_f32(a: usize, sai: i32, sap: i32, b: usize, out: usize, m: i32, k: i32, n: i32, bias: usize): void {
  const si = <usize>sai << 2
  const sp = <usize>sap << 2
  const row = <usize>n << 2
  for (let p0 = 0; p0 < k; p0 += KC) {
    const p1 = min(p0 + KC, k)
    mmSeqF32Pass(a, si, sp, b, row, out, row, m, n, bias, p0, p1, p0 == 0, p1 == k)
  }
}

/**
 * Columns [j0, j1) of out[m×n] = op(a)·wᵀ (+ bias), w stored n×k (x·Wᵀ): rows j0…j1 of w are laid
 * out k × (j1 − j0) in `t` first, so that each output is the same running sum as mm_seq_f32's. Two
 * threads each take a range of columns and transpose only their own rows of w.
 */
export function mm_seq_nt_f32(
  a: usize, sai: i32, sap: i32, w: usize, t: usize, out: usize, m: i32, k: i32, n: i32, j0: i32, j1: i32, bias: usize
): void {
  const cols = j1 - j0
  transpose_f32(w + ((<usize>j0 * k) << 2), t, cols, k)
  const si = <usize>sai << 2
  const sp = <usize>sap << 2
  const o = out + (<usize>j0 << 2)
  const b = bias != 0 ? bias + (<usize>j0 << 2) : 0
  for (let p0 = 0; p0 < k; p0 += KC) {
    const p1 = min(p0 + KC, k)
    mmSeqF32Pass(a, si, sp, t, <usize>cols << 2, o, <usize>n << 2, m, cols, b, p0, p1, p0 == 0, p1 == k)
  }
}

// ---------------------------------------------------------------------------------------------
// The same running sums, skipping the terms whose A(i, p) is zero: a weight's gradient gᵀ·x behind
// a ReLU, where about half of g is zero. With every b[p, j] finite (the caller checks) a skipped
// term would have added ±0 to the sum, which leaves it unchanged, so each output is bit for bit
// mm_seq_f32's.

/** Rows whose non-zero terms are listed at a time: SPARSE_ROWS × k × 8 bytes of scratch. */
const SPARSE_ROWS = 16

/** 1 if any of the `len` floats at `x` is infinite or NaN. */
export function any_nonfinite_f32(x: usize, len: i32): i32 {
  // |x|'s bits as unsigned integers: infinite or NaN exactly from 0x7f800000 up. Four running
  // maxima keep the loop to a load, an and and a max per vector.
  const magnitude = i32x4.splat(0x7fffffff)
  let m0 = i32x4.splat(0), m1 = m0, m2 = m0, m3 = m0
  let i = 0
  for (; i + 16 <= len; i += 16) {
    const p = x + (<usize>i << 2)
    m0 = i32x4.max_u(m0, v128.and(v128.load(p), magnitude))
    m1 = i32x4.max_u(m1, v128.and(v128.load(p, 16), magnitude))
    m2 = i32x4.max_u(m2, v128.and(v128.load(p, 32), magnitude))
    m3 = i32x4.max_u(m3, v128.and(v128.load(p, 48), magnitude))
  }
  const m = i32x4.max_u(i32x4.max_u(m0, m1), i32x4.max_u(m2, m3))
  if (v128.any_true(i32x4.ge_u(m, i32x4.splat(0x7f800000)))) return 1
  for (; i < len; i++) if ((load<u32>(x + (<usize>i << 2)) & 0x7fffffff) >= 0x7f800000) return 1
  return 0
}

/** How many of the `len` floats at `x` are ±0. */
export function count_zeros_f32(x: usize, len: i32): i32 {
  const zeros = f32x4.splat(0)
  let count = i32x4.splat(0)
  let i = 0
  // A lane that compares equal is −1: subtracting counts it.
  for (; i + 4 <= len; i += 4) count = i32x4.sub(count, f32x4.eq(v128.load(x + (<usize>i << 2)), zeros))
  let total = i32x4.extract_lane(count, 0) + i32x4.extract_lane(count, 1) + i32x4.extract_lane(count, 2) + i32x4.extract_lane(count, 3)
  for (; i < len; i++) if (load<f32>(x + (<usize>i << 2)) == 0) total++
  return total
}

/**
 * One row's outputs j…j+27 (`wide`) or j…j+15 from its `count` listed terms at `list`, written to
 * `o` (the row of out) with bias[j…] (if any). `wide` is a constant at each call, so each call
 * compiles to its own loop with seven or four running sums.
 */
// @ts-ignore: decorator
@inline
function sparseStrip(list: usize, count: i32, b: usize, o: usize, j: i32, bias: usize, wide: bool): void {
  const bj = b + (<usize>j << 2)
  let c0 = zero(), c1 = zero(), c2 = zero(), c3 = zero(), c4 = zero(), c5 = zero(), c6 = zero()
  const end = list + (<usize>count << 3)
  for (let entry = list; entry < end; entry += 8) {
    const pb = bj + <usize>load<u32>(entry)
    const x = v128.load_splat<f32>(entry + 4)
    c0 = fmadd32(c0, x, v128.load(pb))
    c1 = fmadd32(c1, x, v128.load(pb, 16))
    c2 = fmadd32(c2, x, v128.load(pb, 32))
    c3 = fmadd32(c3, x, v128.load(pb, 48))
    if (wide) {
      c4 = fmadd32(c4, x, v128.load(pb, 64))
      c5 = fmadd32(c5, x, v128.load(pb, 80))
      c6 = fmadd32(c6, x, v128.load(pb, 96))
    }
  }
  const at = o + (<usize>j << 2)
  suspend(at, c0, true, bias, j)
  suspend(at + 16, c1, true, bias, j + 4)
  suspend(at + 32, c2, true, bias, j + 8)
  suspend(at + 48, c3, true, bias, j + 12)
  if (wide) {
    suspend(at + 64, c4, true, bias, j + 16)
    suspend(at + 80, c5, true, bias, j + 20)
    suspend(at + 96, c6, true, bias, j + 24)
  }
}

/**
 * out[m×n] = A · b[k×n] (+ bias[n]) as mm_seq_f32 (A(i, p) at a + i·sai + p·sap, in floats), over
 * the non-zero A(i, p) only; b must be finite. Each row's terms are listed first (byte offset of
 * b's row, value) in `scratch`; then for each strip of 28 columns, which stays in L1 across the
 * rows, each row's seven running sums take its listed terms in order of p (seven: V8 keeps
 * them, the splat and seven loaded vectors in its fifteen vector registers; eight spill).
 */
export function mm_sparse_f32(a: usize, sai: i32, sap: i32, b: usize, out: usize, m: i32, k: i32, n: i32, bias: usize, scratch: usize): void {
  const si = <usize>sai << 2
  const sp = <usize>sap << 2
  const row = <usize>n << 2
  const listBytes = <usize>k << 3
  const counts = scratch
  const lists = scratch + (SPARSE_ROWS << 2)
  for (let i0 = 0; i0 < m; i0 += SPARSE_ROWS) {
    const rows = min(SPARSE_ROWS, m - i0)
    for (let r = 0; r < rows; r++) {
      const list = lists + <usize>r * listBytes
      let count = 0
      let pa = a + <usize>(i0 + r) * si
      for (let p = 0; p < k; p++) {
        const value = load<f32>(pa)
        // Every term is written at the list's end and kept only if non-zero: no branch to mispredict
        // on the half of the terms a ReLU zeroes at random. NaN is not equal to zero, so it is kept
        // (and spreads, as it would in the full sum).
        const entry = list + (<usize>count << 3)
        store<u32>(entry, <u32>(<usize>p * row))
        store<f32>(entry, value, 4)
        count += <i32>(value != 0)
        pa += sp
      }
      store<i32>(counts + (<usize>r << 2), count)
    }
    let j = 0
    for (; j + 28 <= n; j += 28) {
      for (let r = 0; r < rows; r++) sparseStrip(lists + <usize>r * listBytes, load<i32>(counts + (<usize>r << 2)), b, out + <usize>(i0 + r) * row, j, bias, true)
    }
    for (; j + 16 <= n; j += 16) {
      for (let r = 0; r < rows; r++) sparseStrip(lists + <usize>r * listBytes, load<i32>(counts + (<usize>r << 2)), b, out + <usize>(i0 + r) * row, j, bias, false)
    }
    for (; j + 4 <= n; j += 4) {
      const bj = b + (<usize>j << 2)
      for (let r = 0; r < rows; r++) {
        let c = zero()
        let entry = lists + <usize>r * listBytes
        const end = entry + (<usize>load<i32>(counts + (<usize>r << 2)) << 3)
        for (; entry < end; entry += 8) c = fmadd32(c, v128.load_splat<f32>(entry + 4), v128.load(bj + <usize>load<u32>(entry)))
        suspend(out + <usize>(i0 + r) * row + (<usize>j << 2), c, true, bias, j)
      }
    }
    // The last (at most three) columns: one lane of the same arithmetic.
    for (; j < n; j++) {
      const bj = b + (<usize>j << 2)
      for (let r = 0; r < rows; r++) {
        let c = zero()
        let entry = lists + <usize>r * listBytes
        const end = entry + (<usize>load<i32>(counts + (<usize>r << 2)) << 3)
        for (; entry < end; entry += 8) c = fmadd32(c, v128.load_splat<f32>(entry + 4), v128.load_splat<f32>(bj + <usize>load<u32>(entry)))
        let sum = f32x4.extract_lane(c, 0)
        if (bias != 0) sum += load<f32>(bias + (<usize>j << 2))
        store<f32>(out + <usize>(i0 + r) * row + (<usize>j << 2), sum)
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// dst[cols×rows] = src[rows×cols]ᵀ: float32 before x·Wᵀ (so that each output is summed in order of
// p), float64 for the rare product with both operands transposed.

// @ts-ignore: decorator
@inline
function transpose<T>(src: usize, dst: usize, rows: i32, cols: i32): void {
  const S = sizeof<T>()
  const B = 16
  for (let i0 = 0; i0 < rows; i0 += B) {
    const i1 = min(i0 + B, rows)
    for (let j0 = 0; j0 < cols; j0 += B) {
      const j1 = min(j0 + B, cols)
      for (let i = i0; i < i1; i++) {
        for (let j = j0; j < j1; j++) {
          store<T>(dst + (<usize>j * rows + i) * S, load<T>(src + (<usize>i * cols + j) * S))
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// ReLU and its gradient, float32, without branches (a scalar loop mispredicts on every other
// element of random signs). The comparisons are IEEE's, as PyTorch's clamp_min and
// threshold_backward: x < 0 and out ≤ 0 are false for NaN, and -0 is not < 0.

export function relu_f32(x: usize, out: usize, n: i32): void {
  const zero4 = f32x4.splat(0)
  let i = 0
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2
    const v = v128.load(x + o)
    v128.store(out + o, v128.andnot(v, f32x4.lt(v, zero4)))
  }
  for (; i < n; i++) {
    const v = load<f32>(x + (<usize>i << 2))
    store<f32>(out + (<usize>i << 2), v < 0 ? 0 : v)
  }
}

export function relu_backward_f32(out: usize, g: usize, grad: usize, n: i32): void {
  const zero4 = f32x4.splat(0)
  let i = 0
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2
    v128.store(grad + o, v128.andnot(v128.load(g + o), f32x4.le(v128.load(out + o), zero4)))
  }
  for (; i < n; i++) {
    const o = <usize>i << 2
    store<f32>(grad + o, load<f32>(out + o) <= 0 ? 0 : load<f32>(g + o))
  }
}

// ---------------------------------------------------------------------------------------------
// Sums, accumulated in double.

export function sum_f32(a: usize, len: i32): f64 {
  let c0 = zero(), c1 = zero()
  let i = 0
  for (; i + 4 <= len; i += 4) {
    const v = v128.load(a + (<usize>i << 2))
    c0 = v128.add<f64>(c0, f64x2.promote_low_f32x4(v))
    c1 = v128.add<f64>(c1, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)))
  }
  let s = hsum<f64>(v128.add<f64>(c0, c1))
  for (; i < len; i++) s += <f64>load<f32>(a + (<usize>i << 2))
  return s
}

export function sum_f64(a: usize, len: i32): f64 {
  let c0 = zero(), c1 = zero()
  let i = 0
  for (; i + 4 <= len; i += 4) {
    const q = a + (<usize>i << 3)
    c0 = v128.add<f64>(c0, v128.load(q))
    c1 = v128.add<f64>(c1, v128.load(q, 16))
  }
  let s = hsum<f64>(v128.add<f64>(c0, c1))
  for (; i < len; i++) s += load<f64>(a + (<usize>i << 3))
  return s
}

/** out[j] = Σ_r a[r·cols + j], each column summed in order in double (as the reference does). */
export function sum_rows_f32(a: usize, out: usize, rows: i32, cols: i32): void {
  const row = <usize>cols << 2
  let j = 0
  for (; j + 4 <= cols; j += 4) {
    let lo = zero(), hi = zero()
    let p = a + (<usize>j << 2)
    for (let r = 0; r < rows; r++) {
      const v = v128.load(p)
      lo = v128.add<f64>(lo, f64x2.promote_low_f32x4(v))
      hi = v128.add<f64>(hi, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)))
      p += row
    }
    const o = out + (<usize>j << 2)
    store<f32>(o, <f32>v128.extract_lane<f64>(lo, 0))
    store<f32>(o, <f32>v128.extract_lane<f64>(lo, 1), 4)
    store<f32>(o, <f32>v128.extract_lane<f64>(hi, 0), 8)
    store<f32>(o, <f32>v128.extract_lane<f64>(hi, 1), 12)
  }
  for (; j < cols; j++) {
    let s: f64 = 0
    for (let r = 0; r < rows; r++) s += <f64>load<f32>(a + ((<usize>r * cols + j) << 2))
    store<f32>(out + (<usize>j << 2), <f32>s)
  }
}

export function sum_rows_f64(a: usize, out: usize, rows: i32, cols: i32): void {
  const row = <usize>cols << 3
  let j = 0
  for (; j + 2 <= cols; j += 2) {
    let c = zero()
    let p = a + (<usize>j << 3)
    for (let r = 0; r < rows; r++) {
      c = v128.add<f64>(c, v128.load(p))
      p += row
    }
    v128.store(out + (<usize>j << 3), c)
  }
  for (; j < cols; j++) {
    let s: f64 = 0
    for (let r = 0; r < rows; r++) s += load<f64>(a + ((<usize>r * cols + j) << 3))
    store<f64>(out + (<usize>j << 3), s)
  }
}

// ---------------------------------------------------------------------------------------------
// Exports (bias = 0 means no bias).

export function mm_nt_f64(a: usize, b: usize, out: usize, m: i32, k: i32, n: i32, bias: usize): void {
  mmNT<f64>(a, b, out, m, k, n, bias)
}

export function mm_bc_f64(a: usize, sai: i32, sap: i32, b: usize, out: usize, m: i32, k: i32, n: i32, bias: usize): void {
  mmBC<f64>(a, sai, sap, b, out, m, k, n, bias)
}

/** The 4 × 4 block at s (rows srow bytes apart) transposed to o (rows drow bytes apart). */
// @ts-ignore: decorator
@inline
function transpose4x4F32(s: usize, srow: usize, o: usize, drow: usize): void {
  const a = v128.load(s)
  const b = v128.load(s + srow)
  const c = v128.load(s + 2 * srow)
  const d = v128.load(s + 3 * srow)
  const ab01 = v128.shuffle<f32>(a, b, 0, 4, 1, 5)
  const ab23 = v128.shuffle<f32>(a, b, 2, 6, 3, 7)
  const cd01 = v128.shuffle<f32>(c, d, 0, 4, 1, 5)
  const cd23 = v128.shuffle<f32>(c, d, 2, 6, 3, 7)
  v128.store(o, v128.shuffle<f32>(ab01, cd01, 0, 1, 4, 5))
  v128.store(o + drow, v128.shuffle<f32>(ab01, cd01, 2, 3, 6, 7))
  v128.store(o + 2 * drow, v128.shuffle<f32>(ab23, cd23, 0, 1, 4, 5))
  v128.store(o + 3 * drow, v128.shuffle<f32>(ab23, cd23, 2, 3, 6, 7))
}

/**
 * float32: 4 × 4 blocks transposed in registers (four loads, eight shuffles, four stores), the
 * edges element by element. x·W1ᵀ transposes W1 (100 000 floats) every step: 12 µs, ≈ 4 % of the
 * product.
 */
export function transpose_f32(src: usize, dst: usize, rows: i32, cols: i32): void {
  const r4 = rows & ~3
  const c4 = cols & ~3
  const srow = <usize>cols << 2
  const drow = <usize>rows << 2
  // Bands of 16 rows, four 4 × 4 blocks a step: each 64-byte line of dst is written whole while it
  // is in L1, and the loop's own work is shared by four blocks (W1 of the lesson: 22 → 12 µs).
  let i0 = 0
  for (; i0 + 16 <= r4; i0 += 16) {
    const s0 = src + <usize>i0 * srow
    const o0 = dst + (<usize>i0 << 2)
    for (let j = 0; j < c4; j += 4) {
      const s = s0 + (<usize>j << 2)
      const o = o0 + <usize>j * drow
      transpose4x4F32(s, srow, o, drow)
      transpose4x4F32(s + 4 * srow, srow, o + 16, drow)
      transpose4x4F32(s + 8 * srow, srow, o + 32, drow)
      transpose4x4F32(s + 12 * srow, srow, o + 48, drow)
    }
  }
  for (let i = i0; i < r4; i += 4) {
    for (let j = 0; j < c4; j += 4) transpose4x4F32(src + <usize>i * srow + (<usize>j << 2), srow, dst + <usize>j * drow + (<usize>i << 2), drow)
  }
  for (let i = 0; i < r4; i++) {
    for (let j = c4; j < cols; j++) store<f32>(dst + ((<usize>j * rows + i) << 2), load<f32>(src + ((<usize>i * cols + j) << 2)))
  }
  for (let i = r4; i < rows; i++) {
    for (let j = 0; j < cols; j++) store<f32>(dst + ((<usize>j * rows + i) << 2), load<f32>(src + ((<usize>i * cols + j) << 2)))
  }
}

export function transpose_f64(src: usize, dst: usize, rows: i32, cols: i32): void {
  transpose<f64>(src, dst, rows, cols)
}

// ---------------------------------------------------------------------------------------------
// Adam / AdamW: one update in place, element for element what src-main/engine/optim/adam.ts
// (`adamUpdate`) computes, and so what PyTorch's CPU kernel computes.
//
// float32: every operation is rounded to float32 as it is there; its fused multiply-adds (ATen's
// vec::fmadd) are emulated exactly: a·b is exact in double, a·b + c is rounded once to double and
// then to float32, and the rare double rounding on a float32 midpoint is corrected with the TwoSum
// error, exactly as `fma32` in src-main/engine/numeric/float32.ts does.

// flags
const MAXIMIZE = 1
const COUPLED = 2 // weight decay added to the gradient (Adam)
const DECOUPLED = 4 // weight decay applied to the parameter (AdamW)
const AMSGRAD = 8
const LERP_LOW = 16 // |1 − β1| < 0.5: lerp(m, g, w) = fma(w, g − m, m), else fma(w − 1, g − m, g)
const FUSED = 32 // relaxed madd is a true FMA here (relaxed_madd_is_fused): use it for fma32

/**
 * 1 if relaxed SIMD's f32x4 madd rounds once here (a fused multiply-add), else 0: with
 * a = 1 + 2^-23, b = 1 − 2^-23, c = −1 the exact a·b + c is −2^-46, but a·b rounded first gives 0.
 * The operands come from the caller so that nothing is folded at compile time.
 */
export function relaxed_madd_is_fused(a: f32, b: f32, c: f32): i32 {
  if (ASC_FEATURE_RELAXED_SIMD) {
    const r = v128.relaxed_madd<f32>(f32x4.splat(a), f32x4.splat(b), f32x4.splat(c))
    return f32x4.extract_lane(r, 0) == <f32>-1.4210854715202004e-14 && f32x4.extract_lane(r, 3) == <f32>-1.4210854715202004e-14 ? 1 : 0
  }
  return 0
}

/** fma32's correction on two lanes: s = a·b + c in double, r = float32(s), both in double. */
// @ts-ignore: decorator
@inline
function fixMidpoints(p: v128, c: v128, s: v128, r: v128): v128 {
  // s may sit exactly on the midpoint between r and its float32 neighbour o.
  const o = f64x2.sub(f64x2.add(s, s), r)
  const oIsF32 = f64x2.eq(f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(o)), o)
  const isMid = v128.and(oIsF32, f64x2.eq(f64x2.mul(f64x2.add(r, o), f64x2.splat(0.5)), s))
  const fix = v128.andnot(isMid, f64x2.eq(r, s))
  if (!v128.any_true(fix)) return r
  const bb = f64x2.sub(s, p)
  const err = f64x2.add(f64x2.sub(p, f64x2.sub(s, bb)), f64x2.sub(c, bb))
  let out = v128.bitselect(f64x2.max(r, o), r, v128.and(fix, f64x2.gt(err, f64x2.splat(0))))
  out = v128.bitselect(f64x2.min(r, o), out, v128.and(fix, f64x2.lt(err, f64x2.splat(0))))
  return out
}

/** Two lanes of fma32: a, b, c hold float32 values in double; returns float32 values in double. */
// @ts-ignore: decorator
@inline
function fma32x2(a: v128, b: v128, c: v128): v128 {
  const p = f64x2.mul(a, b)
  const s = f64x2.add(p, c)
  const r = f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(s))
  // Only a float32 midpoint can be rounded twice the wrong way. In the normal float32 range a
  // midpoint has bit 28 of the double's significand set and bits 0..27 clear; below 2^-126 the
  // spacing differs, so tiny sums take the general check too.
  const mid = i64x2.eq(v128.and(s, i64x2.splat(0x1fffffff)), i64x2.splat(0x10000000))
  const tiny = v128.and(f64x2.lt(f64x2.abs(s), f64x2.splat(1.1754943508222875e-38)), f64x2.ne(s, f64x2.splat(0)))
  if (!v128.any_true(v128.or(mid, tiny))) return r
  return fixMidpoints(p, c, s, r)
}

/**
 * Four lanes of fma32 (float32 vectors in and out). `fused` (a compile-time constant at each call)
 * means relaxed SIMD's madd was measured to be a true fused multiply-add here (see
 * relaxed_madd_is_fused): then one instruction computes it exactly.
 */
// @ts-ignore: decorator
@inline
function fma32x4(a: v128, b: v128, c: v128, fused: bool = false): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) {
    if (fused) return v128.relaxed_madd<f32>(a, b, c)
  }
  const lo = fma32x2(f64x2.promote_low_f32x4(a), f64x2.promote_low_f32x4(b), f64x2.promote_low_f32x4(c))
  const ah = v128.shuffle<f32>(a, a, 2, 3, 0, 1)
  const bh = v128.shuffle<f32>(b, b, 2, 3, 0, 1)
  const ch = v128.shuffle<f32>(c, c, 2, 3, 0, 1)
  const hi = fma32x2(f64x2.promote_low_f32x4(ah), f64x2.promote_low_f32x4(bh), f64x2.promote_low_f32x4(ch))
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5)
}

// @ts-ignore: decorator
@inline
function adamF32At(
  p: usize, g: usize, m: usize, v: usize, vmax: usize, flags: i32,
  wd: v128, decay: v128, beta2: v128, w: v128, wMinus1: v128, oneMinusBeta2: v128, bc2Sqrt: v128, eps: v128, negStepSize: v128,
  fused: bool
): void {
  let param = v128.load(p)
  let grad = v128.load(g)
  if (flags & MAXIMIZE) grad = f32x4.neg(grad)
  if (flags & COUPLED) grad = fma32x4(param, wd, grad, fused)
  else if (flags & DECOUPLED) param = f32x4.mul(param, decay)
  const mOld = v128.load(m)
  const diff = f32x4.sub(grad, mOld)
  const mNew = flags & LERP_LOW ? fma32x4(w, diff, mOld, fused) : fma32x4(wMinus1, diff, grad, fused)
  v128.store(m, mNew)
  let vNew = fma32x4(f32x4.mul(oneMinusBeta2, grad), grad, f32x4.mul(v128.load(v), beta2), fused)
  v128.store(v, vNew)
  if (flags & AMSGRAD) {
    vNew = f32x4.max(v128.load(vmax), vNew)
    v128.store(vmax, vNew)
  }
  const denom = f32x4.add(f32x4.div(f32x4.sqrt(vNew), bc2Sqrt), eps)
  v128.store(p, f32x4.add(param, f32x4.div(f32x4.mul(negStepSize, mNew), denom)))
}

/**
 * Pointers to param, grad, exp_avg, exp_avg_sq, max_exp_avg_sq (0 unless amsgrad) of `len` floats;
 * `scratch` is 80 bytes for the last partial vector. Scalars are float32 values, rounded by the caller.
 */
export function adam_f32(
  p: usize, g: usize, m: usize, v: usize, vmax: usize, len: i32, scratch: usize, flags: i32,
  wd: f32, decay: f32, beta2: f32, w: f32, oneMinusBeta2: f32, bc2Sqrt: f32, eps: f32, negStepSize: f32
): void {
  const vwd = f32x4.splat(wd), vdecay = f32x4.splat(decay), vbeta2 = f32x4.splat(beta2)
  const vw = f32x4.splat(w), vw1 = f32x4.splat(w - 1), v1b2 = f32x4.splat(oneMinusBeta2)
  const vbc2 = f32x4.splat(bc2Sqrt), veps = f32x4.splat(eps), vstep = f32x4.splat(negStepSize)
  const fused = (flags & FUSED) != 0
  let i = 0
  if (fused) {
    for (; i + 4 <= len; i += 4) {
      const q = <usize>i << 2
      adamF32At(p + q, g + q, m + q, v + q, vmax != 0 ? vmax + q : 0, flags, vwd, vdecay, vbeta2, vw, vw1, v1b2, vbc2, veps, vstep, true)
    }
  } else {
    for (; i + 4 <= len; i += 4) {
      const q = <usize>i << 2
      adamF32At(p + q, g + q, m + q, v + q, vmax != 0 ? vmax + q : 0, flags, vwd, vdecay, vbeta2, vw, vw1, v1b2, vbc2, veps, vstep, false)
    }
  }
  const rest = len - i
  if (rest > 0) {
    // The tail through the same vector code, padded with zeros in scratch.
    const q = <usize>i << 2
    const bytes = <usize>rest << 2
    memory.fill(scratch, 0, 80)
    memory.copy(scratch, p + q, bytes)
    memory.copy(scratch + 16, g + q, bytes)
    memory.copy(scratch + 32, m + q, bytes)
    memory.copy(scratch + 48, v + q, bytes)
    if (vmax != 0) memory.copy(scratch + 64, vmax + q, bytes)
    adamF32At(scratch, scratch + 16, scratch + 32, scratch + 48, vmax != 0 ? scratch + 64 : 0, flags, vwd, vdecay, vbeta2, vw, vw1, v1b2, vbc2, veps, vstep, false)
    memory.copy(p + q, scratch, bytes)
    memory.copy(m + q, scratch + 32, bytes)
    memory.copy(v + q, scratch + 48, bytes)
    if (vmax != 0) memory.copy(vmax + q, scratch + 64, bytes)
  }
}

/** float64: plain double arithmetic, no fused operations, in adam.ts's order. */
export function adam_f64(
  p: usize, g: usize, m: usize, v: usize, vmax: usize, len: i32, flags: i32,
  wd: f64, decay: f64, beta2: f64, w: f64, oneMinusBeta2: f64, bc2Sqrt: f64, eps: f64, negStepSize: f64
): void {
  const vwd = f64x2.splat(wd), vdecay = f64x2.splat(decay), vbeta2 = f64x2.splat(beta2)
  const vw = f64x2.splat(w), vw1 = f64x2.splat(w - 1), v1b2 = f64x2.splat(oneMinusBeta2)
  const vbc2 = f64x2.splat(bc2Sqrt), veps = f64x2.splat(eps), vstep = f64x2.splat(negStepSize)
  let i = 0
  for (; i + 2 <= len; i += 2) {
    const q = <usize>i << 3
    let param = v128.load(p + q)
    let grad = v128.load(g + q)
    if (flags & MAXIMIZE) grad = f64x2.neg(grad)
    if (flags & COUPLED) grad = f64x2.add(grad, f64x2.mul(vwd, param))
    else if (flags & DECOUPLED) param = f64x2.mul(param, vdecay)
    const mOld = v128.load(m + q)
    const diff = f64x2.sub(grad, mOld)
    const mNew = flags & LERP_LOW ? f64x2.add(mOld, f64x2.mul(vw, diff)) : f64x2.add(grad, f64x2.mul(vw1, diff))
    v128.store(m + q, mNew)
    let vNew = f64x2.add(f64x2.mul(v128.load(v + q), vbeta2), f64x2.mul(f64x2.mul(v1b2, grad), grad))
    v128.store(v + q, vNew)
    if (flags & AMSGRAD) {
      vNew = f64x2.max(v128.load(vmax + q), vNew)
      v128.store(vmax + q, vNew)
    }
    const denom = f64x2.add(f64x2.div(f64x2.sqrt(vNew), vbc2), veps)
    v128.store(p + q, f64x2.add(param, f64x2.div(f64x2.mul(vstep, mNew), denom)))
  }
  for (; i < len; i++) {
    const q = <usize>i << 3
    let param = load<f64>(p + q)
    let grad = load<f64>(g + q)
    if (flags & MAXIMIZE) grad = -grad
    if (flags & COUPLED) grad = grad + wd * param
    else if (flags & DECOUPLED) param = param * decay
    const mOld = load<f64>(m + q)
    const diff = grad - mOld
    const mNew = flags & LERP_LOW ? mOld + w * diff : grad + (w - 1) * diff
    store<f64>(m + q, mNew)
    let vNew = load<f64>(v + q) * beta2 + oneMinusBeta2 * grad * grad
    store<f64>(v + q, vNew)
    if (flags & AMSGRAD) {
      vNew = max(load<f64>(vmax + q), vNew)
      store<f64>(vmax + q, vNew)
    }
    const denom = Math.sqrt(vNew) / bc2Sqrt + eps
    store<f64>(p + q, param + (negStepSize * mNew) / denom)
  }
}

/** out[i] = fma32(a[i], b[i], c[i]) for len a multiple of 4 (exposes both ways to the tests). */
export function fma_f32(a: usize, b: usize, c: usize, out: usize, len: i32, fused: i32): void {
  for (let i = 0; i < len; i += 4) {
    const q = <usize>i << 2
    const x = v128.load(a + q), y = v128.load(b + q), z = v128.load(c + q)
    v128.store(out + q, fused ? fma32x4(x, y, z, true) : fma32x4(x, y, z, false))
  }
}
