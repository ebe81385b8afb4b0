// A holder lost the key of their asset certificate, as an operator handles it
// with the CLI: `certificates issue --reissue` revokes the certificate on
// record before the new one is issued, says what it replaced and that the
// registry must publish the CRL; the old certificate then gets nothing and
// the new one reads the holding, through whichever platform relays it.
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CrowdLedger, REISSUE_REASON } from '../../client/src';
import { profilePath, residentId, tryCli, uniqueSuffix } from './support';
import { fundAsset } from '../support/assets';

const suffix = uniqueSuffix();

interface View {
  readonly holding: { readonly units: number; readonly certificateSerial: string };
}

let work = '';
let assetId = '';
let holderId = '';
let firstSerial = '';
let secondSerial = '';

const out = (): string => join(work, 'certificates');
const folder = (): string => join(out(), assetId, holderId);
const lost = (): string => join(work, 'lost');

async function query(dir: string, org?: string): Promise<View> {
  const result = await tryCli([
    'certificates',
    'query',
    dir,
    '--json',
    ...(org === undefined ? [] : ['--org', org]),
  ]);
  expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
  return JSON.parse(result.stdout) as View;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'crowdledger-cli-reissue-'));
  const sdk = await CrowdLedger.connect({ profile: profilePath('platform1'), identity: 'app' });
  try {
    holderId = (
      await sdk.users.register({
        platformRef: `cli-reissue-holder-${suffix}`,
        name: `补发${suffix}`,
        idType: 'RESIDENT_ID',
        idNumber: residentId(),
      })
    ).userId;
    assetId = (
      await sdk.assets.register(
        fundAsset(`cli-reissue-${suffix}`, [{ userId: holderId, units: 50 }], {
          name: '命令行补发测试',
          description: '丢失私钥后用命令行补发',
        }),
      )
    ).assetId;
  } finally {
    sdk.close();
  }
  const issued = await tryCli([
    'certificates',
    'issue',
    assetId,
    holderId,
    '--org',
    'platform1',
    '--out',
    out(),
    '--json',
  ]);
  expect(issued.code).toBe(0);
  firstSerial = (JSON.parse(issued.stdout) as { record: { serial: string } }).record.serial;
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('certificates query --org', () => {
  it("reads the holding as the holder through the registry's peer, or either platform's", async () => {
    for (const org of [undefined, 'platform1', 'platform2']) {
      expect((await query(folder(), org)).holding).toEqual(
        expect.objectContaining({ units: 50, certificateSerial: firstSerial }),
      );
    }
  });
});

describe('certificates issue --reissue', () => {
  it('is refused without --reissue while a certificate is on record, and leaves the files alone', async () => {
    const before = await readFile(join(folder(), 'cert.pem'), 'utf8');
    const again = await tryCli([
      'certificates',
      'issue',
      assetId,
      holderId,
      '--org',
      'platform1',
      '--out',
      out(),
    ]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('error: CERTIFICATE_NOT_DUE: ');
    expect(again.stdout).toBe('');
    expect(await readFile(join(folder(), 'cert.pem'), 'utf8')).toBe(before);
  });

  it('revokes the old certificate first, says which, and that every node refuses it now', async () => {
    await cp(folder(), lost(), { recursive: true });
    const result = await tryCli([
      ...['certificates', 'issue', assetId, holderId, '--org', 'platform1', '--out', out(), '--reissue'],
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `Replaced serial ${firstSerial}: revoked at the asset CA and on the ledger (${REISSUE_REASON})`,
    );
    expect(result.stdout).toContain('Every node refuses it from the revoking block on');
    secondSerial = /Issued \S+ the certificate of \S+: serial ([0-9A-Fa-f]+),/.exec(result.stdout)?.[1] ?? '';
    expect(secondSerial).not.toBe('');
    expect(secondSerial).not.toBe(firstSerial);
    expect(result.stderr).toMatch(/✓ revoking the certificate on record, then issuing the certificate of/);
  });

  it('gives the old certificate nothing, and the new one the holding through any relay', async () => {
    for (const org of ['registry', 'platform2']) {
      const old = await tryCli(['certificates', 'query', lost(), '--org', org]);
      expect(old.code).toBe(1);
      expect(old.stderr).toContain('error: CERTIFICATE_INVALID: ');
      expect(old.stdout).toBe('');
      expect((await query(folder(), org)).holding).toEqual(
        expect.objectContaining({ units: 50, certificateSerial: secondSerial }),
      );
    }
    const record = await tryCli(['certificates', 'show', assetId, holderId, '--json']);
    expect(JSON.parse(record.stdout)).toMatchObject({ serial: secondSerial, status: 'ACTIVE' });
  });

  it('puts the replaced record in --json output', async () => {
    const result = await tryCli([
      ...[
        'certificates',
        'issue',
        assetId,
        holderId,
        '--org',
        'platform1',
        '--out',
        out(),
        '--reissue',
        '--json',
      ],
    ]);
    expect(result.code).toBe(0);
    const issued = JSON.parse(result.stdout) as {
      record: { serial: string; status: string };
      replaced: { record: { serial: string; status: string }; newlyRevokedAtCa: boolean };
    };
    expect(issued.replaced).toMatchObject({
      record: { serial: secondSerial, status: 'REVOKED' },
      newlyRevokedAtCa: true,
    });
    expect(issued.record).toMatchObject({ status: 'ACTIVE' });
    expect(issued.record.serial).not.toBe(secondSerial);
    expect(result.stdout).not.toContain('PRIVATE KEY');
  });
});
