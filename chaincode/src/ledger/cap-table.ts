import { KeyPrefix } from '@crowdledger/protocol';
import type { Context } from 'fabric-contract-api';
import { CapTableEntry } from '../model/cap-table';
import { type CertificateRecord, certificateRecordCodec } from '../model/certificate-record';
import type { Holding } from '../model/holding';
import type { PageRequest } from '../values/paging';
import { holdingsPage } from './assets';
import { certificateKey } from './certificates';
import { type PageResult, pagePartial } from './query';

type Stub = Context['stub'];

/**
 * One page of an asset's cap table with each holder's certificate record.
 * Holdings and certificate records share their key order (asset, then
 * holder), so the records are read as a second range scan beside the page
 * and merged by holder: a page of a thousand holders costs a couple of
 * range reads, not a thousand gets.
 */
export async function capTablePage(
  stub: Stub,
  assetId: string,
  request: PageRequest,
): Promise<PageResult<CapTableEntry>> {
  const page = await holdingsPage(stub, assetId, request);
  const first = page.records[0];
  const last = page.records.at(-1);
  const records =
    first === undefined || last === undefined
      ? new Map<string, CertificateRecord>()
      : await certificatesBetween(
          stub,
          assetId,
          { first: first.userId, last: last.userId },
          request.pageSize,
        );
  return { ...page, records: page.records.map((holding) => entryOf(holding, records)) };
}

function entryOf(holding: Holding, records: ReadonlyMap<string, CertificateRecord>): CapTableEntry {
  const certificate = records.get(holding.userId);
  return new CapTableEntry(certificate === undefined ? { holding } : { holding, certificate });
}

/**
 * The asset's certificate records of holders first…last. A paged scan starts
 * at its bookmark, so the first page starts at the first holder's key; the
 * records of holders who sold out lie between too, so it reads on until it
 * passes the last holder.
 */
async function certificatesBetween(
  stub: Stub,
  assetId: string,
  holders: { readonly first: string; readonly last: string },
  pageSize: number,
): Promise<Map<string, CertificateRecord>> {
  const found = new Map<string, CertificateRecord>();
  let bookmark = certificateKey(stub, assetId, holders.first);
  while (bookmark !== '') {
    const page = await pagePartial(
      stub,
      KeyPrefix.certificate,
      [assetId],
      { pageSize, bookmark },
      certificateRecordCodec,
    );
    for (const record of page.records) {
      if (record.holderId > holders.last) {
        return found;
      }
      found.set(record.holderId, record);
    }
    bookmark = page.bookmark;
  }
  return found;
}
