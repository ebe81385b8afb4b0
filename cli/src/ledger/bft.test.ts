import {
  bftConfigEnvelope,
  bftConsenters,
  honest,
  makeBftBlock,
  makeBftChain,
  type TestConsenter,
} from '../testing/bft-chain';
import {
  configEnvelope,
  flipDataByte,
  makePki,
  nth,
  type TestPki,
  transactionEnvelope,
} from '../testing/ledger-chain';
import { blockDataHash, type RawBlock } from './block';
import { ChainChecker } from './check';
import { bftQuorum, ordererTrustFrom } from './config';

/** Problems per block number, blocks without problems left out. */
function problemsOf(
  chain: readonly RawBlock[],
  kind: 'peer' | 'orderer' = 'peer',
): Record<string, readonly string[]> {
  const checker = new ChainChecker(kind);
  return Object.fromEntries(
    chain
      .map((block) => checker.check(block))
      .filter((o) => o.problems.length > 0)
      .map((o) => [o.number.toString(), o.problems]),
  );
}

describe('BFT (SmartBFT) blocks', () => {
  let pki: TestPki;
  let consenters: TestConsenter[];
  let chain: RawBlock[];

  beforeAll(async () => {
    pki = await makePki();
    consenters = bftConsenters(pki);
    chain = makeBftChain(pki, 3);
  });

  /** Block 1 replaced by one with the same data, signed by `signers`. */
  function withBlockOne(signers: Parameters<typeof makeBftBlock>[2]): RawBlock[] {
    return [nth(chain, 0), makeBftBlock(chain[0], nth(chain, 1).data, signers)];
  }

  it('reads the consenter mapping and the quorum from the config block', () => {
    const trust = ordererTrustFrom(nth(chain, 0));
    expect(trust.bft?.quorum).toBe(3);
    expect([...(trust.bft?.consenters.keys() ?? [])]).toEqual([1, 2, 3, 4]);
    expect(trust.bft?.consenters.get(2)?.mspId).toBe('RegistryMSP');
  });

  it('passes a chain whose blocks carry a quorum of consenter signatures', () => {
    expect(problemsOf(chain)).toEqual({});
    expect(problemsOf(chain, 'orderer')).toEqual({});
  });

  it('refuses a block signed by fewer consenters than the quorum (two colluding orderers)', () => {
    const problems = problemsOf(withBlockOne(honest(consenters.slice(1, 3))));
    expect(problems['1']).toEqual(['valid signatures from 2 consenters, where a BFT block needs 3 of 4']);
  });

  it('counts one consenter once, however often its signature is repeated', () => {
    const one = nth(consenters, 0);
    const problems = problemsOf(withBlockOne(honest([one, one, one])));
    expect(problems['1']).toEqual(['valid signatures from 1 consenters, where a BFT block needs 3 of 4']);
  });

  it('refuses a signature that names another consenter than the key that made it', () => {
    const [first, second, third] = [nth(consenters, 0), nth(consenters, 1), nth(consenters, 2)];
    const forged = [...honest([first, second]), { id: third.id, key: first.identity }];
    const problems = problemsOf(withBlockOne(forged));
    expect(problems['1']).toEqual([
      expect.stringMatching(/^orderer signature 2: signature by .*CN=bft2\.registry does not verify$/),
      'valid signatures from 2 consenters, where a BFT block needs 3 of 4',
    ]);
  });

  it('refuses a signature by a consenter id the config does not list', () => {
    const outsider = { id: 9, key: pki.orderer };
    const problems = problemsOf(withBlockOne([...honest(consenters.slice(0, 3)), outsider]));
    expect(problems['1']).toEqual([
      'orderer signature 3: signed by consenter 9, which the channel config does not list',
    ]);
  });

  it('catches a header rewritten to match changed data: every consenter signature breaks', () => {
    const changed = flipDataByte(nth(chain, 2));
    const tampered = [...chain];
    tampered[2] = { ...changed, dataHash: blockDataHash(changed.data) };
    const problems = problemsOf(tampered);
    expect(Object.keys(problems)).toEqual(['2', '3']);
    expect(problems['2']).toHaveLength(4);
    expect(problems['2']?.at(-1)).toBe('valid signatures from 0 consenters, where a BFT block needs 3 of 4');
  });

  it('refuses a BFT config without consenters', () => {
    const empty = makeBftBlock(undefined, [bftConfigEnvelope(pki, [])], []);
    expect(() => ordererTrustFrom(empty)).toThrow('config block 0 is BFT but lists no consenters');
  });

  it('refuses consenter-id signatures on a channel whose config is not BFT', () => {
    const raftGenesis = makeBftBlock(undefined, [configEnvelope(pki)], []);
    const next = makeBftBlock(raftGenesis, [transactionEnvelope('x')], honest(consenters.slice(0, 3)));
    expect(problemsOf([raftGenesis, next])['1']).toEqual(
      [0, 1, 2].map(
        (i) =>
          `orderer signature ${String(i)}: signed by consenter id (BFT identifier header), but the channel config is not BFT`,
      ),
    );
  });
});

describe('bftQuorum', () => {
  it.each([
    [1, 1],
    [4, 3],
    [5, 4],
    [6, 4],
    [7, 5],
    [10, 7],
  ])('%i consenters need %i signatures', (n, q) => {
    expect(bftQuorum(n)).toBe(q);
  });
});
