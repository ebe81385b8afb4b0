import { compositeKey, idOfTimeKey, INDEX_ENTRY_VALUE, TimeIndex, timeKey, timeKeyRange } from './state-keys';

const TRADE = `T${'e'.repeat(32)}`;
const AT = '2025-01-31T08:00:00.000Z';

describe('index entries', () => {
  it('hold one byte: an empty value would be a delete', () => {
    expect(new TextEncoder().encode(INDEX_ENTRY_VALUE)).toEqual(Uint8Array.of(0));
  });
});

describe('time keys', () => {
  it('end with the ID they point at, so the value need not repeat it', () => {
    const key = timeKey(TimeIndex.platformTradeAt, ['Platform1MSP'], AT, TRADE);
    expect(idOfTimeKey(key)).toBe(TRADE);
    expect(idOfTimeKey(timeKey(TimeIndex.tradeAt, [], AT, TRADE))).toBe(TRADE);
  });

  it('name no ID when the key has another layout', () => {
    expect(idOfTimeKey(compositeKey('trade', [TRADE]))).toBeUndefined();
    expect(idOfTimeKey('tradeAt')).toBeUndefined();
  });

  it('fall inside the range of their instant and outside the range that ends there', () => {
    const key = timeKey(TimeIndex.tradeAt, [], AT, TRADE);
    const within = timeKeyRange(TimeIndex.tradeAt, [], { from: AT });
    const before = timeKeyRange(TimeIndex.tradeAt, [], { to: AT });
    expect(key >= within.start && key < within.end).toBe(true);
    expect(key >= before.start && key < before.end).toBe(false);
  });
});
