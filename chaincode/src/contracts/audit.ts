import { HISTORY_KINDS, type HistoryKind } from '@crowdledger/protocol';
import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { ChaincodeError } from '../values/errors';
import { assetKey, holdingKey } from '../ledger/assets';
import { certificateKey } from '../ledger/certificates';
import { listingKey } from '../ledger/listings';
import { offerKey } from '../ledger/offers';
import { historyPage, type Modified, type PageResult } from '../ledger/query';
import { tradeKey } from '../ledger/trades';
import { userKey } from '../ledger/users';
import { assetCodec } from '../model/asset';
import { certificateRecordCodec } from '../model/certificate-record';
import { holdingCodec } from '../model/holding';
import { listingCodec } from '../model/listing';
import { offerCodec } from '../model/offer';
import { tradeCodec } from '../model/trade';
import { HistoryEntry, HistoryPage } from '../model/history-entry';
import { userCodec } from '../model/user';
import type { Codec } from '../values/codec';
import { requireOneOf } from '../values/guards';
import { requirePageRequest } from '../values/paging';
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
   * Every committed version of one record, newest first, one page at a
   * time like every other list. id is a user ID, an asset ID, a listing,
   * offer or trade ID, or "assetId/userId" for a holding or certificate.
   */
  @Transaction(false)
  @Returns('HistoryPage')
  async History(
    ctx: Context,
    kind: string,
    id: string,
    pageSize: string,
    bookmark: string,
  ): Promise<HistoryPage> {
    requirePublicReader(await currentCaller(ctx));
    const page = await historyFor(ctx.stub, requireOneOf(kind, 'kind', HISTORY_KINDS), id, {
      pageSize,
      bookmark,
    });
    const entries = page.records.map(
      (entry) => new HistoryEntry(entry.txId, entry.timestamp, entry.isDelete, entry.value),
    );
    return new HistoryPage(entries, page.bookmark, page.fetched);
  }
}

async function historyFor(
  stub: Stub,
  kind: HistoryKind,
  id: string,
  page: { readonly pageSize: string; readonly bookmark: string },
): Promise<PageResult<Modified<unknown>>> {
  const request = requirePageRequest(page.pageSize, page.bookmark);
  const read = <T>(key: string, codec: Codec<T>): Promise<PageResult<Modified<unknown>>> =>
    historyPage(stub, key, codec, request);
  switch (kind) {
    case 'user':
      return read(userKey(stub, requireUserId(id, 'id')), userCodec);
    case 'asset':
      return read(assetKey(stub, requireAssetId(id, 'id')), assetCodec);
    case 'holding': {
      const ref = pairId(id, kind);
      return read(holdingKey(stub, ref.assetId, ref.holderId), holdingCodec);
    }
    case 'certificate': {
      const ref = pairId(id, kind);
      return read(certificateKey(stub, ref.assetId, ref.holderId), certificateRecordCodec);
    }
    case 'listing':
      return read(listingKey(stub, requireListingId(id, 'id')), listingCodec);
    case 'offer':
      return read(offerKey(stub, requireOfferId(id, 'id')), offerCodec);
    case 'trade':
      return read(tradeKey(stub, requireTradeId(id, 'id')), tradeCodec);
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
