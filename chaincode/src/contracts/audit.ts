import { HISTORY_KINDS, type HistoryKind } from '@crowdledger/protocol';
import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { ChaincodeError } from '../values/errors';
import { assetKey, holdingKey } from '../ledger/assets';
import { certificateKey } from '../ledger/certificates';
import { listingKey } from '../ledger/listings';
import { offerKey } from '../ledger/offers';
import { historyOf, type Modified } from '../ledger/query';
import { tradeKey } from '../ledger/trades';
import { userKey } from '../ledger/users';
import { assetCodec } from '../model/asset';
import { certificateRecordCodec } from '../model/certificate-record';
import { holdingCodec } from '../model/holding';
import { listingCodec } from '../model/listing';
import { offerCodec } from '../model/offer';
import { tradeCodec } from '../model/trade';
import { HistoryEntry } from '../model/history-entry';
import { userCodec } from '../model/user';
import { requireOneOf } from '../values/guards';
import {
  requireAssetId,
  requireListingId,
  requireOfferId,
  requireTradeId,
  requireUserId,
} from '../values/ids';
import type { HolderKey } from '../model/caller';
import { requirePublicReader } from '../rules/identity';
import { CrowdLedgerContract } from './base';
import { currentCaller } from '../steps/caller';

type Stub = Context['stub'];

/** Compliance reads over the whole register (R14). */
@Info({ title: 'audit', description: 'Record histories for compliance' })
export class AuditContract extends CrowdLedgerContract {
  constructor() {
    super('audit');
  }

  /**
   * Every committed version of one record, newest first. id is a user ID,
   * an asset ID, a listing, offer or trade ID, or "assetId/userId" for a
   * holding or certificate.
   */
  @Transaction(false)
  @Returns('HistoryEntry[]')
  async History(ctx: Context, kind: string, id: string): Promise<HistoryEntry[]> {
    requirePublicReader(await currentCaller(ctx));
    const entries = await historyFor(ctx.stub, requireOneOf(kind, 'kind', HISTORY_KINDS), id);
    return entries.map((entry) => new HistoryEntry(entry.txId, entry.timestamp, entry.isDelete, entry.value));
  }
}

async function historyFor(stub: Stub, kind: HistoryKind, id: string): Promise<Modified<unknown>[]> {
  switch (kind) {
    case 'user':
      return historyOf(stub, userKey(stub, requireUserId(id, 'id')), userCodec);
    case 'asset':
      return historyOf(stub, assetKey(stub, requireAssetId(id, 'id')), assetCodec);
    case 'holding': {
      const ref = pairId(id, kind);
      return historyOf(stub, holdingKey(stub, ref.assetId, ref.holderId), holdingCodec);
    }
    case 'certificate': {
      const ref = pairId(id, kind);
      return historyOf(stub, certificateKey(stub, ref.assetId, ref.holderId), certificateRecordCodec);
    }
    case 'listing':
      return historyOf(stub, listingKey(stub, requireListingId(id, 'id')), listingCodec);
    case 'offer':
      return historyOf(stub, offerKey(stub, requireOfferId(id, 'id')), offerCodec);
    case 'trade':
      return historyOf(stub, tradeKey(stub, requireTradeId(id, 'id')), tradeCodec);
  }
}

function pairId(id: string, kind: HistoryKind): HolderKey {
  const parts = typeof id === 'string' ? id.split('/') : [];
  if (parts.length !== 2) {
    throw new ChaincodeError('INVALID_ARGUMENT', `id for kind ${kind} must be assetId/userId`);
  }
  return {
    assetId: requireAssetId(parts[0], 'id (asset part)'),
    holderId: requireUserId(parts[1], 'id (user part)'),
  };
}
