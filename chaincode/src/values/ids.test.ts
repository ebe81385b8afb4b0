import { createHash } from 'node:crypto';
import { assetIdFor, listingIdFor, offerIdFor, tradeIdFor, userIdFor } from '@crowdledger/protocol';

const SECRET = 'ab'.repeat(32);
import {
  requireAssetId,
  requireListingId,
  requireMspId,
  requireOfferId,
  requireReference,
  requireTradeId,
  requireTradeSource,
  requireUserId,
} from './ids';

describe('ID guards', () => {
  const user = userIdFor('P', SECRET, 'r');
  const asset = assetIdFor('P', 'r');

  it('accepts derived IDs', () => {
    expect(requireUserId(user)).toBe(user);
    expect(requireAssetId(asset)).toBe(asset);
  });

  it.each([asset, user.toUpperCase(), `${user}0`, 'U1', ''])('refuses %j as a user ID', (id) => {
    expect(() => requireUserId(id)).toThrow(/^INVALID_ARGUMENT: userId must be a user ID/);
  });

  it.each([user, 'A1'])('refuses %j as an asset ID', (id) => {
    expect(() => requireAssetId(id)).toThrow(/^INVALID_ARGUMENT: assetId must be an asset ID/);
  });

  it.each(['alice', 'a.b:c-d_e', 'r'.repeat(64)])('accepts reference %s', (ref) => {
    expect(requireReference(ref, 'platformRef')).toBe(ref);
  });

  it.each(['', 'r'.repeat(65), 'a b', 'a/b', '用户'])('refuses reference %j', (ref) => {
    expect(() => requireReference(ref, 'platformRef')).toThrow(
      /^INVALID_ARGUMENT: platformRef must be 1 to 64/,
    );
  });

  it.each(['Platform1MSP', 'Org.1-MSP'])('accepts MSP ID %s', (id) => {
    expect(requireMspId(id)).toBe(id);
  });

  it.each(['', '1MSP', 'a b'])('refuses MSP ID %j', (id) => {
    expect(() => requireMspId(id)).toThrow(/^INVALID_ARGUMENT: mspId must be an MSP ID/);
  });
});

describe('transaction-made IDs', () => {
  const digest = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 32);

  it('are L, O or T and the first 32 hex digits of sha256(txId)', () => {
    expect(listingIdFor('tx1')).toBe(`L${digest('tx1')}`);
    expect(offerIdFor('tx1')).toBe(`O${digest('tx1')}`);
    expect(tradeIdFor('tx1')).toBe(`T${digest('tx1')}`);
  });

  it('add the buyer for settlement trades, one per buyer', () => {
    const buyer = userIdFor('P', SECRET, 'b');
    expect(tradeIdFor('tx1', buyer)).toBe(`T${digest(`tx1\n${buyer}`)}`);
    expect(tradeIdFor('tx1', buyer)).not.toBe(tradeIdFor('tx1'));
  });

  it('pass their own guard and no other', () => {
    expect(requireListingId(listingIdFor('t'))).toBe(listingIdFor('t'));
    expect(requireOfferId(offerIdFor('t'))).toBe(offerIdFor('t'));
    expect(requireTradeId(tradeIdFor('t'))).toBe(tradeIdFor('t'));
    expect(requireTradeSource(offerIdFor('t'), 's')).toBe(offerIdFor('t'));
    expect(() => requireListingId(offerIdFor('t'))).toThrow(
      'INVALID_ARGUMENT: listingId must be a listing ID',
    );
    expect(() => requireTradeSource(tradeIdFor('t'), 's')).toThrow(
      'INVALID_ARGUMENT: s must be a listing or offer ID',
    );
  });
});
