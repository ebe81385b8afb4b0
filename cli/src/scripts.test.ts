import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBashScript } from './scripts';

describe('runBashScript', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crowdledger-script-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('resolves to the script exit code and passes arguments', async () => {
    const script = join(dir, 'exit.sh');
    writeFileSync(script, 'set -euo pipefail\n[[ "$1" == "a b" ]] || exit 9\nexit "$2"\n');
    await expect(runBashScript(script, ['a b', '7'], dir)).resolves.toBe(7);
  });

  it('reports a script killed by a signal as 128 + signal number', async () => {
    const script = join(dir, 'kill.sh');
    writeFileSync(script, 'kill -TERM $$\n');
    await expect(runBashScript(script, [], dir)).resolves.toBe(128 + 15);
  });
});
