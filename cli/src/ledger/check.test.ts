import { common } from '@hyperledger/fabric-protos';
import {
  configEnvelope,
  flipDataByte,
  makeBlock,
  makeChain,
  makePki,
  nth,
  signatures,
  type TestPki,
  transactionEnvelope,
} from '../testing/ledger-chain';
import { blockDataHash, type RawBlock } from './block';
import { type BlockOutcome, ChainChecker, validationCodeName } from './check';
import { hasOu } from './signatures';

function checkAll(checker: ChainChecker, chain: readonly RawBlock[]): BlockOutcome[] {
  return chain.map((block) => checker.check(block));
}

function problemsByBlock(outcomes: readonly BlockOutcome[]): Record<string, readonly string[]> {
  return Object.fromEntries(
    outcomes.filter((o) => o.problems.length > 0).map((o) => [o.number.toString(), o.problems]),
  );
}

/** Rewrites a block's data and re-signs nothing: what an attacker without the orderer key can do. */
function withMetadata(block: RawBlock, index: number, value: Uint8Array): RawBlock {
  const metadata = [...block.metadata];
  metadata[index] = value;
  return { ...block, metadata };
}

describe('ChainChecker', () => {
  let pki: TestPki;
  let chain: RawBlock[];

  beforeAll(async () => {
    pki = await makePki();
    chain = makeChain(pki, 4);
  });

  it('passes a well-formed chain and counts its transactions', () => {
    const checker = new ChainChecker('peer');
    const outcomes = checkAll(checker, chain);
    expect(problemsByBlock(outcomes)).toEqual({});
    expect(checker.height).toBe(5n);
    expect(checker.firstBad).toBeUndefined();
    expect(checker.transactionCounts()).toEqual({ VALID: 5 });
    expect(outcomes[4]?.headerHash).toBe(checker.lastHeaderHash);
  });

  it('names only the block whose data changed: data hash mismatch', () => {
    const tampered = [...chain];
    tampered[2] = flipDataByte(nth(chain, 2));
    const checker = new ChainChecker('peer');
    const problems = problemsByBlock(checkAll(checker, tampered));
    expect(Object.keys(problems)).toEqual(['2']);
    expect(problems['2']).toEqual([
      expect.stringMatching(/^data hash mismatch: header has [0-9a-f]{64}, data hashes to [0-9a-f]{64}$/),
    ]);
    expect(checker.firstBad).toEqual({ block: '2', reasons: problems['2'] });
    expect(checker.badBlocks).toBe(1);
  });

  it('catches a header rewritten to match changed data: the signature and the next link break', () => {
    const changed = flipDataByte(nth(chain, 2));
    const tampered = [...chain];
    tampered[2] = { ...changed, dataHash: blockDataHash(changed.data) };
    const problems = problemsByBlock(checkAll(new ChainChecker('orderer'), tampered));
    expect(Object.keys(problems)).toEqual(['2', '3']);
    expect(problems['2']).toEqual([
      expect.stringMatching(/^orderer signature 0: signature by .* does not verify$/),
    ]);
    expect(problems['3']).toEqual([
      expect.stringMatching(/^previous hash mismatch: header has [0-9a-f]{64}, block 2 as stored/),
    ]);
  });

  it('refuses a block signed by an orderer certificate from an unknown CA', () => {
    const tampered = [...chain];
    const rogue = makeBlock(pki, chain[1], nth(chain, 2).data, { signer: pki.rogue });
    tampered[2] = rogue;
    const problems = problemsByBlock(checkAll(new ChainChecker('peer'), tampered));
    expect(problems['2']).toEqual([expect.stringContaining('was not issued by a RegistryMSP root CA')]);
  });

  it('refuses a block signed by a client of the orderer org', () => {
    const tampered = [...chain];
    tampered[2] = makeBlock(pki, chain[1], nth(chain, 2).data, { signer: pki.client });
    const problems = problemsByBlock(checkAll(new ChainChecker('peer'), tampered));
    expect(problems['2']).toEqual([
      expect.stringContaining('is not an orderer of RegistryMSP (no OU=orderer)'),
    ]);
  });

  it('refuses a signer claiming an MSP that is not an orderer org', () => {
    const tampered = [...chain];
    const block = nth(chain, 2);
    tampered[2] = withMetadata(block, 0, signatures(block, { ...pki.orderer, mspId: 'Platform1MSP' }));
    const problems = problemsByBlock(checkAll(new ChainChecker('peer'), tampered));
    expect(problems['2']).toEqual([
      expect.stringContaining('MSP Platform1MSP is not an orderer organisation'),
    ]);
  });

  it('refuses a block without orderer signatures', () => {
    const tampered = [...chain];
    tampered[1] = withMetadata(nth(chain, 1), 0, new Uint8Array());
    const problems = problemsByBlock(checkAll(new ChainChecker('peer'), tampered));
    expect(problems['1']).toEqual(['no orderer signature metadata']);
  });

  it('notices a missing block: numbering and the hash link', () => {
    const gap = [chain[0], chain[1], chain[3], chain[4]] as RawBlock[];
    const problems = problemsByBlock(checkAll(new ChainChecker('peer'), gap));
    expect(problems['2']).toEqual([
      'block number 3 where 2 was expected',
      expect.stringMatching(/^previous hash mismatch/),
    ]);
  });

  it('needs a genesis block holding the channel config', () => {
    const first = makeBlock(pki, undefined, [transactionEnvelope('not config')]);
    const problems = problemsByBlock(checkAll(new ChainChecker('peer'), [first]));
    expect(problems['0']).toEqual(['the first block holds no channel config']);
  });

  it('takes the orderer orgs from a later config block once it verifies', async () => {
    const next = await makePki();
    // Block 1 is a config block naming a new orderer CA; block 2 is signed under it.
    const config = makeBlock(pki, chain[0], [configEnvelope(next)]);
    const after = makeBlock(next, config, [transactionEnvelope('after')]);
    const before = makeBlock(pki, config, [transactionEnvelope('old signer')]);
    expect(problemsByBlock(checkAll(new ChainChecker('peer'), [nth(chain, 0), config, after]))).toEqual({});
    const old = problemsByBlock(checkAll(new ChainChecker('peer'), [nth(chain, 0), config, before]));
    expect(old['2']).toEqual([expect.stringContaining('was not issued by a RegistryMSP root CA')]);
  });

  describe('validation flags', () => {
    it('counts transactions per code', () => {
      const pkiChain = [
        nth(chain, 0),
        makeBlock(
          pki,
          chain[0],
          [transactionEnvelope('a'), transactionEnvelope('b'), transactionEnvelope('c')],
          {
            flags: [0, 11, 10],
          },
        ),
      ];
      const checker = new ChainChecker('peer');
      expect(problemsByBlock(checkAll(checker, pkiChain))).toEqual({});
      expect(checker.transactionCounts()).toEqual({
        VALID: 2,
        ENDORSEMENT_POLICY_FAILURE: 1,
        MVCC_READ_CONFLICT: 1,
      });
    });

    it('must cover every transaction', () => {
      const block = makeBlock(pki, chain[0], [transactionEnvelope('a'), transactionEnvelope('b')], {
        flags: [0],
      });
      const problems = problemsByBlock(checkAll(new ChainChecker('peer'), [nth(chain, 0), block]));
      expect(problems['1']).toEqual(['validation flags for 1 transactions, block has 2']);
    });

    it('are required on a peer but not on an orderer', () => {
      const bare = makeChain(pki, 2, { flags: null });
      expect(problemsByBlock(checkAll(new ChainChecker('orderer'), bare))).toEqual({});
      expect(problemsByBlock(checkAll(new ChainChecker('peer'), bare))['1']).toEqual([
        'no transaction validation flags',
      ]);
      const outcome = new ChainChecker('orderer').check(nth(bare, 0));
      expect(outcome.validationFlags).toBeUndefined();
    });

    it('names codes as Fabric does', () => {
      expect(validationCodeName(common.BlockMetadataIndex.TRANSACTIONS_FILTER)).toBe('BAD_PAYLOAD');
      expect(validationCodeName(254)).toBe('NOT_VALIDATED');
      expect(validationCodeName(77)).toBe('CODE_77');
    });
  });

  it('records a failure outside any block against the next block number', () => {
    const checker = new ChainChecker('peer');
    checker.check(nth(chain, 0));
    checker.fail('block file cut short');
    expect(checker.firstBad).toEqual({ block: '1', reasons: ['block file cut short'] });
  });
});

describe('hasOu', () => {
  it.each([
    ['C=CN\nO=registry\nOU=orderer + OU=registry\nCN=orderer0.registry', true],
    ['C=CN\nOU=orderer\nCN=o', true],
    ['C=CN\nOU=client + OU=orderer-like\nCN=o', false],
    ['C=CN\nCN=orderer', false],
  ])('%j has OU=orderer: %s', (subject, expected) => {
    expect(hasOu({ subject }, 'orderer')).toBe(expected);
  });
});
