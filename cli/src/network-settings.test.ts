import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROPOSAL_TIME_WINDOW, PROPOSAL_TIME_WINDOW_MS } from '@crowdledger/client';

describe("the peers' proposal time window", () => {
  it('is the window the chaincode builds into its deadline rules', () => {
    const nodes = readFileSync(join(__dirname, '..', '..', 'network', 'lib', 'nodes.sh'), 'utf8');
    const set = /^CORE_PEER_AUTHENTICATION_TIMEWINDOW=(\S+)$/m.exec(nodes)?.[1];
    expect(set).toBe(PROPOSAL_TIME_WINDOW);
    expect(PROPOSAL_TIME_WINDOW).toBe(`${String(PROPOSAL_TIME_WINDOW_MS / 1000)}s`);
  });
});
