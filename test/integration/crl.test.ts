import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { holderEnrollmentId, openAssetCa, toCrowdLedgerError } from '../../client/src';
import { eventually, profilePath, runCli, runScript, uniqueSuffix, utf8, withConnection } from './support';

interface HolderFiles {
  readonly cert: string;
  readonly key: string;
}

const assetId = `A-crl-${uniqueSuffix()}`;
const holderId = `U-crl-${uniqueSuffix()}`;

async function whoAmI(holder: HolderFiles): Promise<string> {
  return withConnection('registry', holder, async (c) => {
    const view = JSON.parse(utf8.decode(await c.contract('identity').evaluateTransaction('WhoAmI'))) as {
      holder: { holderId: string } | null;
    };
    return view.holder?.holderId ?? 'not a holder';
  });
}

describe('a revoked holder certificate, once the CRL is in the channel', () => {
  it('is refused by the peers themselves, not just by the chaincode', async () => {
    const out = await mkdtemp(join(tmpdir(), 'crowdledger-crl-'));
    const { stdout } = await runScript('holder.sh', ['platform1', assetId, holderId, out]);
    const holder = JSON.parse(stdout) as HolderFiles;
    expect(await whoAmI(holder)).toBe(holderId);

    const ca = await openAssetCa(profilePath('platform1'));
    const revocation = await ca.revoke({
      enrollmentId: holderEnrollmentId(assetId, holderId),
      reason: 'keycompromise',
      genCrl: true,
    });
    expect(revocation.revokedSerials.length).toBe(1);
    // Until the CRL reaches the channel configuration the peers still accept it.
    expect(await whoAmI(holder)).toBe(holderId);

    const published = await runCli(['network', 'publish-crl']);
    expect(published.stderr).toContain('published');

    // The update is a config block: each peer applies it when it commits it.
    const refusal = await eventually(async () => {
      const answer = await whoAmI(holder).then(
        () => 'accepted',
        (error: unknown) => toCrowdLedgerError(error),
      );
      expect(answer).not.toBe('accepted');
      return answer;
    });
    // The peer refused the creator before any chaincode ran: no CrowdLedger code.
    expect(JSON.stringify(refusal)).not.toMatch(/CERTIFICATE_INVALID|FORBIDDEN/);
    expect((refusal as Error).message).toMatch(/error validating proposal: access denied/);
  });
});
