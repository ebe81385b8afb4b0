// Secrets at rest: what the network wrote is owner-only, no CA bootstrap
// password is left on disk, and operations endpoints listen on loopback only.
import { execFile } from 'node:child_process';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { networkHome } from './support';

const run = promisify(execFile);

interface Node {
  readonly name: string;
  readonly host: string;
  readonly opsPort?: number;
}

interface Layout {
  readonly orgs: readonly {
    readonly key: string;
    readonly dir: string;
    readonly ca: Node & { readonly dir: string };
    readonly orderers: readonly Node[];
    readonly peers: readonly Node[];
  }[];
}

async function* everything(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    yield path;
    if (entry.isDirectory()) {
      yield* everything(path);
    }
  }
}

describe('the network folder', () => {
  it('holds nothing that group or others may read, write or enter, the folder itself included', async () => {
    const home = networkHome();
    const open: string[] = [];
    let seen = 0;
    for (const path of [home, ...(await collect(everything(home)))]) {
      const stats = await lstat(path);
      seen += 1;
      if (!stats.isSymbolicLink() && (stats.mode & 0o077) !== 0) {
        open.push(`${(stats.mode & 0o777).toString(8)} ${relative(home, path) || '.'}`);
      }
    }
    expect(seen).toBeGreaterThan(200);
    expect(open).toEqual([]);
  });

  it('keeps private keys, CA databases and CA configs at 0600', async () => {
    const home = networkHome();
    const secret = /(_sk|key\.pem|server\.key|fabric-ca-server\.db|fabric-ca-server-config\.yaml)$/;
    const modes = new Set<string>();
    for await (const path of everything(home)) {
      if (secret.test(path)) {
        modes.add(((await lstat(path)).mode & 0o777).toString(8));
      }
    }
    expect([...modes]).toEqual(['600']);
  });
});

describe('CA bootstrap admins', () => {
  it('leave no password on disk: no bootstrap identity in any CA config, no copy of the secret', async () => {
    const home = networkHome();
    const configs: string[] = [];
    const copies: string[] = [];
    for await (const path of everything(home)) {
      if (path.endsWith('fabric-ca-server-config.yaml')) {
        configs.push(path);
        const text = await readFile(path, 'utf8');
        expect(text).not.toMatch(/^\s*pass:/m);
        expect(text).toMatch(/^\s*identities: \[\]$/m);
      }
      if (path.endsWith('ca-admin.secret')) {
        copies.push(path);
      }
      if (path.endsWith('fabric-ca-client-config.yaml')) {
        // The client keeps the URL it was last given: never one with credentials.
        expect(await readFile(path, 'utf8')).not.toMatch(/^url: https:\/\/[^\s/]*@/m);
      }
    }
    // Registry: org CA, TLS CA, asset CA; each platform: org CA, TLS CA.
    expect(configs.length).toBeGreaterThanOrEqual(7);
    expect(copies).toEqual([]);
  });
});

describe('operations endpoints', () => {
  it('listen on loopback only', async () => {
    const layout = JSON.parse(await readFile(join(networkHome(), 'layout.json'), 'utf8')) as Layout;
    const nodes = layout.orgs.flatMap((o) => [o.ca, ...o.orderers, ...o.peers]);
    const ports = nodes.map((n) => n.opsPort).filter((p): p is number => p !== undefined);
    expect(ports.length).toBe(nodes.length);
    const { stdout } = await run('ss', ['-Hltn']);
    const listening = stdout
      .split('\n')
      .map((line) => line.trim().split(/\s+/)[3] ?? '')
      .filter((address) => ports.some((p) => address.endsWith(`:${String(p)}`)));
    expect(listening.length).toBe(ports.length);
    expect(listening.filter((address) => !address.startsWith('127.0.0.1:'))).toEqual([]);
  });
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) {
    all.push(item);
  }
  return all;
}
