/**
 * Okabe–Ito, the colour-blind-safe palette (Okabe & Ito 2008), ordered so neighbouring runs differ
 * most and every colour stays visible on light and dark backgrounds (black is left out).
 */
export const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442'] as const

export function runColour(index: number): string {
  return OKABE_ITO[(index - 1) % OKABE_ITO.length]
}
