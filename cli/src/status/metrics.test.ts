import { parseBlockHeight } from './metrics';

const PEER_METRICS = `# HELP ledger_blockchain_height Height of the chain in blocks.
# TYPE ledger_blockchain_height gauge
ledger_blockchain_height{channel="crowdledger"} 7
ledger_blockchain_height{channel="other"} 99
ledger_transaction_count{channel="crowdledger",chaincode="crowdledger",validation_code="VALID"} 12
`;

describe('parseBlockHeight', () => {
  it('reads the height of the named channel', () => {
    expect(parseBlockHeight(PEER_METRICS, 'crowdledger')).toBe(7);
    expect(parseBlockHeight(PEER_METRICS, 'other')).toBe(99);
  });

  it('finds the channel label among others, in any order, with a timestamp', () => {
    const text = 'ledger_blockchain_height{zone="a",channel="crowdledger"} 42 1700000000000\n';
    expect(parseBlockHeight(text, 'crowdledger')).toBe(42);
  });

  it('is null when the channel is absent or the value is not a height', () => {
    expect(parseBlockHeight(PEER_METRICS, 'missing')).toBeNull();
    expect(parseBlockHeight('ledger_blockchain_height{channel="c"} NaN', 'c')).toBeNull();
    expect(parseBlockHeight('ledger_blockchain_height{channel="c"} 1.5', 'c')).toBeNull();
    expect(parseBlockHeight('', 'c')).toBeNull();
  });

  it('does not mistake a metric whose name only starts the same', () => {
    expect(parseBlockHeight('ledger_blockchain_height_total{channel="c"} 3', 'c')).toBeNull();
  });

  it('unescapes label values', () => {
    expect(parseBlockHeight('ledger_blockchain_height{channel="a\\"b"} 5', 'a"b')).toBe(5);
  });
});
