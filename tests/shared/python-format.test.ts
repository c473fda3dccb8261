import { describe, expect, it } from 'vitest'
import { formatPythonFloat } from '../../src-main/shared/python-format'

// Expected strings are what CPython 3 prints for repr(float(x)).
describe('formatPythonFloat matches Python repr', () => {
  it.each([
    [0, '0.0'],
    [-0, '-0.0'],
    [1, '1.0'],
    [500, '500.0'],
    [-2.5, '-2.5'],
    [0.1, '0.1'],
    [0.0001, '0.0001'],
    [0.00012345, '0.00012345'],
    [1e-5, '1e-05'],
    [9.681373194325715e-5, '9.681373194325715e-05'],
    [1.5e-10, '1.5e-10'],
    [1e-300, '1e-300'],
    [123456789012345.6, '123456789012345.6'],
    [1e15, '1000000000000000.0'],
    [9999999999999998, '9999999999999998.0'],
    [1e16, '1e+16'],
    [1.5e16, '1.5e+16'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [5e-324, '5e-324'],
    [Math.fround(649.6788940429688), '649.6788940429688'],
    [NaN, 'nan'],
    [Infinity, 'inf'],
    [-Infinity, '-inf']
  ])('%s -> %s', (value, expected) => {
    expect(formatPythonFloat(value)).toBe(expected)
  })

  it('round-trips through parseFloat', () => {
    for (let i = 0; i < 2000; i++) {
      const x = Math.fround((Math.random() - 0.5) * 10 ** (Math.random() * 40 - 20))
      expect(Number.parseFloat(formatPythonFloat(x))).toBe(x)
    }
  })
})
