import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connect, type Connection, type IdentityFileOptions, toCrowdLedgerError } from '@crowdledger/client';
import type { Command } from 'commander';
import { CliError } from '../errors';
import { crowdledgerHome, networkScript } from '../paths';
import { withExamples } from './help';

const utf8 = new TextDecoder();
const PRIVATE_COLLECTION = 'Platform1MSPPrivate';

/** `crowdledger demo`: plays what the running network can do, step by step. */
export function registerDemoCommand(program: Command): void {
  const demo = program
    .command('demo')
    .description('play the CrowdLedger demonstration against the running network')
    .action(async () => {
      await playDemo(crowdledgerHome());
    });
  withExamples(demo, 'crowdledger network up && crowdledger demo');
}

class Narrator {
  #step = 0;

  step(text: string): void {
    this.#step += 1;
    console.log(`\n${String(this.#step)}. ${text}`);
  }

  say(text: string): void {
    console.log(`   ${text}`);
  }
}

async function playDemo(home: string): Promise<void> {
  const run = Date.now().toString(36);
  const n = new Narrator();
  console.log(`CrowdLedger demo on the network in ${home}`);
  await publicRoundTrip(home, run, n);
  await privateRoundTrip(home, run, n);
  await holderCertificate(home, run, n);
  n.step('Try it yourself');
  n.say('node cli/dist/main.js network status        every node, its health and block height');
  n.say('node cli/dist/main.js network logs peer0.platform1');
  n.say('node cli/dist/main.js network down | up      stop and restart, keeping the ledger');
  n.say('node cli/dist/main.js chaincode deploy      upgrade after changing chaincode/');
}

async function publicRoundTrip(home: string, run: string, n: Narrator): Promise<void> {
  const key = `demo-${run}`;
  const value = `众筹登记 demo ${run}`;
  n.step(`Platform1 writes "${value}" to the shared ledger through its own peer`);
  await as(home, 'platform1', 'app', async (c) => {
    await c.contract('smoke').submitTransaction('Put', key, value);
  });
  n.say('endorsed by the registry and Platform1 peers, ordered by Raft, committed on every peer');
  n.step('Every organisation reads it back through its own peer');
  for (const org of ['registry', 'platform1', 'platform2']) {
    const read = await as(home, org, 'app', async (c) =>
      utf8.decode(await c.contract('smoke').evaluateTransaction('Get', key)),
    );
    n.say(`${org.padEnd(10)} reads "${read}"`);
  }
}

async function privateRoundTrip(home: string, run: string, n: Narrator): Promise<void> {
  const key = `demo-private-${run}`;
  const secret = `ID 11010519491231002X of demo ${run}`;
  n.step(`Platform1 stores personal data in its private collection ${PRIVATE_COLLECTION}`);
  await as(home, 'platform1', 'app', async (c) => {
    await c.contract('smoke').submit('PutPrivate', {
      arguments: [PRIVATE_COLLECTION, key],
      transientData: { value: secret },
    });
  });
  n.say('the value travelled in the transient map, never in the transaction arguments');
  for (const org of ['platform1', 'registry', 'platform2']) {
    const answer = await as(home, org, 'app', async (c) => {
      try {
        return `reads it back: "${utf8.decode(await c.contract('smoke').evaluateTransaction('GetPrivate', PRIVATE_COLLECTION, key))}"`;
      } catch (error) {
        return `is refused (${toCrowdLedgerError(error).code}): not a member of the collection`;
      }
    });
    n.say(`${org.padEnd(10)} ${answer}`);
  }
  const scan = await scanBlockFiles(home, [secret, key]);
  n.step('Scanning every block file on every peer and orderer');
  n.say(`${String(scan.files)} block files: the private value appears in ${String(scan.hits[0])} of them`);
  n.say(`the transaction that stored it, which names only its key, is in ${String(scan.hits[1])}`);
}

async function holderCertificate(home: string, run: string, n: Narrator): Promise<void> {
  const assetId = `A-DEMO-${run}`;
  const holderId = `U-DEMO-${run}`;
  n.step(`The registry's asset-certificate CA issues ${holderId} a certificate for asset ${assetId}`);
  const out = await mkdtemp(join(tmpdir(), 'crowdledger-demo-holder-'));
  const { stdout } = await promisify(execFile)('bash', [
    networkScript('holder.sh'),
    'platform1',
    assetId,
    holderId,
    out,
  ]);
  const holder = JSON.parse(stdout) as IdentityFileOptions;
  const view = await as(
    home,
    'registry',
    holder,
    async (c) =>
      JSON.parse(utf8.decode(await c.contract('identity').evaluateTransaction('WhoAmI'))) as {
        issuer: string;
        holder: { assetId: string; holderId: string } | null;
      },
  );
  n.say(`signed by ${view.issuer}`);
  n.say(
    view.holder === null
      ? 'the chaincode did NOT recognise the holder'
      : `the chaincode recognises a holder of ${view.holder.assetId}: ${view.holder.holderId}`,
  );
}

async function as<T>(
  home: string,
  org: string,
  identity: string | IdentityFileOptions,
  use: (c: Connection) => Promise<T>,
): Promise<T> {
  const connection = await connect({ profilePath: join(home, 'profiles', `${org}.json`), identity }).catch(
    (cause: unknown) => {
      throw new CliError(
        `cannot connect as ${org}: is the network up? (${toCrowdLedgerError(cause).message})`,
      );
    },
  );
  try {
    return await use(connection);
  } finally {
    connection.close();
  }
}

async function scanBlockFiles(
  home: string,
  needles: readonly string[],
): Promise<{ files: number; hits: number[] }> {
  const nodes = join(home, 'nodes');
  const files = (await readdir(nodes, { recursive: true })).filter((f) => /(^|\/)blockfile_\d+$/.test(f));
  const hits = needles.map(() => 0);
  for (const file of files) {
    const bytes = await readFile(join(nodes, file));
    needles.forEach((needle, i) => {
      if (bytes.includes(Buffer.from(needle))) {
        hits[i] = (hits[i] ?? 0) + 1;
      }
    });
  }
  return { files: files.length, hits };
}
