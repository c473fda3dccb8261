/**
 * cos(x), correctly rounded: the double nearest the true cosine.
 *
 * Why: PyTorch's cosine schedules (CosineAnnealingLR, OneCycleLR) call Python's `math.cos`, i.e.
 * glibc's, which returns the correctly rounded result in all but astronomically rare cases. V8's
 * `Math.cos` (fdlibm) is off by one ulp for about 3% of arguments, and OneCycleLR's
 * `end + (start − end)/2 · (cos(πp) + 1)` cancels near cos = −1, turning that ulp into a 1e-14
 * relative lr difference. Evaluating in double-double (about 106 bits) and rounding once gives
 * glibc's double.
 *
 * Method: x = k·π/2 + r with π/2 split into three doubles (exact products, so r is accurate to far
 * below an ulp for |x| < 2^40), then the Taylor series of cos r or sin r (|r| ≤ π/4) in
 * double-double, by Horner.
 */

type DD = [number, number]

const SPLITTER = 134217729 // 2^27 + 1 (Dekker's split)

function twoSum(a: number, b: number): DD {
  const s = a + b
  const bb = s - a
  return [s, a - (s - bb) + (b - bb)]
}

function twoProd(a: number, b: number): DD {
  const p = a * b
  let t = SPLITTER * a
  const ah = t - (t - a)
  const al = a - ah
  t = SPLITTER * b
  const bh = t - (t - b)
  const bl = b - bh
  return [p, ah * bh - p + ah * bl + al * bh + al * bl]
}

function add(a: DD, b: DD): DD {
  const [s, e] = twoSum(a[0], b[0])
  return twoSum(s, e + a[1] + b[1])
}

function mul(a: DD, b: DD): DD {
  const [p, e] = twoProd(a[0], b[0])
  return twoSum(p, e + a[0] * b[1] + a[1] * b[0])
}

function divNumber(a: DD, n: number): DD {
  const q1 = a[0] / n
  const [p, e] = twoProd(q1, n)
  const q2 = (a[0] - p - e + a[1]) / n
  return twoSum(q1, q2)
}

// π/2 = PIO2[0] + PIO2[1] + PIO2[2] (+ < 2^-160)
const PIO2 = [1.5707963267948966, 6.123233995736766e-17, -1.4973849048591698e-33]
const TERMS = 15
/** 1/(2n)! and 1/(2n+1)!, n = 0 … TERMS−1, as double-doubles. */
const COS_COEFFICIENTS: DD[] = []
const SIN_COEFFICIENTS: DD[] = []
{
  let inverseFactorial: DD = [1, 0]
  for (let m = 0; m < 2 * TERMS; m++) {
    if (m > 0) inverseFactorial = divNumber(inverseFactorial, m)
    const signed: DD = (m >> 1) % 2 === 0 ? inverseFactorial : [-inverseFactorial[0], -inverseFactorial[1]]
    ;(m % 2 === 0 ? COS_COEFFICIENTS : SIN_COEFFICIENTS).push(signed)
  }
}

function series(coefficients: DD[], r2: DD): DD {
  let s = coefficients[coefficients.length - 1]
  for (let i = coefficients.length - 2; i >= 0; i--) s = add(mul(s, r2), coefficients[i])
  return s
}

/** The double nearest cos(x). Beyond |x| = 2^40 it falls back to Math.cos. */
export function cos(x: number): number {
  if (!Number.isFinite(x) || Math.abs(x) > 2 ** 40) return Math.cos(x)
  const k = Math.round(x / PIO2[0])
  // r = x − k·π/2, each product exact
  let r: DD = [x, 0]
  for (const part of PIO2) {
    const [p, e] = twoProd(k, part)
    r = add(r, [-p, -e])
  }
  const r2 = mul(r, r)
  const quadrant = ((k % 4) + 4) % 4
  let value: DD
  if (quadrant % 2 === 0) value = series(COS_COEFFICIENTS, r2)
  else value = mul(series(SIN_COEFFICIENTS, r2), r)
  const sign = quadrant === 1 || quadrant === 2 ? -1 : 1
  return sign * (value[0] + value[1])
}
