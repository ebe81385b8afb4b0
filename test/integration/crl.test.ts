// A compromised identity of an organisation — here a second application
// certificate of Platform1 — is shut out of the channel: revoked at the org's
// CA and its CRL written into Platform1MSP (`crowdledger network publish-crl`),
// after which every peer refuses it before any chaincode runs. Holders'
// certificates never need this: they are in no channel MSP at all.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { toCrowdLedgerError } from '../../client/src';
import { eventually, networkHome, repoDir, runCli, uniqueSuffix, utf8, withConnection } from './support';

const run = promisify(execFile);
const enrollmentId = `app-${uniqueSuffix()}.platform1`;

interface Files {
  readonly cert: string;
  readonly key: string;
}

let dir: string;
let stolen: Files;

async function caClient(args: readonly string[]): Promise<void> {
  await run('bash', ['-c', '. network/lib/common.sh && fabric-ca-client "$@"', 'fabric-ca-client', ...args], {
    cwd: repoDir,
  });
}

/** A second Platform1 application identity (role platform), as a thief would hold it. */
async function enrollSecondApp(): Promise<Files> {
  const layout = JSON.parse(await readFile(join(networkHome(), 'layout.json'), 'utf8')) as {
    orgs: { key: string; dir: string; ca: { host: string; port: number } }[];
  };
  const platform1 = layout.orgs.find((o) => o.key === 'platform1');
  if (platform1 === undefined) {
    throw new Error('no platform1 in the layout');
  }
  const url = `${platform1.ca.host}:${String(platform1.ca.port)}`;
  const tls = ['--tls.certfiles', join(platform1.dir, 'tlsca-cert.pem')];
  const secret = randomBytes(16).toString('hex');
  await caClient([
    'register',
    '-u',
    `https://${url}`,
    '--caname',
    'ca',
    '-H',
    join(platform1.dir, 'registrars', 'ca'),
    ...tls,
    '--id.name',
    enrollmentId,
    '--id.secret',
    secret,
    '--id.type',
    'client',
    '--id.affiliation',
    'platform1',
    '--id.attrs',
    'crowdledger.role=platform:ecert',
  ]);
  const home = join(dir, 'second-app');
  await caClient([
    'enroll',
    '-u',
    `https://${enrollmentId}:${secret}@${url}`,
    '--caname',
    'ca',
    '-H',
    home,
    ...tls,
  ]);
  const keystore = join(home, 'msp', 'keystore');
  const [key] = await readdir(keystore);
  return { cert: join(home, 'msp', 'signcerts', 'cert.pem'), key: join(keystore, key ?? '') };
}

async function whoAmI(identity: string | Files): Promise<string> {
  return withConnection('platform1', identity, async (c) => {
    const view = JSON.parse(utf8.decode(await c.contract('identity').evaluateTransaction('WhoAmI'))) as {
      role: string | null;
    };
    return view.role ?? 'none';
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crowdledger-crl-'));
  stolen = await enrollSecondApp();
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("a compromised identity of a platform, once its CA's CRL is in the channel", () => {
  it('works before, and is refused by the peers themselves after, while the platform goes on', async () => {
    expect(await whoAmI(stolen)).toBe('platform');

    const published = await runCli(['network', 'publish-crl', 'platform1', enrollmentId]);
    expect(published.stderr).toContain('published');

    // The update is a config block: each peer applies it when it commits it.
    const refusal = await eventually(async () => {
      const answer = await whoAmI(stolen).then(
        () => 'accepted',
        (error: unknown) => toCrowdLedgerError(error),
      );
      expect(answer).not.toBe('accepted');
      return answer;
    });
    // The peer refused the creator before any chaincode ran: no CrowdLedger code.
    expect(JSON.stringify(refusal)).not.toMatch(/CERTIFICATE_|FORBIDDEN:/);
    expect((refusal as Error).message).toMatch(/access denied/);

    // A write is refused at endorsement too, and the platform's own application still works.
    const write = await withConnection('platform1', stolen, (c) =>
      c
        .contract('identity')
        .submit('WhoAmI')
        .then(
          () => 'ACCEPTED',
          (error: unknown) => toCrowdLedgerError(error),
        ),
    );
    expect(write).toMatchObject({ stage: 'endorse' });
    expect(await whoAmI('app')).toBe('platform');
  });

  it('is a no-op when run again with nothing new revoked', async () => {
    const again = await runCli(['network', 'publish-crl', 'platform1']);
    expect(again.stderr).toContain('the channel already holds these revocations');
  });
});
