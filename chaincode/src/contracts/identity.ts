import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { putAssetCertificateAuthority, storedAssetCa } from '../ledger/config';
import { txTime } from '../ledger/state';
import { AssetCertificateAuthority } from '../model/asset-certificate-authority';
import { CallerView } from '../model/caller-view';
import { distinguishedName, parseCertificate, requireCaCertificate } from '../values/certificates';
import { describeCaller, requireRegistryAdmin, requireSeparateAssetCa } from '../rules/identity';
import { CrowdLedgerContract } from './base';
import { callerFacts } from '../ledger/caller';

/** Who is calling, and which CA issues holders' asset certificates. */
@Info({ title: 'identity', description: 'Caller roles and the asset-certificate CA' })
export class IdentityContract extends CrowdLedgerContract {
  constructor() {
    super('identity');
  }

  /** Replaces the asset CA; holders' certificates and queries are checked against it from the next block on. */
  @Transaction()
  @Returns('AssetCertificateAuthority')
  async SetAssetCertificateAuthority(ctx: Context, pem: string): Promise<AssetCertificateAuthority> {
    const facts = callerFacts(ctx);
    const caller = describeCaller(facts, await storedAssetCa(ctx));
    requireRegistryAdmin(caller);
    const at = txTime(ctx.stub);
    const ca = requireCaCertificate(
      parseCertificate(pem, 'asset CA certificate'),
      at,
      'asset CA certificate',
    );
    requireSeparateAssetCa(facts, ca);
    const record = new AssetCertificateAuthority({
      pem: ca.toString(),
      fingerprint256: ca.fingerprint256,
      subject: distinguishedName(ca.subject),
      validTo: ca.validToDate.toISOString(),
      setAt: at.toISOString(),
      setBy: caller.subject,
    });
    await putAssetCertificateAuthority(ctx.stub, record);
    return record;
  }

  @Transaction(false)
  @Returns('CallerView')
  async WhoAmI(ctx: Context): Promise<CallerView> {
    return new CallerView(describeCaller(callerFacts(ctx), await storedAssetCa(ctx)));
  }
}
