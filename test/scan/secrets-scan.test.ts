// Secrets (issue #20), after the whole integration suite and before the
// network is torn down: every block file and every log of every node is
// searched for what the suite used and no node may keep — the names, ID
// numbers, platform references and salts of every user it registered (read
// back from the private collections, so none is missed, whichever suite or
// CLI registered it) and of every person it tried to register, the
// platforms' reference secrets, every transaction key it made, and every
// private key of the network itself — raw, JSON-escaped, hex and base64.
// test/run.sh runs it after the integration suites; alone:
//   CROWDLEDGER_HOME=… npm run test:scan
import { createPrivateKey } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { CrowdLedger, toCrowdLedgerError } from '../../client/src';
import { type Hit, NeedleIndex, privateScalar, recordedSecrets, type Secret } from '../integration/leaks';
import { channelBlockFiles, networkHome, profilePath, referenceSecretOf } from '../integration/support';

/** Every block file of the channel and every log file of every node. */
async function nodeFiles(): Promise<string[]> {
  const nodesDir = join(networkHome(), 'nodes');
  const logs: string[] = [];
  for (const node of await readdir(nodesDir)) {
    for (const name of await readdir(join(nodesDir, node))) {
      if (name.endsWith('.log')) {
        logs.push(join(nodesDir, node, name));
      }
    }
  }
  return [...(await channelBlockFiles()), ...logs.sort()];
}

/** The private scalar of every private key file in the network folder: nodes', CAs', registrars', users'. */
async function networkKeys(): Promise<Secret[]> {
  const home = networkHome();
  const keys: Secret[] = [];
  for (const entry of await readdir(home, { recursive: true })) {
    if (/(_sk|key\.pem|server\.key)$/.test(entry)) {
      const key = createPrivateKey(await readFile(join(home, entry), 'utf8'));
      keys.push({ kind: `private key ${entry}`, bytes: privateScalar(key).toString('base64') });
    }
  }
  return keys;
}

/** Every user ID in the blocks: public, so it is found on every node (the search's own check). */
async function userIds(blockFile: string): Promise<string[]> {
  return [...new Set((await readFile(blockFile)).toString('latin1').match(/U[0-9a-f]{32}/g) ?? [])];
}

type Registry = Awaited<ReturnType<typeof CrowdLedger.connect>>;

/** One user's personal data; nothing for an ID-shaped string that names no user (a test's made-up one). */
async function personalDataOf(registry: Registry, id: string): Promise<Secret[]> {
  try {
    const data = await registry.users.personalData(id);
    return [
      { kind: 'reference', text: data.platformRef },
      { kind: 'name', text: data.name },
      { kind: 'idNumber', text: data.idNumber },
      { kind: 'salt', text: data.salt },
    ];
  } catch (error) {
    if (toCrowdLedgerError(error).code === 'USER_NOT_FOUND') {
      return [];
    }
    throw error;
  }
}

/** What each user's platform keeps in its private collection, read by the registry admin, 20 at a time. */
async function personalData(ids: readonly string[]): Promise<Secret[]> {
  const registry = await CrowdLedger.connect({ profile: profilePath('registry'), identity: 'app' });
  const secrets: Secret[] = [];
  try {
    for (let i = 0; i < ids.length; i += 20) {
      const batch = await Promise.all(ids.slice(i, i + 20).map((id) => personalDataOf(registry, id)));
      secrets.push(...batch.flat());
    }
  } finally {
    registry.close();
  }
  return secrets;
}

function nodeOf(file: string): string {
  return relative(join(networkHome(), 'nodes'), file).split('/')[0] ?? file;
}

it('finds nothing the suite kept secret in any block file or log of any node, in any encoding', async () => {
  const files = await nodeFiles();
  const blockFiles = files.filter((f) => !f.endsWith('.log'));
  const [first = ''] = blockFiles;
  const ids = await userIds(first);
  const users = await personalData(ids);
  const secrets: Secret[] = [
    ...recordedSecrets(),
    ...users,
    ...(await networkKeys()),
    { kind: 'reference secret', text: await referenceSecretOf('platform1') },
    { kind: 'reference secret', text: await referenceSecretOf('platform2') },
  ];
  const index = new NeedleIndex();
  for (const secret of secrets) {
    index.add(secret);
  }
  // The search sees what it should: the nodes' blocks and logs, and the public user IDs in every block file.
  expect(blockFiles.length).toBeGreaterThanOrEqual(6);
  expect(new Set(files.filter((f) => f.endsWith('node.log')).map(nodeOf)).size).toBeGreaterThanOrEqual(12);
  expect(users.length / 4).toBeGreaterThan(0);
  const publicIds = new NeedleIndex();
  const someId = ids.at(-1) ?? '';
  publicIds.add({ kind: 'user ID', text: someId });
  const hits: Hit[] = [];
  let idFound = 0;
  for (const file of files) {
    const content = await readFile(file);
    hits.push(...index.search(content, file));
    idFound += publicIds.search(content, file).length > 0 && blockFiles.includes(file) ? 1 : 0;
  }
  expect(idFound).toBe(blockFiles.length);
  console.info(
    `searched ${String(files.length)} files for ${String(index.size)} forms of ${String(secrets.length)} secrets ` +
      `(${String(users.length / 4)} users' personal data)`,
  );
  const report = hits.map(
    (h) => `${h.secret.kind} as ${JSON.stringify(h.form)} in ${relative(networkHome(), h.file)}`,
  );
  expect([...new Set(report)]).toEqual([]);
});
