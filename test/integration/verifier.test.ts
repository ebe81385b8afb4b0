import { execFile } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ProposalOptions } from '@hyperledger/fabric-gateway';
import { common, gateway as gatewayProtos, ledger, peer } from '@hyperledger/fabric-protos';
import { signLowS } from '../../cli/src/ledger/envelope';
import { type Connection, loadProfile, type UserRegistration, userIdFor } from '../../client/src';
import {
  blockFilesContaining,
  eventually,
  newPerson,
  outcome,
  profilePath,
  referenceSecretOf,
  repoDir,
  runCli,
  stopNode,
  utf8,
  withClient,
  withConnection,
} from './support';

/**
 * R10/R11 end to end: `crowdledger ledger verify` on the live network, a byte
 * flipped in one peer's block file, and writes that skip a valid transaction.
 * Leaves the network as it found it: the tampered peer's block file is put
 * back and the peer restarted.
 */

const TAMPERED = 'peer0.platform2';
const ALL_NODES = [
  'orderer0.registry',
  'orderer1.registry',
  'orderer2.registry',
  'peer0.registry',
  'peer1.registry',
  'peer0.platform1',
  'peer0.platform2',
];

interface NodeJson {
  readonly name: string;
  readonly kind: string;
  readonly ok: boolean;
  readonly height: number;
  readonly lastHeaderHash: string | null;
  readonly firstBad: { readonly block: string; readonly reasons: readonly string[] } | null;
  readonly transactions: Readonly<Record<string, number>>;
}

interface ReportJson {
  readonly ok: boolean;
  readonly source: string;
  readonly nodes: readonly NodeJson[];
  readonly blocksChecked: number;
  readonly blocksPerSecond: number;
  readonly mismatchTotal: number;
}

interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const execFileAsync = promisify(execFile);

