import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { blockFileDir, ledgerNodes, nodeChains } from '@crowdledger/cli/dist/ledger/nodes.js';
import { verifyChains } from '@crowdledger/cli/dist/ledger/verify.js';
import { readLayout } from '@crowdledger/cli/dist/status/layout.js';
import { countBy, ratio } from '../stats';
import type { World } from '../world';
import type { MeasuredWorkload } from './workload';

/** Every block file of every peer and orderer: the bytes `ledger verify --from-files` reads. */
async function blockFiles(home: string): Promise<string[]> {
  const layout = await readLayout(home);
  const files: string[] = [];
  for (const node of ledgerNodes(layout)) {
    const dir = blockFileDir(node, layout.channel);
    const names = (await readdir(dir)).filter((name) => /^blockfile_\d+$/.test(name)).sort();
    files.push(...names.map((name) => join(dir, name)));
  }
  return files;
}

/** SHA-256 of each file with node:crypto, streamed as the verifier streams; bytes read and seconds taken. */
async function sha256All(files: readonly string[]): Promise<{ bytes: number; seconds: number }> {
  const started = performance.now();
  let bytes = 0;
  for (const file of files) {
    const hash = createHash('sha256');
    const source = createReadStream(file, { highWaterMark: 1 << 20 });
    source.on('data', (chunk) => {
      bytes += chunk.length;
    });
    await pipeline(source, hash);
    hash.digest();
  }
  return { bytes, seconds: (performance.now() - started) / 1000 };
}

/** R10: `ledger verify --from-files` in this process, next to plain SHA-256 over the same bytes. */
export const ledgerVerify: MeasuredWorkload = {
  kind: 'measured',
  name: 'ledger-verify',
  ownBaseline: true,
  what: '`ledger verify --from-files` (every block of every peer and orderer), against node:crypto SHA-256 of the same files',
  async measure(world) {
    const files = await blockFiles(world.home);
    await sha256All(files); // the page cache holds the files for both timed reads
    const layout = await readLayout(world.home);
    const started = performance.now();
    const report = await verifyChains(nodeChains(layout, 'files'), {
      channel: layout.channel,
      source: 'files',
      maxLag: 1_000_000,
      progressEvery: 0,
      onProgress: () => undefined,
    });
    const seconds = (performance.now() - started) / 1000;
    const sha = await sha256All(files);
    const mib = sha.bytes / 2 ** 20;
    return {
      inFlight: 1,
      tps: report.blocksChecked / seconds,
      latenciesMs: [seconds * 1000],
      failures: report.ok ? {} : { INTEGRITY_FAILED: 1 },
      attemptsPerSuccess: 1,
      baseline: { name: 'node:crypto SHA-256 of the same files', ratio: ratio(sha.seconds, seconds) },
      seconds,
      extra: {
        blocks: report.blocksChecked,
        nodes: report.nodes.length,
        mib: Math.round(mib * 10) / 10,
        verifyMiBPerSecond: Math.round((mib / seconds) * 10) / 10,
        sha256MiBPerSecond: Math.round((mib / sha.seconds) * 10) / 10,
        sha256Seconds: Math.round(sha.seconds * 1000) / 1000,
      },
    };
  },
};

/** R3: `certificates issue-due` for a new asset's holders, through Fabric CA. */
export const certificateIssuance: MeasuredWorkload = {
  kind: 'measured',
  name: 'certificate-issuance',
  what: 'certificates.issueDue (`certificates issue-due`): a new asset of N holders, each registered and enrolled at the asset CA and recorded',
  async measure(world: World) {
    const count = world.config.certificates;
    const startBlock = await world.platform1.chainHeight();
    const holders = await world.users(world.platform1, 'issuance', count);
    await world.asset(
      holders.map((userId) => ({ userId, units: 10 })),
      'issuance',
    );
    const dir = await mkdtemp(join(tmpdir(), 'crowdledger-bench-'));
    const gaps: number[] = [];
    const started = performance.now();
    let last = started;
    try {
      const report = await world.platform1.certificates.issueDue({
        checkpoint: join(dir, 'checkpoint'),
        startBlock,
        idleMs: 1_000,
        onIssued: () => {
          const now = performance.now();
          gaps.push(now - last);
          last = now;
        },
      });
      const seconds = (last - started) / 1000;
      const tps = report.issued.length / seconds;
      return {
        inFlight: 1,
        tps,
        latenciesMs: gaps,
        failures: countBy(report.failed.map((f) => f.error.code)),
        attemptsPerSuccess: 1,
        seconds,
        extra: { issued: report.issued.length, perMinute: Math.round(tps * 60) },
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
