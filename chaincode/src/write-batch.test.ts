/*
 * The write batch as the front door uses it, with a stand-in for fabric-shim's
 * connection to the peer that keeps the messages it is asked to send. The
 * integration suites prove the peer takes them: every write of every test
 * against the network goes through one.
 */
import 'fabric-shim';
import { peer } from '@hyperledger/fabric-protos';
import type { ChaincodeStub } from 'fabric-shim';
import { CrowdLedgerChaincode } from './chaincode';
import { FakeStub } from './testing/fake-context';
import { makeTestPki } from './testing/pki';
import { HOLDER_CERTS } from './testing/world';
import { batchPayload, collectWrites } from './write-batch';

interface Sent {
  readonly type: number;
  readonly txId: string;
  readonly channelId: string;
  readonly records: peer.WriteRecord.AsObject[];
}

interface SentMessage {
  getType(): number;
  getTxid(): string;
  getChannelId(): string;
  getPayload_asU8(): Uint8Array;
}

/** A stub with fabric-shim's connection: every message it sends is kept, and the peer's answer is `answer`. */
function connectedStub(answer: () => Promise<unknown> = () => Promise.resolve(Buffer.alloc(0))) {
  const sent: Sent[] = [];
  const stub = new FakeStub();
  Object.assign(stub, {
    channel_id: 'crowdledger',
    txId: 'tx9',
    handler: {
      _askPeerAndListen: (message: SentMessage, method: string) => {
        expect(method).toBe('WriteBatchState');
        const batch = peer.WriteBatchState.deserializeBinary(message.getPayload_asU8());
        sent.push({
          type: message.getType(),
          txId: message.getTxid(),
          channelId: message.getChannelId(),
          records: batch.getRecList().map((record) => record.toObject()),
        });
        return answer();
      },
    },
  });
  return { stub, sent };
}

const text = (value: string): string => Buffer.from(value).toString('base64');

describe('collectWrites', () => {
  it('keeps every write in its order and sends them in one WRITE_BATCH_STATE message', async () => {
    const { stub, sent } = connectedStub();
    const shimStub = stub as unknown as ChaincodeStub;
    const batch = collectWrites(shimStub);
    expect(batch).toBeDefined();
    await shimStub.putState('a', Buffer.from('1'));
    await shimStub.putPrivateData('Platform1MSPPrivate', 'p', Buffer.from('张三'));
    await shimStub.deleteState('b');
    await shimStub.putState('a', Buffer.from('2'));
    await shimStub.deletePrivateData('Platform1MSPPrivate', 'q');
    // Nothing reached the peer or the stub's own state before the flush.
    expect(sent).toEqual([]);
    expect(stub.writes).toEqual([]);
    await batch?.flush();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      // ChaincodeMessage.Type.WRITE_BATCH_STATE; the enum here is fabric-shim's older one (see write-batch.ts).
      type: 24,
      txId: 'tx9',
      channelId: 'crowdledger',
    });
    const PUT = peer.WriteRecord.Type.PUT_STATE;
    const DEL = peer.WriteRecord.Type.DEL_STATE;
    expect(sent[0]?.records).toEqual([
      { key: 'a', value: text('1'), collection: '', type: PUT },
      { key: 'p', value: text('张三'), collection: 'Platform1MSPPrivate', type: PUT },
      { key: 'b', value: '', collection: '', type: DEL },
      { key: 'a', value: text('2'), collection: '', type: PUT },
      { key: 'q', value: '', collection: 'Platform1MSPPrivate', type: DEL },
    ]);
    // A second flush has nothing left to send.
    await batch?.flush();
    expect(sent).toHaveLength(1);
  });

  it('sends a write of no bytes as the delete the peer would make of it, and refuses what fabric-shim refuses', async () => {
    const { stub, sent } = connectedStub();
    const batch = collectWrites(stub as unknown as ChaincodeStub);
    await stub.putState('gone', new Uint8Array());
    expect(() => stub.putPrivateData('Platform1MSPPrivate', 'k', new Uint8Array())).not.toThrow();
    await expect(Promise.resolve().then(() => stub.putState('', Buffer.from('x')))).rejects.toThrow(
      'key must be a valid string',
    );
    await batch?.flush();
    expect(sent[0]?.records.map((r) => [r.key, r.type])).toEqual([
      ['gone', peer.WriteRecord.Type.DEL_STATE],
      ['k', peer.WriteRecord.Type.DEL_STATE],
    ]);
  });

  it('leaves a stub with no peer connection (the unit tests’ own) writing as before', () => {
    expect(collectWrites(new FakeStub() as unknown as ChaincodeStub)).toBeUndefined();
  });

  it('sends no message for a transaction that wrote nothing', async () => {
    const { stub, sent } = connectedStub();
    await collectWrites(stub as unknown as ChaincodeStub)?.flush();
    expect(sent).toEqual([]);
  });
});

describe('batchPayload', () => {
  it('is a WriteBatchState fabric-protos 0.3 reads back field for field', () => {
    const bytes = batchPayload([
      { collection: 'c', key: '\u0000user\u0000U1\u0000', value: Buffer.from('{}') },
    ]);
    expect(peer.WriteBatchState.deserializeBinary(bytes).toObject()).toEqual({
      recList: [
        {
          key: '\u0000user\u0000U1\u0000',
          value: text('{}'),
          collection: 'c',
          type: peer.WriteRecord.Type.PUT_STATE,
        },
      ],
    });
  });
});

describe('the front door with a peer connection', () => {
  const pki = makeTestPki(HOLDER_CERTS);
  const chaincode = new CrowdLedgerChaincode();

  function call(stub: FakeStub, ...args: string[]) {
    stub.args = args;
    stub.fcn = args[0] ?? '';
    stub.creator = { mspid: 'RegistryMSP', idBytes: Buffer.from(pki.registryUser, 'utf8') };
    return chaincode.Invoke(stub as unknown as ChaincodeStub);
  }

  it("sends a successful transaction's writes once, after the contract", async () => {
    const { stub, sent } = connectedStub();
    const response = await call(stub, 'identity:SetAssetCertificateAuthority', pki.assetCa);
    expect(response.status).toBe(200);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.records.length).toBeGreaterThan(0);
  });

  it('sends nothing for a refused transaction: an attacker with a platform identity setting the asset CA', async () => {
    const { stub, sent } = connectedStub();
    stub.creator = { mspid: 'Platform1MSP', idBytes: Buffer.from(pki.platformUser, 'utf8') };
    stub.args = ['identity:SetAssetCertificateAuthority', pki.assetCa];
    stub.fcn = stub.args[0] ?? '';
    const response = await chaincode.Invoke(stub as unknown as ChaincodeStub);
    expect(response.status).toBe(500);
    expect(response.message).toMatch(/^FORBIDDEN: /);
    expect(sent).toEqual([]);
  });

  it("fails the transaction with the peer's sentence when the peer refuses the batch", async () => {
    const { stub } = connectedStub(() => Promise.reject(new Error('collection Nope not defined')));
    const response = await call(stub, 'identity:SetAssetCertificateAuthority', pki.assetCa);
    expect(response).toMatchObject({ status: 500, message: 'collection Nope not defined' });
  });
});
