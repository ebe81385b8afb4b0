// What a block did to the world state: the public writes of its valid
// transactions, decoded from the block as a peer delivers it.
import { common, ledger, peer } from '@hyperledger/fabric-protos';
import { ClientErrorCode, CrowdLedgerError } from '../errors';

/** One key a transaction wrote, or deleted. */
export interface KeyWrite {
  /** The state key: a simple key, or a composite key starting with U+0000. */
  readonly key: string;
  /** Empty for a delete. */
  readonly value: Uint8Array;
  /** True when the transaction deleted the key rather than writing it. */
  readonly isDelete: boolean;
}

/** The public writes of one valid transaction to one chaincode, in the order the transaction made them. */
export interface TransactionWrites {
  /** The transaction's ID, from its channel header. */
  readonly txId: string;
  /** Its writes to the namespace asked for. */
  readonly writes: readonly KeyWrite[];
}

/** Which writes to decode. */
export interface WriteFilter {
  /** The chaincode whose public key space is wanted (e.g. `crowdledger`). */
  readonly namespace: string;
  /**
   * Only transactions whose envelope bytes contain these bytes. Every key a
   * transaction writes is in its envelope verbatim, so filtering on an ID
   * found in the keys wanted loses nothing and skips decoding the rest.
   */
  readonly mentioning?: Uint8Array;
}

const FLAGS = common.BlockMetadataIndex.TRANSACTIONS_FILTER;
const VALID = peer.TxValidationCode.VALID;
const ENDORSER_TRANSACTION = common.HeaderType.ENDORSER_TRANSACTION;

/** A block's number as a bigint (the protos hold it as a JS number). */
export function blockNumberOf(block: common.Block): bigint {
  return BigInt(block.getHeader()?.getNumber() ?? -1);
}

function badBlock(block: common.Block, what: string, cause?: unknown): CrowdLedgerError {
  const sentence = `block ${blockNumberOf(block).toString()} ${what}`;
  return new CrowdLedgerError(ClientErrorCode.badResponse, sentence, { cause });
}

/**
 * The peer's validation code for each transaction (metadata
 * TRANSACTIONS_FILTER): the only record of which transactions were invalid,
 * since an invalid one stays in the block with its write set.
 */
export function validationFlags(block: common.Block): Uint8Array {
  const count = block.getData()?.getDataList().length ?? 0;
  const flags = block.getMetadata()?.getMetadataList_asU8()[FLAGS];
  if (flags?.length !== count) {
    throw badBlock(
      block,
      `has validation flags for ${String(flags?.length ?? 0)} of its ${String(count)} transactions`,
    );
  }
  return flags;
}

/**
 * The writes to `filter.namespace` of every VALID endorser transaction in the
 * block, in block order. Config transactions carry no write set; invalid
 * ones changed nothing and are skipped. Private data appear only as hashes
 * and are left out.
 */
export function* validWrites(block: common.Block, filter: WriteFilter): Generator<TransactionWrites> {
  const flags = validationFlags(block);
  const envelopes = block.getData()?.getDataList_asU8() ?? [];
  for (const [index, bytes] of envelopes.entries()) {
    if (flags[index] !== VALID || !mentions(bytes, filter.mentioning)) {
      continue;
    }
    let decoded: TransactionWrites | undefined;
    try {
      decoded = endorserWrites(bytes, filter.namespace);
    } catch (cause) {
      throw badBlock(block, `holds transaction ${String(index)}, which is not readable`, cause);
    }
    if (decoded !== undefined) {
      yield decoded;
    }
  }
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function mentions(bytes: Uint8Array, needle: Uint8Array | undefined): boolean {
  return needle === undefined || asBuffer(bytes).includes(asBuffer(needle));
}

/** Envelope → payload → header type and tx ID → the writes; undefined for anything but an endorser transaction. */
function endorserWrites(envelopeBytes: Uint8Array, namespace: string): TransactionWrites | undefined {
  const envelope = common.Envelope.deserializeBinary(envelopeBytes);
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  const header = common.ChannelHeader.deserializeBinary(
    payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array(),
  );
  if (header.getType() !== ENDORSER_TRANSACTION) {
    return undefined;
  }
  const transaction = peer.Transaction.deserializeBinary(payload.getData_asU8());
  const writes = transaction.getActionsList().flatMap((action) => actionWrites(action, namespace));
  return { txId: header.getTxId(), writes };
}

/** Action → endorsed proposal response → chaincode action → read-write set → this namespace's writes. */
function actionWrites(action: peer.TransactionAction, namespace: string): KeyWrite[] {
  const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
  const responseBytes = actionPayload.getAction()?.getProposalResponsePayload_asU8() ?? new Uint8Array();
  const response = peer.ProposalResponsePayload.deserializeBinary(responseBytes);
  const chaincodeAction = peer.ChaincodeAction.deserializeBinary(response.getExtension_asU8());
  const rwset = ledger.rwset.TxReadWriteSet.deserializeBinary(chaincodeAction.getResults_asU8());
  return rwset
    .getNsRwsetList()
    .filter((ns) => ns.getNamespace() === namespace)
    .flatMap((ns) => ledger.rwset.kvrwset.KVRWSet.deserializeBinary(ns.getRwset_asU8()).getWritesList())
    .map((write) => ({ key: write.getKey(), value: write.getValue_asU8(), isDelete: write.getIsDelete() }));
}
