import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Profile } from '@crowdledger/client';
import { CliError } from '../errors';
import { parseLayout } from '../status/layout';
import { makeChain, makePki } from '../testing/ledger-chain';
import { sampleLayout } from '../testing/sample-layout';
import { blockFileRecord } from './blockfile';
import { blockFileDir, fileChain, ledgerNodes, nodeChains, readerIdentityName } from './nodes';

const home = mkdtempSync(join(tmpdir(), 'crowdledger-ledger-nodes-'));
const layout = parseLayout(sampleLayout(home), home);

afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});

describe('ledgerNodes', () => {
  it('takes every peer and orderer, no CA or chaincode service', () => {
    expect(ledgerNodes(layout).map((n) => n.name)).toEqual([
      'orderer0.registry',
      'peer0.registry',
      'peer0.platform1',
    ]);
  });

  it('takes the named ones only', () => {
    expect(ledgerNodes(layout, ['peer0.platform1']).map((n) => n.name)).toEqual(['peer0.platform1']);
  });

  it('refuses a name that is no peer or orderer', () => {
    expect(() => ledgerNodes(layout, ['ca.registry'])).toThrow(CliError);
  });
});

describe('blockFileDir', () => {
  it('follows where peers and orderers keep the chain', () => {
    const [orderer, peer] = ledgerNodes(layout);
    expect(orderer && blockFileDir(orderer, 'crowdledger')).toBe(
      `${home}/nodes/orderer0.registry/data/ledger/chains/crowdledger`,
    );
    expect(peer && blockFileDir(peer, 'crowdledger')).toBe(
      `${home}/nodes/peer0.registry/data/ledgersData/chains/chains/crowdledger`,
    );
  });
});

describe('readerIdentityName', () => {
  const profile = (names: string[]): Profile => ({
    org: 'x',
    mspId: 'XMSP',
    channel: 'c',
    chaincode: 'c',
    peers: [],
    identities: Object.fromEntries(names.map((n) => [n, { cert: 'c', key: 'k' }])),
  });

  it('prefers the auditor, a read-only identity, where the org has one', () => {
    expect(readerIdentityName(profile(['admin', 'app', 'auditor']))).toBe('auditor');
    expect(readerIdentityName(profile(['admin', 'app']))).toBe('app');
  });

  it("takes a hand-written profile's first identity when it has neither", () => {
    expect(readerIdentityName(profile(['registry', 'compliance']))).toBe('registry');
  });
});

describe('fileChain', () => {
  it("streams a node's block files", async () => {
    const pki = await makePki();
    const [, peer] = ledgerNodes(layout);
    if (peer === undefined) {
      throw new Error('sample layout has a peer');
    }
    const dir = blockFileDir(peer, 'crowdledger');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'blockfile_000000'), Buffer.concat(makeChain(pki, 2).map(blockFileRecord)));
    const numbers: bigint[] = [];
    for await (const block of fileChain(peer, 'crowdledger').blocks()) {
      numbers.push(block.number);
    }
    expect(numbers).toEqual([0n, 1n, 2n]);
  });

  it('fails clearly for a node with no block files', async () => {
    const chains = nodeChains(layout, 'files', ['peer0.platform1']);
    const iterator = chains[0]?.blocks()[Symbol.asyncIterator]();
    await expect(iterator?.next()).rejects.toThrow(/^no block files readable in .*peer0\.platform1/);
  });
});
