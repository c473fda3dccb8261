/**
 * The data and loss lines of the generated PyTorch script (pytorch-script.ts) for a configuration's
 * `data` and `loss`: the lesson's randn draws, a synthetic 2-D set written out as the same
 * definition the engine uses (engine/data/synthetic.ts; scripts/torch/gen_classification.py replays
 * it against real torch), or the imported CSV values inline; MSELoss or CrossEntropyLoss.
 */
import { CIRCLES_FACTOR, type LabConfig } from './config'

/** Python's repr of a number as a float literal (enough digits to round-trip). */
const float = (x: number): string => (Number.isInteger(x) ? `${x}.0` : String(x))

function rows(values: readonly number[], width: number, literal: (x: number) => string): string {
  const out: string[] = []
  for (let i = 0; i < values.length; i += width) out.push(`[${values.slice(i, i + width).map(literal).join(', ')}]`)
  return out.join(',\n     ')
}

export function dataLines(config: LabConfig): string[] {
  const data = config.data
  if (!data || data.kind === 'randn') return ['x = torch.randn(N, D_in)', 'y = torch.randn(N, D_out)']
  if (data.kind === 'csv') {
    const yRows = data.task === 'classification' ? `[${data.y.join(', ')}]` : `[${rows(data.y, config.dOut, float)}]`
    return [
      `# ${data.name}: ${data.task === 'classification' ? 'features, then class indices' : 'features, then targets'} (as imported into Optim Lab)`,
      `x = torch.tensor([${rows(data.x, config.dIn, float)}], dtype=torch.float32)`,
      `y = torch.tensor(${yRows}${data.task === 'classification' ? '' : ', dtype=torch.float32'})`
    ]
  }
  const noise = `${float(data.noise)}`
  const header = [
    'import math',
    '',
    `# Optim Lab's ${data.kind} (scikit-learn's shape, torch's random numbers, no shuffling): bases and trig`,
    '# in double, cast to float32; noise from torch.randn right after manual_seed, as the app draws it.'
  ]
  const addNoise = [
    'x = torch.tensor(rows, dtype=torch.float32)',
    ...(data.noise > 0 ? [`x = x + torch.randn(N, 2) * ${noise}`] : []),
    'y = torch.tensor([0] * m_out + [1] * m_in)'
  ]
  switch (data.kind) {
    case 'moons':
      return [
        ...header,
        'm_out, m_in = N // 2, N - N // 2',
        'angle = lambda i, m: math.pi * i / (m - 1) if m > 1 else 0.0',
        'rows = [[math.cos(angle(i, m_out)), math.sin(angle(i, m_out))] for i in range(m_out)]',
        'rows += [[1 - math.cos(angle(i, m_in)), 1 - math.sin(angle(i, m_in)) - 0.5] for i in range(m_in)]',
        ...addNoise
      ]
    case 'circles':
      return [
        ...header,
        'm_out, m_in = N // 2, N - N // 2',
        `factor = ${float(CIRCLES_FACTOR)}`,
        'rows = [[math.cos(2 * math.pi * i / m_out), math.sin(2 * math.pi * i / m_out)] for i in range(m_out)]',
        'rows += [[factor * math.cos(2 * math.pi * i / m_in), factor * math.sin(2 * math.pi * i / m_in)] for i in range(m_in)]',
        ...addNoise
      ]
    case 'spiral':
      return [
        ...header,
        `classes = ${data.classes}`,
        'z = torch.randn(N).tolist()',
        'rows, labels = [], []',
        'for k in range(classes):',
        '    m = N // classes + (1 if k < N % classes else 0)',
        '    for i in range(m):',
        '        r = i / (m - 1) if m > 1 else 0.0',
        `        t = 4 * k + 4 * r + ${noise} * z[len(rows)]`,
        '        rows.append([r * math.sin(t), r * math.cos(t)])',
        '        labels.append(k)',
        'x = torch.tensor(rows, dtype=torch.float32)',
        'y = torch.tensor(labels)'
      ]
  }
}

export function lossLine(config: LabConfig): string {
  const loss = config.loss === 'cross_entropy' ? 'CrossEntropyLoss' : 'MSELoss'
  return `loss_fn = torch.nn.${loss}(reduction="${config.reduction}")`
}
