// What must hold after any fault, whatever was injected (issue #20): every
// transaction a client saw committed is VALID in every peer's ledger, the
// nodes' chains verify and agree, units are conserved per asset and no escrow
// is negative or larger than its holding. Each check returns the problems it
// found as sentences (empty: it holds), so a test can assert on all of them
// at once and a report can list them.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { common, peer } from '@hyperledger/fabric-protos';
import { type CrowdLedgerClient, type Holding } from '../../client/src';
import { validationFlags } from '../../client/src/blocks/writes';
import { toProtoBlock } from '../../cli/src/ledger/block';
import { fileChain } from '../../cli/src/ledger/nodes';
import { networkLayout, repoDir } from './nodes';

const run = promisify(execFile);

/** An asset a test moved units of, and the listings it opened on it. */
export interface TrackedAsset {
  readonly assetId: string;
  /** Listings the test created; an OPEN one's remaining units are escrowed from its seller. */
  readonly listingIds?: readonly string[];
}

export interface InvariantInput {
  /** Transactions the client saw committed VALID. */
  readonly committedTxIds: Iterable<string>;
  /** Assets whose units must add up. */
  readonly assets: readonly TrackedAsset[];
  /** A client that may read every asset, holding and listing (the registry's auditor, or a platform). */
  readonly reader: CrowdLedgerClient;
}

/** The IDs of the VALID transactions in one peer's block files. */
export async function validTransactionIds(peerName: string): Promise<Set<string>> {
  const layout = await networkLayout();
  const node = layout.nodes.find((n) => n.name === peerName && n.role === 'peer');
  if (node === undefined) {
    throw new Error(`no peer named ${peerName}`);
  }
  const valid = new Set<string>();
  for await (const raw of fileChain(node, layout.channel).blocks()) {
    const block = toProtoBlock(raw);
    const flags = validationFlags(block);
    for (const [index, bytes] of (block.getData()?.getDataList_asU8() ?? []).entries()) {
      if (flags[index] === peer.TxValidationCode.VALID) {
        valid.add(transactionId(bytes));
      }
    }
  }
  return valid;
}

function transactionId(envelopeBytes: Uint8Array): string {
  const payload = common.Payload.deserializeBinary(
    common.Envelope.deserializeBinary(envelopeBytes).getPayload_asU8(),
  );
  return common.ChannelHeader.deserializeBinary(
    payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array(),
  ).getTxId();
}

/** Every committed transaction that some peer lacks (or holds as invalid), named with the peer. */
export async function missingCommits(txIds: Iterable<string>): Promise<string[]> {
  const wanted = [...txIds];
  const peers = (await networkLayout()).nodes.filter((n) => n.role === 'peer');
  const problems: string[] = [];
  for (const p of peers) {
    const valid = await validTransactionIds(p.name);
    const missing = wanted.filter((id) => !valid.has(id));
    if (missing.length > 0) {
      problems.push(
        `${p.name} lacks ${String(missing.length)} of ${String(wanted.length)} committed transactions, e.g. ${missing[0] ?? ''}`,
      );
    }
  }
  return problems;
}

async function holdingsOf(reader: CrowdLedgerClient, assetId: string): Promise<Holding[]> {
  const holdings: Holding[] = [];
  for await (const holding of reader.assets.allHolders(assetId)) {
    holdings.push(holding);
  }
  return holdings;
}

function escrowProblems(assetId: string, holdings: readonly Holding[]): string[] {
  return holdings.flatMap((h) =>
    h.escrowed < 0 || h.escrowed > h.units || !Number.isSafeInteger(h.escrowed)
      ? [`${assetId}: ${h.userId} has ${String(h.escrowed)} escrowed of ${String(h.units)} units`]
      : [],
  );
}

/** Per seller, the units their OPEN tracked listings still hold in escrow. */
async function openListingEscrow(
  reader: CrowdLedgerClient,
  listingIds: readonly string[],
): Promise<Map<string, number>> {
  const bySeller = new Map<string, number>();
  for (const id of listingIds) {
    const listing = await reader.listings.get(id);
    if (listing.status === 'OPEN') {
      bySeller.set(listing.sellerId, (bySeller.get(listing.sellerId) ?? 0) + listing.remaining);
    }
  }
  return bySeller;
}

/**
 * Units held add up to the asset's total; every escrow is a whole number from
 * 0 to the holding; a seller whose listings are all tracked has exactly
 * their open listings' remaining units in escrow (a seller may have other
 * listings a test did not open, so theirs may only be more).
 */
export async function unitProblems(reader: CrowdLedgerClient, tracked: TrackedAsset): Promise<string[]> {
  const asset = await reader.assets.get(tracked.assetId);
  const holdings = await holdingsOf(reader, tracked.assetId);
  const held = holdings.reduce((sum, h) => sum + h.units, 0);
  const problems = escrowProblems(tracked.assetId, holdings);
  if (held !== asset.totalUnits) {
    problems.push(
      `${tracked.assetId}: holdings add up to ${String(held)} units, the asset has ${String(asset.totalUnits)}`,
    );
  }
  const escrow = await openListingEscrow(reader, tracked.listingIds ?? []);
  for (const [seller, open] of escrow) {
    const escrowed = holdings.find((h) => h.userId === seller)?.escrowed ?? 0;
    if (escrowed < open) {
      problems.push(
        `${tracked.assetId}: ${seller} has ${String(escrowed)} escrowed, open listings hold ${String(open)}`,
      );
    }
  }
  return problems;
}

interface VerifyJson {
  readonly ok: boolean;
  readonly nodes: readonly { readonly name: string; readonly ok: boolean; readonly height: number }[];
  readonly mismatchTotal: number;
}

/**
 * `crowdledger ledger verify` over every peer and orderer: each chain's hashes
 * and signatures, every node at the same height with the same blocks.
 */
export async function ledgerVerifyProblems(): Promise<string[]> {
  let stdout: string;
  try {
    ({ stdout } = await run(
      process.execPath,
      [join(repoDir, 'cli', 'dist', 'main.js'), 'ledger', 'verify', '--json'],
      {
        env: process.env,
        maxBuffer: 64 * 1024 * 1024,
      },
    ));
  } catch (error) {
    stdout = (error as { stdout?: string }).stdout ?? '';
    if (stdout === '') {
      return [`ledger verify failed: ${String(error)}`];
    }
  }
  const report = JSON.parse(stdout) as VerifyJson;
  if (report.ok) {
    return [];
  }
  const bad = report.nodes.filter((n) => !n.ok).map((n) => `${n.name} (height ${String(n.height)})`);
  return [
    `ledger verify failed: ${String(report.mismatchTotal)} cross-node mismatches; failing nodes: ${bad.join(', ') || 'none'}`,
  ];
}

/** Every invariant at once; empty when all hold. */
export async function invariantProblems(input: InvariantInput): Promise<string[]> {
  const problems = await missingCommits(input.committedTxIds);
  for (const asset of input.assets) {
    problems.push(...(await unitProblems(input.reader, asset)));
  }
  problems.push(...(await ledgerVerifyProblems()));
  return problems;
}