async function cli(args: readonly string[]): Promise<CliRun> {
  try {
    const { stdout, stderr } = await execFileAsync(
      process.execPath,
      [join(repoDir, 'cli', 'dist', 'main.js'), ...args],
      {
        env: process.env,
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: unknown; stderr?: unknown };
    if (typeof failed.code !== 'number') {
      throw error;
    }
    return { code: failed.code, stdout: String(failed.stdout), stderr: String(failed.stderr) };
  }
}

async function verifyJson(...args: string[]): Promise<{ code: number; report: ReportJson; stderr: string }> {
  const result = await cli(['ledger', 'verify', '--json', ...args]);
  return { code: result.code, report: JSON.parse(result.stdout) as ReportJson, stderr: result.stderr };
}

function node(report: ReportJson, name: string): NodeJson {
  const found = report.nodes.find((n) => n.name === name);
  if (found === undefined) {
    throw new Error(`report has no node ${name}`);
  }
  return found;
}

/** Platform2's reference secret, read once before any test. */
let platform2Secret = '';

beforeAll(async () => {
  platform2Secret = await referenceSecretOf('platform2');
});

/** users:Register as the SDK sends it from Platform2: everything personal only in the transient map. */
function registration(person: UserRegistration): ProposalOptions {
  const { name, idType, idNumber } = person;
  return {
    transientData: {
      reference: person.platformRef,
      referenceSecret: platform2Secret,
      user: JSON.stringify({ name, idType, idNumber }),
      salt: randomBytes(16).toString('hex'),
    },
  };
}

/** The user ID platform2 gets for the person: public, so it is in every copy of the block. */
function platform2UserId(person: UserRegistration): string {
  return userIdFor('Platform2MSP', platform2Secret, person.platformRef);
}

/** 'OK' when the user is on the ledger, else the code reading it fails with. */
async function userState(person: UserRegistration): Promise<string> {
  return withClient('platform2', (c) => outcome(c.users.get(platform2UserId(person))));
}

/**
 * Endorses a user's registration properly, then changes `from` to `to` in the
 * values of the endorsed read-write set and re-signs the envelope as its
 * creator: the peers' endorsements no longer cover what the transaction writes.
 */
async function submitWithForgedWrite(
  c: Connection,
  person: UserRegistration,
  from: string,
  to: string,
): Promise<number> {
  const transaction = await c.contract('users').newProposal('Register', registration(person)).endorse();
  const prepared = gatewayProtos.PreparedTransaction.deserializeBinary(transaction.getBytes());
  const envelope = prepared.getEnvelope() ?? new common.Envelope();
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  payload.setData(forgeWrite(payload.getData_asU8(), from, to));
  envelope.setPayload(payload.serializeBinary());
  prepared.setEnvelope(envelope);

  const identity = c.profile.identities['app'];
  if (identity === undefined) {
    throw new Error('profile has no app identity');
  }
  const signature = signLowS(createPrivateKey(await readFile(identity.key)), envelope.getPayload_asU8());
  const submitted = await c.gateway.newSignedTransaction(prepared.serializeBinary(), signature).submit();
  return (await submitted.getStatus()).code;
}

/** Transaction → first action → endorsed proposal response → chaincode action → rwset → write value. */
function forgeWrite(transactionBytes: Uint8Array, from: string, to: string): Uint8Array {
  const transaction = peer.Transaction.deserializeBinary(transactionBytes);
  const [action] = transaction.getActionsList();
  if (action === undefined) {
    throw new Error('transaction has no action');
  }
  const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
  const endorsed = actionPayload.getAction() ?? new peer.ChaincodeEndorsedAction();
  const response = peer.ProposalResponsePayload.deserializeBinary(endorsed.getProposalResponsePayload_asU8());
  const chaincodeAction = peer.ChaincodeAction.deserializeBinary(response.getExtension_asU8());
  const txRwSet = ledger.rwset.TxReadWriteSet.deserializeBinary(chaincodeAction.getResults_asU8());
  let changed = 0;
  for (const ns of txRwSet.getNsRwsetList()) {
    const kv = ledger.rwset.kvrwset.KVRWSet.deserializeBinary(ns.getRwset_asU8());
    for (const write of kv.getWritesList()) {
      const value = utf8.decode(write.getValue_asU8());
      if (value.includes(from)) {
        write.setValue(Buffer.from(value.replace(from, to)));
        changed += 1;
      }
    }
    ns.setRwset(kv.serializeBinary());
  }
  if (changed === 0) {
    throw new Error(`the endorsed write set holds no value with ${from}`);
  }
  chaincodeAction.setResults(txRwSet.serializeBinary());
  response.setExtension$(chaincodeAction.serializeBinary());
  endorsed.setProposalResponsePayload(response.serializeBinary());
  actionPayload.setAction(endorsed);
  action.setPayload(actionPayload.serializeBinary());
  return transaction.serializeBinary();
}

describe('ledger verify on the live network (R10, R11)', () => {
  const markerPerson = newPerson('verifier-marker');
  let marker = '';
  let markerBlock: bigint;

  beforeAll(async () => {
    marker = platform2UserId(markerPerson);
    await withConnection('platform2', 'app', async (c) => {
      const submitted = await c.contract('users').submitAsync('Register', registration(markerPerson));
      const status = await submitted.getStatus();
      expect(status.successful).toBe(true);
      markerBlock = status.blockNumber;
    });
    // Every node has the block before anything is read.
    const deadline = Date.now() + 15_000;
    while ((await blockFilesContaining(marker)).length < ALL_NODES.length && Date.now() < deadline) {
      await new Promise((done) => setTimeout(done, 200));
    }
  });

  it.each(['deliver', 'files'])('passes a clean chain on every peer and orderer (%s)', async (source) => {
    const { code, report, stderr } = await verifyJson(...(source === 'files' ? ['--from-files'] : []));
    // stderr carries nothing but progress lines (one per 1000 blocks on long chains).
    for (const line of stderr.split('\n').filter((l) => l !== '')) {
      expect(line).toMatch(
        new RegExp(
          `^verified up to block \\d+ on ${String(ALL_NODES.length)} nodes: \\d+ blocks, \\d+ blocks/s$`,
        ),
      );
    }
    expect(code).toBe(0);
    expect(report.ok).toBe(true);
    expect(report.source).toBe(source);
    expect(report.nodes.map((n) => n.name).sort()).toEqual([...ALL_NODES].sort());
    const heights = new Set(report.nodes.map((n) => n.height));
    expect(heights.size).toBe(1);
    expect([...heights][0]).toBeGreaterThan(Number(markerBlock));
    expect(new Set(report.nodes.map((n) => n.lastHeaderHash)).size).toBe(1);
    for (const n of report.nodes.filter((x) => x.kind === 'peer')) {
      expect(n.transactions['VALID']).toBeGreaterThan(0);
    }
    expect(report.mismatchTotal).toBe(0);
    expect(report.blocksPerSecond).toBeGreaterThan(0);
  });

  it('prints a readable report', async () => {
    const { code, stdout } = await cli(['ledger', 'verify', '--from-files']);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      new RegExp(`^Ledger crowdledger: ${String(ALL_NODES.length)} nodes, read from block files on disk`),
    );
    expect(stdout).toMatch(/peer0\.platform2 +peer +\d+ +\d+ +\d+ +ok/);
    expect(stdout).toMatch(/Checked \d+ blocks in [\d.]+ s \(\d+ blocks\/s\)\nResult: OK\n$/);
  });

  describe('changes outside a valid transaction are refused', () => {
    it('refuses a proposal signed with a key that does not match the certificate, writing nothing', async () => {
      const person = newPerson('forged-by-wrong-key');
      const dir = await mkdtemp(join(tmpdir(), 'verifier-key-'));
      try {
        const profile = await loadProfile(profilePath('platform2'));
        const cert = profile.identities['app']?.cert ?? '';
        const wrongKey = join(dir, 'key.pem');
        const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
        await writeFile(wrongKey, privateKey.export({ type: 'pkcs8', format: 'pem' }));
        const refusal = await withConnection('platform2', { cert, key: wrongKey }, async (c) =>
          c
            .contract('users')
            .submit('Register', registration(person))
            .then(
              () => 'accepted',
              (error: unknown) => JSON.stringify((error as { details?: unknown }).details ?? String(error)),
            ),
        );
        // The gateway peer checks the proposal's signature against the creator's certificate.
        expect(refusal).toMatch(/error validating proposal: access denied/);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      expect(await userState(person)).toBe('USER_NOT_FOUND');
    });

    it('marks a write endorsed by one platform alone invalid (the policy needs the registry too), writing nothing', async () => {
      const person = newPerson('endorsed-by-platform2-alone');
      const code = await withConnection('platform2', 'app', async (c) => {
        const proposal = c.contract('users').newProposal('Register', {
          ...registration(person),
          endorsingOrganizations: ['Platform2MSP'],
        });
        const submitted = await (await proposal.endorse()).submit();
        return (await submitted.getStatus()).code;
      });
      expect(code).toBe(peer.TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
      expect(await userState(person)).toBe('USER_NOT_FOUND');
    });

    it('marks a transaction whose endorsed write was altered invalid, writing nothing', async () => {
      // Platform2 tries to pass its user off as one of Platform1's after both endorsed it.
      const person = newPerson('forged-platform');
      const code = await withConnection('platform2', 'app', async (c) =>
        submitWithForgedWrite(c, person, '"platform":"Platform2MSP"', '"platform":"Platform1MSP"'),
      );
      expect(code).toBe(peer.TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
      expect(await userState(person)).toBe('USER_NOT_FOUND');

      // The refused transaction stays in its block, flagged on every peer: the chain itself is intact.
      const { code: exit, report } = await verifyJson('--from-files');
      expect(exit).toBe(0);
      for (const n of report.nodes.filter((x) => x.kind === 'peer')) {
        expect(n.transactions['ENDORSEMENT_POLICY_FAILURE']).toBeGreaterThanOrEqual(1);
      }
    });
  });

  describe(`a byte flipped in ${TAMPERED}'s block file`, () => {
    let blockFile: string;
    let saved: string | undefined;
    let backupDir: string | undefined;

    beforeAll(async () => {
      const files = (await blockFilesContaining(marker)).filter((f) => f.includes(`/nodes/${TAMPERED}/`));
      expect(files).toHaveLength(1);
      blockFile = files[0] ?? '';
      await stopNode(TAMPERED);
      backupDir = await mkdtemp(join(tmpdir(), 'verifier-backup-'));
      saved = join(backupDir, 'blockfile');
      await copyFile(blockFile, saved);
      const bytes = await readFile(blockFile);
      const at = bytes.indexOf(Buffer.from(marker));
      expect(at).toBeGreaterThan(0);
      bytes[at + marker.length - 1] = (bytes[at + marker.length - 1] ?? 0) ^ 0x01;
      await writeFile(blockFile, bytes);
    });

    afterAll(async () => {
      // Put the original back and bring the peer up again whatever happened above.
      if (saved !== undefined) {
        await copyFile(saved, blockFile);
      }
      if (backupDir !== undefined) {
        await rm(backupDir, { recursive: true, force: true });
      }
      // The CLI's up also waits until each platform's discovery sees the peer again.
      await runCli(['network', 'up']);
    }, 180_000);

    it('fails, naming that node and that block with the data hash mismatch', async () => {
      const { code, report } = await verifyJson('--from-files');
      expect(code).toBe(2);
      expect(report.ok).toBe(false);
      const bad = node(report, TAMPERED);
      expect(bad.ok).toBe(false);
      expect(bad.firstBad?.block).toBe(markerBlock.toString());
      expect(bad.firstBad?.reasons[0]).toMatch(
        /^data hash mismatch: header has [0-9a-f]{64}, data hashes to/,
      );
      for (const name of ALL_NODES.filter((n) => n !== TAMPERED)) {
        expect(node(report, name).ok).toBe(true);
      }
      const text = await cli(['ledger', 'verify', '--from-files']);
      expect(text.code).toBe(2);
      expect(text.stdout).toContain(`BAD at block ${markerBlock.toString()}: data hash mismatch`);
      expect(text.stdout).toMatch(
        new RegExp(`block ${markerBlock.toString()}: data content hash differs: .* on ${TAMPERED}`),
      );
      expect(text.stdout).toMatch(/Result: FAILED\n$/);
    });

    it('still passes the other nodes, over Deliver too', async () => {
      const others = ALL_NODES.filter((n) => n !== TAMPERED);
      const { code, report } = await verifyJson('--node', ...others);
      expect(code).toBe(0);
      expect(report.nodes.map((n) => n.name).sort()).toEqual([...others].sort());
    });

    it('reports the stopped node as unreachable over Deliver', async () => {
      const { code, report } = await verifyJson('--node', TAMPERED, 'peer0.registry');
      expect(code).toBe(2);
      expect(node(report, TAMPERED).firstBad?.reasons[0]).toMatch(/unreachable/);
    });
  });

  it('passes again once the block file is restored and the peer restarted', async () => {
    // The restarted peer catches up on the block up.sh's readiness check wrote.
    const report = await eventually(async () => {
      const result = await verifyJson();
      expect(result.code).toBe(0);
      return result.report;
    }, 30_000);
    expect(report.nodes).toHaveLength(ALL_NODES.length);
    expect(node(report, TAMPERED).ok).toBe(true);
  });
});
