import type { NetworkNode } from './layout';
import { formatStatusTable, formatSummary, statusJson } from './format';
import type { NodeStatus } from './probe';

function node(name: string, role: NetworkNode['role'], port: number): NetworkNode {
  return {
    name,
    role,
    org: 'registry',
    host: '127.0.0.1',
    port,
    opsPort: role === 'chaincode' ? null : port + 2,
    dir: `/h/${name}`,
  };
}

const STATUSES: NodeStatus[] = [
  {
    node: node('ca.registry', 'ca', 7000),
    pid: 101,
    alive: true,
    health: 'ok',
    state: 'up',
    height: null,
    rssMiB: 31,
  },
  {
    node: node('peer0.registry', 'peer', 7040),
    pid: 2002,
    alive: true,
    health: 'ok',
    state: 'up',
    height: 12,
    rssMiB: 70,
  },
  {
    node: node('cc.peer0.registry', 'chaincode', 7043),
    pid: 33,
    alive: false,
    health: 'none',
    state: 'down',
    height: null,
    rssMiB: null,
  },
];

describe('formatStatusTable', () => {
  it('aligns every column under its heading', () => {
    expect(formatStatusTable(STATUSES).split('\n')).toEqual([
      'NODE               ROLE       ORG       ENDPOINT        PID        STATE  HEIGHT  RSS MiB',
      'ca.registry        ca         registry  127.0.0.1:7000  101        up     -       31',
      'peer0.registry     peer       registry  127.0.0.1:7040  2002       up     12      70',
      'cc.peer0.registry  chaincode  registry  127.0.0.1:7043  33 (gone)  down   -       -',
    ]);
  });

  it('prints only the heading for an empty network', () => {
    expect(formatStatusTable([])).toBe('NODE  ROLE  ORG  ENDPOINT  PID  STATE  HEIGHT  RSS MiB');
  });
});

describe('formatSummary', () => {
  it('counts the nodes that are up', () => {
    expect(formatSummary(STATUSES)).toBe('2 of 3 nodes up, 101 MiB resident');
  });
});

describe('statusJson', () => {
  it('lists every node with its probe results', () => {
    const json = statusJson('/h', 'crowdledger', STATUSES);
    expect(json).toMatchObject({ home: '/h', channel: 'crowdledger', up: 2, total: 3 });
    expect(json.nodes[1]).toEqual({
      name: 'peer0.registry',
      role: 'peer',
      org: 'registry',
      endpoint: '127.0.0.1:7040',
      pid: 2002,
      alive: true,
      health: 'ok',
      state: 'up',
      height: 12,
      rssMiB: 70,
    });
  });
});
