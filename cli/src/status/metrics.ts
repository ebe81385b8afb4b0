/**
 * Reads `ledger_blockchain_height{channel="<channel>"} N` from a Prometheus
 * text exposition. Labels may come in any order and other labels may be
 * present; the value must be a non-negative integer.
 */
export function parseBlockHeight(metrics: string, channel: string): number | null {
  for (const line of metrics.split('\n')) {
    const sample = parseSample(line.trim());
    if (sample?.name === 'ledger_blockchain_height' && sample.labels.get('channel') === channel) {
      return Number.isSafeInteger(sample.value) && sample.value >= 0 ? sample.value : null;
    }
  }
  return null;
}

interface Sample {
  readonly name: string;
  readonly labels: ReadonlyMap<string, string>;
  readonly value: number;
}

const SAMPLE = /^([A-Za-z_:][A-Za-z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/;
const LABEL = /([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

function parseSample(line: string): Sample | undefined {
  if (line.length === 0 || line.startsWith('#')) {
    return undefined;
  }
  const match = SAMPLE.exec(line);
  if (match?.[1] === undefined || match[3] === undefined) {
    return undefined;
  }
  return { name: match[1], labels: parseLabels(match[2] ?? ''), value: Number(match[3]) };
}

function parseLabels(text: string): Map<string, string> {
  const labels = new Map<string, string>();
  for (const [, key, value] of text.matchAll(LABEL)) {
    if (key !== undefined && value !== undefined) {
      labels.set(key, value.replace(/\\(.)/g, '$1'));
    }
  }
  return labels;
}
