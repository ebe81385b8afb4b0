import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { failureCode, networkHome, repoDir, runScript, uniqueSuffix, utf8, withConnection } from './support';

interface HolderFiles {
  readonly cert: string;
  readonly key: string;
}

interface CallerView {
  readonly mspId: string;
  readonly issuer: string;
  readonly role: string | null;
}

const assetId = `A${'a'.repeat(32)}`;
const holderId = `U${'b'.repeat(32)}`;
let holder: HolderFiles;

async function whoAmI(org: 'registry' | 'platform1', identity: string | HolderFiles): Promise<CallerView> {
  return withConnection(org, identity, async (c) => {
    const bytes = await c.contract('identity').evaluateTransaction('WhoAmI');
    return JSON.parse(utf8.decode(bytes)) as CallerView;
  });
}

beforeAll(async () => {
  const out = await mkdtemp(join(tmpdir(), 'crowdledger-holder-'));
  const { stdout } = await runScript('holder.sh', ['platform1', assetId, holderId, out]);
  holder = JSON.parse(stdout) as HolderFiles;
});

describe('roles from Fabric CA attributes', () => {
  it('sees a platform application as role platform of its own MSP', async () => {
    const view = await whoAmI('platform1', 'app');
    expect(view).toMatchObject({ mspId: 'Platform1MSP', role: 'platform' });
    expect(Object.keys(view)).not.toContain('holder');
  });

  it('sees the registry application as admin and its auditor as auditor', async () => {
    expect(await whoAmI('registry', 'app')).toMatchObject({ mspId: 'RegistryMSP', role: 'admin' });
    expect(await whoAmI('registry', 'auditor')).toMatchObject({ mspId: 'RegistryMSP', role: 'auditor' });
  });
});

describe('a holder certificate from the asset-certificate CA', () => {
  it.each(['registry', 'platform1'] as const)(
    'is no identity of %s: the peer refuses it before any chaincode runs',
    async (org) => {
      const refusal = await failureCode(whoAmI(org, holder));
      expect(refusal).not.toBe('');
      expect(['FORBIDDEN', 'CERTIFICATE_INVALID']).not.toContain(refusal);
    },
  );

  it('cannot act as the registry admin', async () => {
    const pem = await readFile(join(networkHome(), 'orgs', 'registry', 'assetca-cert.pem'), 'utf8');
    const code = await failureCode(
      withConnection('registry', holder, (c) =>
        c.contract('identity').submitTransaction('SetAssetCertificateAuthority', pem),
      ),
    );
    expect(['OK', 'FORBIDDEN']).not.toContain(code);
  });

  it('cannot be given a role: platform registrars may set only holder attributes', async () => {
    const layout = JSON.parse(await readFile(join(networkHome(), 'layout.json'), 'utf8')) as {
      orgs: { ca: { host: string; port: number } }[];
    };
    const ca = layout.orgs[0]?.ca;
    if (ca === undefined) {
      throw new Error('layout has no registry CA');
    }
    const registryDir = join(networkHome(), 'orgs', 'registry');
    // Through the project's own environment, so the pinned fabric-ca-client runs.
    const register = promisify(execFile)(
      'bash',
      [
        '-c',
        '. network/lib/common.sh && fabric-ca-client "$@"',
        'fabric-ca-client',
        'register',
        '-u',
        `https://${ca.host}:${String(ca.port)}`,
        '--caname',
        'assetca',
        '-H',
        join(registryDir, 'registrars', 'assetca-platform1'),
        '--tls.certfiles',
        join(registryDir, 'tlsca-cert.pem'),
        '--id.name',
        `rogue-${uniqueSuffix()}`,
        '--id.type',
        'client',
        '--id.affiliation',
        'platform1',
        '--id.attrs',
        'crowdledger.role=admin:ecert',
      ],
      { cwd: repoDir },
    );
    await expect(register).rejects.toThrow(/Error Code: 71|not authorized|cannot register/i);
  });
});
