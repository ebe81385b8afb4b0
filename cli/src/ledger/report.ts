import Table from 'cli-table3';
import { PLAIN } from '../table';
import { COMPARED_FIELDS, type Mismatch } from './compare';
import type { NodeResult, VerifyReport } from './verify';

const HEAD = ['NODE', 'KIND', 'HEIGHT', 'VALID TX', 'INVALID TX', 'RESULT'];

export function validCount(node: NodeResult): number {
  return node.transactions['VALID'] ?? 0;
}

export function invalidCount(node: NodeResult): number {
  return Object.entries(node.transactions)
    .filter(([code]) => code !== 'VALID')
    .reduce((sum, [, count]) => sum + count, 0);
}

function nodeVerdict(node: NodeResult, maxLag: number): string {
  if (node.firstBad !== null) {
    const more = node.badBlocks > 1 ? ` (+${String(node.badBlocks - 1)} more bad blocks)` : '';
    return `BAD at block ${node.firstBad.block}: ${node.firstBad.reasons.join('; ')}${more}`;
  }
  if (node.mismatchedBlocks.length > 0) {
    return `DIFFERS from the other nodes at block ${node.mismatchedBlocks.join(', ')}`;
  }
  if (node.behind > maxLag) {
    return `BEHIND by ${String(node.behind)} blocks`;
  }
  return node.behind > 0 ? `ok (${String(node.behind)} behind)` : 'ok';
}

function nodeTable(report: VerifyReport): string {
  const table = new Table({ ...PLAIN, head: HEAD });
  for (const node of report.nodes) {
    const peer = node.kind === 'peer';
    table.push([
      node.name,
      node.kind,
      String(node.height),
      peer ? String(validCount(node)) : '-',
      peer ? String(invalidCount(node)) : '-',
      nodeVerdict(node, report.maxLag),
    ]);
  }
  return table
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
}

export function describeMismatch(mismatch: Mismatch): string {
  const groups = mismatch.groups.map((g) => `${g.value.slice(0, 16)}… on ${g.nodes.join(', ')}`).join(' | ');
  return `block ${mismatch.block}: ${COMPARED_FIELDS[mismatch.field]} differs: ${groups}`;
}

function invalidCodes(report: VerifyReport): string {
  const codes = new Map<string, number>();
  for (const node of report.nodes.filter((n) => n.kind === 'peer')) {
    for (const [code, count] of Object.entries(node.transactions)) {
      if (code !== 'VALID') {
        codes.set(code, Math.max(codes.get(code) ?? 0, count));
      }
    }
  }
  return [...codes.entries()].map(([code, count]) => `${code} ${String(count)}`).join(', ');
}

/** What `--consents` found, per peer: the signed requests re-checked, and each one that failed. */
export function consentLines(report: VerifyReport): string[] {
  const lines: string[] = [];
  for (const node of report.nodes) {
    const { consents } = node;
    if (consents === undefined) {
      continue;
    }
    const verdict =
      consents.failures.length === 0 ? 'all verify' : `${String(consents.failures.length)} FAIL`;
    lines.push(
      `Consents on ${node.name}: ${String(consents.checked)} signed requests re-checked (${String(consents.registrations)} key registrations), ${verdict}`,
    );
    lines.push(
      ...consents.failures.map(
        (f) =>
          `  block ${f.block}, transaction ${String(f.transaction)} ${f.txId} ${f.action} ${f.userId}: ${f.reason}`,
      ),
    );
  }
  return lines;
}

export function formatReport(report: VerifyReport): string {
  const source = report.source === 'files' ? 'block files on disk' : 'Deliver over gRPC/TLS';
  const lines = [
    `Ledger ${report.channel}: ${String(report.nodes.length)} nodes, read from ${source}`,
    '',
    nodeTable(report),
    '',
  ];
  const codes = invalidCodes(report);
  if (codes !== '') {
    lines.push(`Invalid transactions by code (rejected by validation, kept in blocks): ${codes}`);
  }
  if (report.mismatchTotal === 0) {
    lines.push(
      `Cross-node: all ${String(report.blocksCompared)} block numbers agree on every node that has them`,
    );
  } else {
    lines.push(`Cross-node: ${String(report.mismatchTotal)} mismatches`);
    lines.push(...report.mismatches.map((m) => `  ${describeMismatch(m)}`));
  }
  lines.push(...consentLines(report));
  const seconds = (report.elapsedMs / 1000).toFixed(2);
  lines.push(
    `Checked ${String(report.blocksChecked)} blocks in ${seconds} s (${String(report.blocksPerSecond)} blocks/s)`,
    report.ok ? 'Result: OK' : 'Result: FAILED',
  );
  return lines.join('\n');
}
