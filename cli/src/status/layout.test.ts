import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError } from '../errors';
import { sampleLayout } from '../testing/sample-layout';
import { parseLayout, readLayout } from './layout';

describe('parseLayout', () => {
  it('lists CAs, orderers, peers and a chaincode service per peer', () => {
    const layout = parseLayout(sampleLayout('/h'), '/ignored');
    expect(layout.channel).toBe('crowdledger');
    expect(layout.nodes.map((n) => `${n.role}:${n.name}`)).toEqual([
      'ca:ca.registry',
      'orderer:orderer0.registry',
      'peer:peer0.registry',
      'chaincode:cc.peer0.registry',
      'ca:ca.platform1',
      'peer:peer0.platform1',
      'chaincode:cc.peer0.platform1',
    ]);
  });

  it('gives a chaincode service its own port and folder and no operations port', () => {
    const cc = parseLayout(sampleLayout('/h'), '/ignored').nodes.find((n) => n.name === 'cc.peer0.platform1');
    expect(cc).toEqual({
      name: 'cc.peer0.platform1',
      role: 'chaincode',
      org: 'platform1',
      host: '127.0.0.1',
      port: 7143,
      opsPort: null,
      dir: '/h/nodes/cc.peer0.platform1',
    });
  });

  it('lists no chaincode service when the peers run a node package themselves', () => {
    const layout = parseLayout({ ...sampleLayout('/h'), chaincodeType: 'node' }, '/ignored');
    expect(layout.nodes.map((n) => n.role)).toEqual(['ca', 'orderer', 'peer', 'ca', 'peer']);
    expect(parseLayout({ ...sampleLayout('/h'), chaincodeType: 'ccaas' }, '/ignored').nodes).toHaveLength(7);
  });

  it('refuses a chaincode type it does not know', () => {
    expect(() => parseLayout({ ...sampleLayout('/h'), chaincodeType: 'golang' }, '/h')).toThrow(
      'chaincodeType must be ccaas or node',
    );
  });

  it('names what is wrong with a damaged layout', () => {
    const layout = sampleLayout('/h');
    layout['orgs'] = [{ key: 'registry', ca: { name: 'ca', host: 'h', port: 'x' } }];
    expect(() => parseLayout(layout, '/h')).toThrow('port must be a port number');
  });
});

describe('readLayout', () => {
  const root = mkdtempSync(join(tmpdir(), 'crowdledger-layout-'));
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('reports "no network" with exit code 4 when there is no layout', async () => {
    const home = mkdtempSync(join(root, 'home-'));
    const failure = readLayout(home);
    await expect(failure).rejects.toBeInstanceOf(CliError);
    await expect(failure).rejects.toMatchObject({
      exitCode: 4,
      message: 'no network: run `crowdledger network up`',
    });
  });

  it('refuses a layout that is not JSON with exit code 1', async () => {
    const home = mkdtempSync(join(root, 'home-'));
    writeFileSync(join(home, 'layout.json'), '{');
    await expect(readLayout(home)).rejects.toMatchObject({ exitCode: 1 });
  });
});
