import { peer } from '@hyperledger/fabric-protos';
import { block, envelope, newKey, registration, signed, testUser } from '../testing/consent-blocks';
import { ConsentChecker } from './consents';
import { consentLines } from './report';
import { type NodeChain, verifyChains } from './verify';

const LISTING = `L${'4'.repeat(32)}`;
const buy = { listingId: LISTING, units: 5, pricePerUnit: 1250 };

describe('ConsentChecker', () => {
  it('re-checks every signed request against the key registered before it, from the blocks alone', () => {
    const wang = testUser(1);
    const checker = new ConsentChecker('crowdledger');
    expect(checker.check(block(5n, [envelope('tx-reg', registration(wang))]))).toEqual([]);
    const args = ['trades:Buy', ...signed('trades:Buy', wang.userId, buy, wang.keys[0] ?? newKey())];
    expect(checker.check(block(6n, [envelope('tx-buy', args)]))).toEqual([]);
    expect(checker.summary()).toEqual({ checked: 2, registrations: 1, failures: [] });
  });

  it('names a transaction whose signed request was altered after signing', () => {
    const wang = testUser(1);
    const checker = new ConsentChecker('crowdledger');
    checker.check(block(5n, [envelope('tx-reg', registration(wang))]));
    const [request, signature] = signed('trades:Buy', wang.userId, buy, wang.keys[0] ?? newKey());
    const altered = request.replace('"units":5', '"units":6');
    const found = checker.check(
      block(9n, [
        envelope('tx-other', ['users:Get', 'x']),
        envelope('tx-altered', ['trades:Buy', altered, signature]),
      ]),
    );
    expect(found).toEqual([
      {
        block: '9',
        transaction: 1,
        txId: 'tx-altered',
        action: 'trades:Buy',
        userId: wang.userId,
        reason: expect.stringMatching(
          /^the signature does not verify under .*'s key [0-9a-f]{64} registered at this block$/,
        ) as unknown,
      },
    ]);
    expect(checker.summary().failures).toEqual(found);
  });

  it('holds a request to the key of its block: the old key fails after a rotation, not before', () => {
    const wang = testUser(1);
    wang.keys.push(newKey());
    const old = wang.keys[0] ?? newKey();
    const checker = new ConsentChecker('crowdledger');
    const before = ['trades:Buy', ...signed('trades:Buy', wang.userId, buy, old)];
    const after = ['trades:Buy', ...signed('trades:Buy', wang.userId, buy, old)];
    const found = checker.check(
      block(3n, [
        envelope('tx-reg-1', registration(wang, 0)),
        envelope('tx-before', before),
        envelope('tx-reg-2', registration(wang, 1)),
        envelope('tx-after', after),
      ]),
    );
    expect(found.map((f) => f.txId)).toEqual(['tx-after']);
    expect(checker.summary().registrations).toBe(2);
  });

  it('skips invalid transactions: a registration that did not take effect changes no key', () => {
    const wang = testUser(1);
    wang.keys.push(newKey());
    const checker = new ConsentChecker('crowdledger');
    const flags = [peer.TxValidationCode.VALID, peer.TxValidationCode.MVCC_READ_CONFLICT];
    checker.check(
      block(2n, [envelope('tx-1', registration(wang, 0)), envelope('tx-2', registration(wang, 1))], flags),
    );
    const byNew = ['trades:Buy', ...signed('trades:Buy', wang.userId, buy, wang.keys[1] ?? newKey())];
    expect(checker.check(block(3n, [envelope('tx-3', byNew)])).map((f) => f.txId)).toEqual(['tx-3']);
  });

  it('names requests with no key, a registration not signed by its key, and a request for another act', () => {
    const [wang, liu] = [testUser(1), testUser(2)];
    const checker = new ConsentChecker('crowdledger');
    const noKey = ['trades:Buy', ...signed('trades:Buy', wang.userId, buy, wang.keys[0] ?? newKey())];
    const [, text = ''] = registration(liu);
    const forgedProof = [
      'keys:Register',
      text,
      signed('keys:Register', liu.userId, { publicKey: 'x', algorithm: 'ES256' }, newKey())[1],
    ];
    const otherAct = [
      'campaigns:Commit',
      ...signed('trades:Buy', wang.userId, buy, wang.keys[0] ?? newKey()),
    ];
    const found = checker.check(
      block(1n, [envelope('a', noKey), envelope('b', forgedProof), envelope('c', otherAct)]),
    );
    expect(found.map((f) => [f.txId, f.reason])).toEqual([
      ['a', `${wang.userId} had no key registered at this block`],
      ['b', 'the signature does not verify under the key it registers'],
      ['c', 'the request was signed for trades:Buy'],
    ]);
  });

  it('leaves other chaincodes alone, and names an envelope it cannot read', () => {
    const checker = new ConsentChecker('crowdledger');
    const elsewhere = envelope('x', ['trades:Buy', 'not a request', 'sig'], 'other');
    const found = checker.check(block(4n, [elsewhere, Uint8Array.from([0xff, 0xff, 0xff])]));
    expect(found).toEqual([
      expect.objectContaining({
        block: '4',
        transaction: 1,
        reason: expect.stringContaining('cannot be read') as unknown,
      }),
    ]);
    expect(checker.summary().checked).toBe(0);
  });
});

describe('verifyChains with consents', () => {
  it('reports the consents of each peer, fails on one that does not verify, and leaves orderers out', async () => {
    const wang = testUser(1);
    const [request, signature] = signed('trades:Buy', wang.userId, buy, newKey());
    const blocks = [
      block(0n, [envelope('r', registration(wang))]),
      block(1n, [envelope('t', ['trades:Buy', request, signature])]),
    ];
    const chain = (name: string, kind: 'peer' | 'orderer'): NodeChain => ({
      name,
      kind,
      org: 'registry',
      async *blocks() {
        yield* blocks;
        await Promise.resolve();
      },
    });
    const report = await verifyChains([chain('peer0', 'peer'), chain('orderer0', 'orderer')], {
      channel: 'crowdledger',
      source: 'files',
      maxLag: 0,
      progressEvery: 0,
      consents: { chaincode: 'crowdledger' },
    });
    const [peerResult, ordererResult] = report.nodes;
    expect(peerResult?.consents).toMatchObject({
      checked: 2,
      registrations: 1,
      failures: [{ block: '1', txId: 't' }],
    });
    expect(ordererResult?.consents).toBeUndefined();
    expect(report.ok).toBe(false);
    expect(consentLines(report)).toEqual([
      'Consents on peer0: 2 signed requests re-checked (1 key registrations), 1 FAIL',
      expect.stringMatching(
        new RegExp(`^  block 1, transaction 0 t trades:Buy ${wang.userId}: the signature does not verify`),
      ) as unknown,
    ]);
  });
});
