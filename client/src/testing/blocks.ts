// Blocks built from protos the way a peer delivers them, for unit tests of
// the block readers. Left out of the build (tsconfig.build.json).
import { compositeKey } from '@crowdledger/protocol';
import { common, ledger, peer } from '@hyperledger/fabric-protos';

/** One write in a made-up transaction; `value` undefined means a delete. */
export interface MadeWrite {
  readonly key: string;
  readonly value?: string | Uint8Array;
}

/** One transaction of a made-up block. */
export interface MadeTransaction {
  readonly txId: string;
  /** peer.TxValidationCode; VALID (0) when absent. */
  readonly code?: number;
  /** ENDORSER_TRANSACTION when absent. */
  readonly type?: common.HeaderTypeMap[keyof common.HeaderTypeMap];
  /** Writes by namespace. */
  readonly writes?: Readonly<Record<string, readonly MadeWrite[]>>;
}

function kvWrite(write: MadeWrite): ledger.rwset.kvrwset.KVWrite {
  const kv = new ledger.rwset.kvrwset.KVWrite();
  kv.setKey(write.key);
  if (write.value === undefined) {
    kv.setIsDelete(true);
  } else {
    kv.setValue(typeof write.value === 'string' ? Buffer.from(write.value, 'utf8') : write.value);
  }
  return kv;
}

function readWriteSet(writes: Readonly<Record<string, readonly MadeWrite[]>>): Uint8Array {
  const rwset = new ledger.rwset.TxReadWriteSet();
  rwset.setDataModel(ledger.rwset.TxReadWriteSet.DataModel.KV);
  for (const [namespace, list] of Object.entries(writes)) {
    const kv = new ledger.rwset.kvrwset.KVRWSet();
    kv.setWritesList(list.map(kvWrite));
    const ns = new ledger.rwset.NsReadWriteSet();
    ns.setNamespace(namespace);
    ns.setRwset(kv.serializeBinary());
    rwset.addNsRwset(ns);
  }
  return rwset.serializeBinary();
}

/** Transaction → action → endorsed action → proposal response payload → chaincode action → rwset. */
function transactionBytes(writes: Readonly<Record<string, readonly MadeWrite[]>>): Uint8Array {
  const chaincodeAction = new peer.ChaincodeAction();
  chaincodeAction.setResults(readWriteSet(writes));
  const response = new peer.ProposalResponsePayload();
  response.setExtension$(chaincodeAction.serializeBinary());
  const endorsed = new peer.ChaincodeEndorsedAction();
  endorsed.setProposalResponsePayload(response.serializeBinary());
  const actionPayload = new peer.ChaincodeActionPayload();
  actionPayload.setAction(endorsed);
  const action = new peer.TransactionAction();
  action.setPayload(actionPayload.serializeBinary());
  const transaction = new peer.Transaction();
  transaction.setActionsList([action]);
  return transaction.serializeBinary();
}

function envelopeBytes(tx: MadeTransaction): Uint8Array {
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(tx.type ?? common.HeaderType.ENDORSER_TRANSACTION);
  channelHeader.setTxId(tx.txId);
  channelHeader.setChannelId('crowdledger');
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(transactionBytes(tx.writes ?? {}));
  const envelope = new common.Envelope();
  envelope.setPayload(payload.serializeBinary());
  return envelope.serializeBinary();
}

/** A block numbered `number` with the transactions and their validation flags; `flags` overrides them. */
export function madeBlock(number: number, txs: readonly MadeTransaction[], flags?: Uint8Array): common.Block {
  const header = new common.BlockHeader();
  header.setNumber(number);
  const data = new common.BlockData();
  data.setDataList(txs.map(envelopeBytes));
  const metadata = new common.BlockMetadata();
  const entries: Uint8Array[] = [
    new Uint8Array(),
    new Uint8Array(),
    new Uint8Array(),
    new Uint8Array(),
    new Uint8Array(),
  ];
  entries[common.BlockMetadataIndex.TRANSACTIONS_FILTER] =
    flags ?? Uint8Array.from(txs.map((tx) => tx.code ?? peer.TxValidationCode.VALID));
  metadata.setMetadataList(entries);
  const block = new common.Block();
  block.setHeader(header);
  block.setData(data);
  block.setMetadata(metadata);
  return block;
}

/** Fabric's composite key of the parts, object type first. */
export function ck(objectType: string, ...attributes: string[]): string {
  return compositeKey(objectType, attributes);
}
