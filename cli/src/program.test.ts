import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProgram } from './program';

describe('createProgram', () => {
  it('offers the network and chaincode commands', () => {
    const help = createProgram('1.2.3').helpInformation();
    expect(help).toContain('network');
    expect(help).toContain('chaincode');
  });

  it('fails network status with exit 4 when no network exists', async () => {
    const saved = process.env['CROWDLEDGER_HOME'];
    const home = mkdtempSync(join(tmpdir(), 'crowdledger-empty-'));
    process.env['CROWDLEDGER_HOME'] = home;
    try {
      const program = createProgram('1.2.3').exitOverride();
      await expect(program.parseAsync(['node', 'crowdledger', 'network', 'status'])).rejects.toMatchObject({
        exitCode: 4,
        message: 'no network: run `crowdledger network up`',
      });
    } finally {
      rmSync(home, { recursive: true, force: true });
      if (saved === undefined) {
        delete process.env['CROWDLEDGER_HOME'];
      } else {
        process.env['CROWDLEDGER_HOME'] = saved;
      }
    }
  });
});
