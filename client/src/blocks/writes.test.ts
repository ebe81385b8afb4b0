import { common, peer } from '@hyperledger/fabric-protos';
import { ck, madeBlock } from '../testing/blocks';
import { blockNumberOf, validWrites } from './writes';

const NS = 'crowdledger';
const text = new TextDecoder();

function summary(block: common.Block, mentioning?: string): [string, string, string][] {
  const filter = {
    namespace: NS,
    ...(mentioning === undefined ? {} : { mentioning: Buffer.from(mentioning) }),
  };
  return [...validWrites(block, filter)].flatMap((tx) =>
    tx.writes.map((w): [string, string, string] => [
      tx.txId,
      w.key,
      w.isDelete ? 'delete' : text.decode(w.value),
    ]),
  );
}

describe('validWrites', () => {
  it('decodes the writes and deletes of valid endorser transactions, in order', () => {
    const block = madeBlock(7, [
      { txId: 'a', writes: { [NS]: [{ key: ck('holding', 'A1', 'U1'), value: '{"units":3}' }] } },
      {
        txId: 'b',
        writes: { [NS]: [{ key: ck('holding', 'A1', 'U1') }, { key: 'tradeAt\u00011', value: 'x' }] },
      },
    ]);
    expect(blockNumberOf(block)).toBe(7n);
    expect(summary(block)).toEqual([
      ['a', ck('holding', 'A1', 'U1'), '{"units":3}'],
      ['b', ck('holding', 'A1', 'U1'), 'delete'],
      ['b', 'tradeAt\u00011', 'x'],
    ]);
  });

  it('skips transactions the peer marked invalid, whatever they wrote', () => {
    const block = madeBlock(3, [
      {
        txId: 'lost',
        code: peer.TxValidationCode.MVCC_READ_CONFLICT,
        writes: { [NS]: [{ key: 'k', value: 'no' }] },
      },
      { txId: 'won', writes: { [NS]: [{ key: 'k', value: 'yes' }] } },
      {
        txId: 'forged',
        code: peer.TxValidationCode.ENDORSEMENT_POLICY_FAILURE,
        writes: { [NS]: [{ key: 'k' }] },
      },
    ]);
    expect(summary(block)).toEqual([['won', 'k', 'yes']]);
  });

  it('leaves out other namespaces and config transactions', () => {
    const block = madeBlock(1, [
      { txId: 'cfg', type: common.HeaderType.CONFIG },
      {
        txId: 'lc',
        writes: { _lifecycle: [{ key: 'namespaces/x', value: 'v' }], [NS]: [{ key: 'k', value: 'v' }] },
      },
    ]);
    expect(summary(block)).toEqual([['lc', 'k', 'v']]);
  });

  it('decodes only transactions that mention the filter bytes', () => {
    const block = madeBlock(2, [
      { txId: 'other', writes: { [NS]: [{ key: ck('holding', 'A2', 'U1'), value: 'v2' }] } },
      { txId: 'mine', writes: { [NS]: [{ key: ck('holding', 'A1', 'U1'), value: 'v1' }] } },
    ]);
    expect(summary(block, 'A1')).toEqual([['mine', ck('holding', 'A1', 'U1'), 'v1']]);
  });

  it('refuses a block whose validation flags do not cover its transactions', () => {
    const block = madeBlock(9, [{ txId: 'a' }, { txId: 'b' }], Uint8Array.from([0]));
    expect(() => summary(block)).toThrow(
      'BAD_RESPONSE: block 9 has validation flags for 1 of its 2 transactions',
    );
  });

  it('names the block of a valid transaction it cannot read', () => {
    const block = madeBlock(4, [{ txId: 'a' }]);
    block.getData()?.setDataList([Uint8Array.from([0x0a, 0xff])]);
    expect(() => summary(block)).toThrow('BAD_RESPONSE: block 4 holds transaction 0, which is not readable');
  });
});
