/**
 * Python's `repr(float)`: the shortest digits that round-trip the double, in fixed notation when
 * the decimal exponent is in [-4, 16), otherwise scientific with a signed two-digit exponent
 * (`9.681373194325715e-05`, `1e+16`), and `.0` on integral values. The `lab` command and the
 * console print losses this way so they diff cleanly against PyTorch's `print(t, loss.item())`.
 */
export function formatPythonFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan'
  if (x === Infinity) return 'inf'
  if (x === -Infinity) return '-inf'
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0'

  const sign = x < 0 ? '-' : ''
  // toExponential() without an argument yields the shortest round-trip digits.
  const [mantissa, exponentText] = Math.abs(x).toExponential().split('e')
  const digits = mantissa.replace('.', '')
  const exponent = Number(exponentText)

  if (exponent < -4 || exponent >= 16) {
    const body = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits
    const expSign = exponent < 0 ? '-' : '+'
    return `${sign}${body}e${expSign}${String(Math.abs(exponent)).padStart(2, '0')}`
  }
  const pointAt = exponent + 1 // digits before the decimal point
  if (pointAt <= 0) return `${sign}0.${'0'.repeat(-pointAt)}${digits}`
  if (pointAt >= digits.length) return `${sign}${digits}${'0'.repeat(pointAt - digits.length)}.0`
  return `${sign}${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`
}
