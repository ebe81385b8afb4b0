// Holders are no channel identities (DESIGN §2, R4, R13): every way a holder
// certificate could reach the channel itself is tried here as an attacker
// would, and each is refused with nothing written. A holder reads through a
// relay instead; the relayed query's refusals come after. Then issuance no
// other platform can block (R3).
import { execFile } from 'node:child_process';
import { createHash, createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as grpc from '@grpc/grpc-js';
import { common, msp, orderer } from '@hyperledger/fabric-protos';
import {
  CrowdLedger,
  type CrowdLedgerClient,
  type IssuedCertificate,
  openAssetCa,
  signHolderQuery,
  type SignedHolderQuery,
  toCrowdLedgerError,
} from '../../client/src';
import { x509 } from '../../client/src/ca/x509';
import { holderQueryBytes, type HolderQueryRequest } from '../../protocol/src';
import { signLowS } from '../../cli/src/ledger/envelope';
import {
  failureCode,
  networkHome,
  newPerson,
  profilePath,
  repoDir,
  runCli,
  uniqueSuffix,
  withClient,
  withConnection,
} from './support';
import { fundAsset } from '../support/assets';

const run = promisify(execFile);
const suffix = uniqueSuffix();
const CHANNEL = 'crowdledger';

interface Layout {
  readonly orgs: readonly {
    readonly key: string;
    readonly dir: string;
    readonly ca: { readonly dir: string };
    readonly orderers: readonly { readonly host: string; readonly port: number }[];
    readonly peers: readonly { readonly host: string; readonly port: number; readonly dir: string }[];
  }[];
}

let layout: Layout;
let dir: string;
let platform1: CrowdLedgerClient;
let platform2: CrowdLedgerClient;
let registry: CrowdLedgerClient;
let assetId = '';
let otherAssetId = '';
const ids: Record<'li' | 'bob' | 'erin' | 'dan', string> = { li: '', bob: '', erin: '', dan: '' };
const certs: Partial<Record<'li' | 'bob', IssuedCertificate>> = {};

function org(key: string): Layout['orgs'][number] {
  const found = layout.orgs.find((o) => o.key === key);
  if (found === undefined) {
    throw new Error(`no org ${key} in the layout`);
  }
  return found;
}

function cert(name: 'li' | 'bob'): IssuedCertificate {
  const issued = certs[name];
  if (issued === undefined) {
    throw new Error(`no certificate for ${name}`);
  }
  return issued;
}

const holderOf = (c: IssuedCertificate) => ({ certificate: c.certificatePem, privateKey: c.privateKeyPem });

async function height(): Promise<bigint> {
  return registry.chainHeight();
}

beforeAll(async () => {
  layout = JSON.parse(await readFile(join(networkHome(), 'layout.json'), 'utf8')) as Layout;
  dir = await mkdtemp(join(tmpdir(), 'crowdledger-holders-it-'));
  platform1 = await CrowdLedger.connect({ profile: profilePath('platform1'), identity: 'app' });
  platform2 = await CrowdLedger.connect({ profile: profilePath('platform2'), identity: 'app' });
  registry = await CrowdLedger.connect({ profile: profilePath('registry'), identity: 'auditor' });
  for (const name of ['li', 'bob', 'erin', 'dan'] as const) {
    ids[name] = (await platform1.users.register(newPerson(`holders-${name}`))).userId;
  }
  const asset = (ref: string, holders: { userId: string; units: number }[]) => ({
    assetRef: ref,
    attributes: {
      name: `持有人测试 ${ref}`,
      category: 'FUND' as const,
      description: 'holders are no channel identities',
      currency: 'CNY',
      documents: [],
    },
    rights: {
      voting: { enabled: true, votesPerUnit: 1 },
      dividend: { enabled: false, policy: '' },
      otherTerms: [],
    },
    totalUnits: holders.reduce((sum, h) => sum + h.units, 0),
    holders,
  });
  assetId = (
    await platform1.assets.register(
      asset(`holders-${suffix}`, [
        { userId: ids.li, units: 500 },
        { userId: ids.bob, units: 300 },
        { userId: ids.erin, units: 100 },
        { userId: ids.dan, units: 100 },
      ]),
    )
  ).assetId;
  otherAssetId = (
    await platform1.assets.register(asset(`holders-other-${suffix}`, [{ userId: ids.li, units: 7 }]))
  ).assetId;
  certs.li = await platform1.certificates.issue(assetId, ids.li, { personalAttributes: false });
  certs.bob = await platform1.certificates.issue(assetId, ids.bob, { personalAttributes: false });
});

afterAll(async () => {
  platform1.close();
  platform2.close();
  registry.close();
  await rm(dir, { recursive: true, force: true });
});

/** Li's certificate and key as a local MSP folder the peer CLI signs with. */
async function holderMsp(): Promise<string> {
  const folder = join(dir, 'li-msp');
  await mkdir(join(folder, 'signcerts'), { recursive: true });
  await mkdir(join(folder, 'keystore'), { recursive: true });
  await mkdir(join(folder, 'cacerts'), { recursive: true });
  await writeFile(join(folder, 'signcerts', 'cert.pem'), cert('li').certificatePem);
  await writeFile(join(folder, 'keystore', 'key.pem'), cert('li').privateKeyPem, { mode: 0o600 });
  await writeFile(
    join(folder, 'cacerts', 'assetca.pem'),
    await readFile(join(org('registry').dir, 'assetca-cert.pem')),
  );
  const ou = (name: string): string =>
    `  ${name}OUIdentifier:\n    OrganizationalUnitIdentifier: ${name.toLowerCase()}\n`;
  await writeFile(
    join(folder, 'config.yaml'),
    `NodeOUs:\n  Enable: true\n${ou('Client')}${ou('Peer')}${ou('Admin')}${ou('Orderer')}`,
  );
  return folder;
}

/** `peer channel fetch newest` signed as the holder, from a peer (no -o) or an orderer; all it printed. */
async function fetchAsHolder(
  mspId: string,
  from: 'peer' | 'orderer',
): Promise<{ out: string; file: string }> {
  const registryOrg = org('registry');
  const peer = registryOrg.peers[0];
  const ord = registryOrg.orderers[0];
  if (peer === undefined || ord === undefined) {
    throw new Error('the registry has no peer or orderer');
  }
  const file = join(dir, `fetched-${mspId}-${from}.block`);
  const tlsRoot = join(registryOrg.dir, 'tlsca-cert.pem');
  const target =
    from === 'orderer' ? ['-o', `${ord.host}:${String(ord.port)}`, '--tls', '--cafile', tlsRoot] : [];
  const env = {
    ...process.env,
    FABRIC_CFG_PATH: join(networkHome(), 'config'),
    CORE_PEER_LOCALMSPID: mspId,
    CORE_PEER_MSPCONFIGPATH: await holderMsp(),
    CORE_PEER_ADDRESS: `${peer.host}:${String(peer.port)}`,
    CORE_PEER_TLS_ENABLED: 'true',
    CORE_PEER_TLS_ROOTCERT_FILE: tlsRoot,
  };
  const args = ['channel', 'fetch', 'newest', file, '-c', CHANNEL, ...target];
  try {
    const { stdout, stderr } = await run(
      'bash',
      ['-c', '. network/lib/common.sh && peer "$@"', 'peer', ...args],
      {
        cwd: repoDir,
        env,
      },
    );
    return { out: `${stdout}${stderr}`, file };
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    return { out: `${stdout}${stderr}`, file };
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** An ENDORSER_TRANSACTION envelope signed by the holder, straight to orderer0's Broadcast. */
async function broadcastAsHolder(mspId: string): Promise<{ status: string; info: string; txId: string }> {
  const ord = org('registry').orderers[0];
  if (ord === undefined) {
    throw new Error('no orderer');
  }
  const txId = randomBytes(32).toString('hex');
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.ENDORSER_TRANSACTION);
  channelHeader.setChannelId(CHANNEL);
  channelHeader.setTxId(txId);
  const creator = new msp.SerializedIdentity();
  creator.setMspid(mspId);
  creator.setIdBytes(Buffer.from(cert('li').certificatePem));
  const signatureHeader = new common.SignatureHeader();
  signatureHeader.setCreator(creator.serializeBinary());
  signatureHeader.setNonce(randomBytes(24));
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  header.setSignatureHeader(signatureHeader.serializeBinary());
  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(Buffer.from('a holder writing to the ledger'));
  const payloadBytes = payload.serializeBinary();
  const envelope = new common.Envelope();
  envelope.setPayload(payloadBytes);
  envelope.setSignature(signLowS(createPrivateKey(cert('li').privateKeyPem), payloadBytes));

  const credentials = grpc.credentials.createSsl(await readFile(join(org('registry').dir, 'tlsca-cert.pem')));
  const client = new orderer.AtomicBroadcastClient(`${ord.host}:${String(ord.port)}`, credentials, {
    'grpc.ssl_target_name_override': 'orderer0.registry',
  });
  try {
    const call: grpc.ClientDuplexStream<common.Envelope, orderer.BroadcastResponse> = client.broadcast();
    call.write(envelope);
    for await (const response of call as AsyncIterable<orderer.BroadcastResponse>) {
      call.end();
      const name = Object.entries(common.Status).find(([, code]) => code === response.getStatus())?.[0];
      return { status: name ?? String(response.getStatus()), info: response.getInfo(), txId };
    }
    throw new Error('the orderer closed the stream without an answer');
  } finally {
    client.close();
  }
}

describe('a holder certificate is no channel identity', () => {
  it.each(['RegistryMSP', 'Platform1MSP'])(
    'gets no block from a peer: peer channel fetch signed as the holder under %s is FORBIDDEN',
    async (mspId) => {
      const { out, file } = await fetchAsHolder(mspId, 'peer');
      expect(out).toContain("can't read the block: &{FORBIDDEN}");
      expect(await exists(file)).toBe(false);
      // Why, in the peer's own words: the asset CA is no authority of any channel MSP.
      const log = await readFile(join(org('registry').peers[0]?.dir ?? '', 'node.log'), 'utf8');
      const cn = cert('li').enrollmentId;
      expect(log).toMatch(new RegExp(`x509: certificate signed by unknown authority.*CN=${cn}`));
    },
  );

  it.each(['RegistryMSP', 'Platform1MSP'])(
    'gets no block from an orderer: peer channel fetch -o signed as the holder under %s is FORBIDDEN',
    async (mspId) => {
      const { out, file } = await fetchAsHolder(mspId, 'orderer');
      expect(out).toContain("can't read the block: &{FORBIDDEN}");
      expect(await exists(file)).toBe(false);
    },
  );

  it('has its envelope refused by the orderer, and nothing is ordered', async () => {
    const before = await height();
    const answer = await broadcastAsHolder('RegistryMSP');
    expect(answer.status).toBe('FORBIDDEN');
    expect(answer.info).toMatch(/permission denied|not authorized|Writers/i);
    // Several batch timeouts later the chain has not grown and the transaction is nowhere.
    await new Promise((done) => setTimeout(done, 1_500));
    expect(await height()).toBe(before);
    const lookup = await withConnection('registry', 'auditor', (c) =>
      failureCode(
        c.network.getContract('qscc').evaluateTransaction('GetTransactionByID', CHANNEL, answer.txId),
      ),
    );
    expect(lookup).not.toBe('');
  });

  it.each(['registry', 'platform1'] as const)(
    'cannot call a peer itself: an evaluate signed as the holder through %s is refused before any chaincode runs',
    async (through) => {
      const files = { cert: join(dir, 'li.cert.pem'), key: join(dir, 'li.key.pem') };
      await writeFile(files.cert, cert('li').certificatePem);
      await writeFile(files.key, cert('li').privateKeyPem, { mode: 0o600 });
      const refusal = await withConnection(through, files, (c) =>
        c
          .contract('certificates')
          .evaluateTransaction('Get', assetId, ids.li)
          .then(
            () => 'ACCEPTED',
            (error: unknown) => toCrowdLedgerError(error),
          ),
      );
      expect(refusal).not.toBe('ACCEPTED');
      expect((refusal as Error).message).toMatch(/access denied|creator org unknown|unknown authority/i);
      // No CrowdLedger code: the chaincode never saw the call.
      expect(JSON.stringify(refusal)).not.toMatch(/FORBIDDEN:|CERTIFICATE_/);
    },
  );
});

describe("a holder's query, relayed (R4)", () => {
  it.each(['platform1', 'platform2', 'registry'] as const)(
    "answers through %s with the holder's own asset and holding, and never another holder's",
    async (relay) => {
      const client = { platform1, platform2, registry }[relay];
      const view = await client.certificates.query(holderOf(cert('li')));
      expect(view.asset.assetId).toBe(assetId);
      expect(view.holding).toMatchObject({ units: 500, certificateSerial: cert('li').record.serial });
      const text = JSON.stringify(view);
      for (const other of [ids.bob, ids.erin, ids.dan, cert('bob').record.serial]) {
        expect(text).not.toContain(other);
      }
      expect(text).not.toMatch(/"units":300/);
      const bob = await client.certificates.query(holderOf(cert('bob')));
      expect(bob.holding).toMatchObject({ units: 300, certificateSerial: cert('bob').record.serial });
      expect(JSON.stringify(bob)).not.toContain(ids.li);
    },
  );

  it("refuses a request for another asset than the certificate's (QUERY_REQUEST_INVALID)", async () => {
    const signed = await signHolderQuery(holderOf(cert('li')));
    // Signed honestly, by the holder, but for an asset her certificate is not for.
    const other = signRequest(cert('li'), { ...signed.request, assetId: otherAssetId });
    expect(await failureCode(platform2.certificates.relayQuery(other))).toBe('QUERY_REQUEST_INVALID');
  });

  it('refuses a stale request (QUERY_REQUEST_STALE)', async () => {
    const old = await signHolderQuery(holderOf(cert('li')), { at: new Date(Date.now() - 6 * 60_000) });
    expect(await failureCode(platform2.certificates.relayQuery(old))).toBe('QUERY_REQUEST_STALE');
  });

  it('refuses a forged request: signed with another key, or altered by the relay (QUERY_SIGNATURE_INVALID)', async () => {
    // Li's certificate (certificates are shown to verifiers), Bob's key.
    const signed = await signHolderQuery(holderOf(cert('li')));
    const forged = signRequest(cert('bob'), signed.request, cert('li').certificatePem);
    expect(await failureCode(platform2.certificates.relayQuery(forged))).toBe('QUERY_SIGNATURE_INVALID');
    const altered = { ...signed, request: { ...signed.request, nonce: 'f'.repeat(32) } };
    expect(await failureCode(platform1.certificates.relayQuery(altered))).toBe('QUERY_SIGNATURE_INVALID');
  });

  it('refuses a revoked certificate from the block that revoked it, through every relay (CERTIFICATE_REVOKED)', async () => {
    const bob = holderOf(cert('bob'));
    await platform1.certificates.revoke(assetId, ids.bob, 'key lost');
    for (const relay of [platform1, platform2, registry]) {
      expect(await failureCode(relay.certificates.query(bob))).toBe('CERTIFICATE_REVOKED');
    }
  });

  it('refuses an expired certificate (CERTIFICATE_EXPIRED)', async () => {
    // A certificate the asset CA signs valid for 15 s, recorded for Erin's holding while valid.
    const expiring = await shortLivedCertificate(ids.erin, 15_000);
    await platform1.certificates.record(assetId, ids.erin, expiring.certificate);
    expect((await platform2.certificates.query(expiring)).holding.units).toBe(100);
    await new Promise((done) =>
      setTimeout(done, Math.max(0, expiring.notAfter.getTime() - Date.now() + 2_000)),
    );
    expect(await failureCode(platform2.certificates.query(expiring))).toBe('CERTIFICATE_EXPIRED');
  });

  it('writes nothing: the chain does not grow through any of the refusals', async () => {
    const before = await height();
    const stale = await signHolderQuery(holderOf(cert('li')), { at: new Date(Date.now() - 60 * 60_000) });
    await failureCode(platform2.certificates.relayQuery(stale));
    await failureCode(platform2.certificates.query(holderOf(cert('bob'))));
    await platform2.certificates.query(holderOf(cert('li')));
    await new Promise((done) => setTimeout(done, 1_000));
    expect(await height()).toBe(before);
  });
});

/** A request signed by `signer`'s key, presented with `certificatePem` (the signer's own unless given). */
function signRequest(
  signer: IssuedCertificate,
  request: HolderQueryRequest,
  certificatePem = signer.certificatePem,
): SignedHolderQuery {
  const key = createPrivateKey(signer.privateKeyPem);
  return { certificatePem, request, signature: signLowS(key, holderQueryBytes(request)).toString('base64') };
}

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** A holder certificate signed with the asset CA's own key, valid from a minute ago for `ms`. */
async function shortLivedCertificate(
  holderId: string,
  ms: number,
): Promise<{ certificate: string; privateKey: string; notAfter: Date }> {
  const caDir = join(org('registry').ca.dir, 'assetca', 'msp', 'keystore');
  const [keyFile] = (await readdir(caDir)).filter((f) => f.endsWith('_sk'));
  const caKeyPem = await readFile(join(caDir, keyFile ?? ''), 'utf8');
  const caKey = await webcrypto.subtle.importKey(
    'pkcs8',
    createPrivateKey(caKeyPem).export({ type: 'pkcs8', format: 'der' }),
    ALG,
    false,
    ['sign'],
  );
  const caCert = new x509.X509Certificate(
    await readFile(join(org('registry').dir, 'assetca-cert.pem'), 'utf8'),
  );
  const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const notAfter = new Date(Date.now() + ms);
  const attrs = { 'crowdledger.asset': assetId, 'crowdledger.holder': holderId };
  const enrollmentId = `holder-${createHash('sha1').update(`${holderId}-${suffix}`).digest('hex')}`;
  const issued = await x509.X509CertificateGenerator.create({
    serialNumber: randomBytes(16).toString('hex'),
    subject: `CN=${enrollmentId}`,
    issuer: caCert.subjectName,
    notBefore: new Date(Date.now() - 60_000),
    notAfter,
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.Extension('1.2.3.4.5.6.7.8.1', false, Buffer.from(JSON.stringify({ attrs }))),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return {
    certificate: issued.toString('pem'),
    privateKey: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'),
    notAfter,
  };
}

describe('issuance no other platform can block (R3)', () => {
  it("issues Platform1's holder although Platform2's registrar took every name it could work out", async () => {
    const platform2Ca = await openAssetCa(profilePath('platform2'));
    // The IDs the old scheme used, from public ledger data alone, each generation a squatter could guess.
    const digest = createHash('sha256').update(`${assetId}/${ids.dan}`).digest('hex').slice(0, 40);
    // The third differs from the first in its last digit (a fixed '0' equals it one time in 16).
    const lastDigit = digest.endsWith('0') ? '1' : '0';
    const squatted = [`holder-${digest}`, `holder-${digest}-2`, `holder-${digest.slice(0, 39)}${lastDigit}`];
    for (const enrollmentId of squatted) {
      await platform2Ca.register({
        enrollmentId,
        affiliation: 'platform2',
        type: 'client',
        attrs: [],
        maxEnrollments: 1,
      });
    }
    const issued = await platform1.certificates.issue(assetId, ids.dan, { personalAttributes: false });
    expect(issued.record).toMatchObject({ status: 'ACTIVE', enrollmentId: issued.enrollmentId });
    expect(squatted).not.toContain(issued.enrollmentId);
    expect(issued.enrollmentId).toMatch(/^holder-[0-9a-f]{40}$/);
    expect((await platform2.certificates.query(holderOf(issued))).holding.units).toBe(100);
  });

  it('reports a failing holding with its reason, issues the others, and retries it on the next run', async () => {
    const [stuck, fine] = [
      (await platform1.users.register(newPerson('holders-stuck'))).userId,
      (await platform1.users.register(newPerson('holders-fine'))).userId,
    ];
    const due = await platform1.assets.register(
      fundAsset(
        `holders-due-${suffix}`,
        [
          { userId: stuck, units: 10 },
          { userId: fine, units: 10 },
        ],
        { name: '发证失败测试', description: 'one failing holding' },
      ),
    );
    const start = (await platform1.chainHeight()) - 1n;
    const out = join(dir, 'issued');
    // A file where the stuck holder's folder must go: writing the key fails for that holding only.
    await mkdir(join(out, due.assetId), { recursive: true });
    await writeFile(join(out, due.assetId, stuck), 'in the way');
    const checkpoint = join(dir, 'platform1.checkpoint');
    const args = [
      'certificates',
      'issue-due',
      '--org',
      'platform1',
      '--out',
      out,
      '--checkpoint',
      checkpoint,
    ];
    const first = await runCli([...args, '--start-block', String(start), '--json']).then(
      () => {
        throw new Error('issue-due should exit non-zero with a failed holding');
      },
      (error: unknown) => error as { code: number; stdout: string; stderr: string },
    );
    expect(first.code).toBe(1);
    const report = JSON.parse(first.stdout) as {
      issued: { holderId: string }[];
      failed: { holderId: string; action: string; attempts: number; error: string }[];
    };
    expect(report.issued.map((i) => i.holderId)).toEqual([fine]);
    expect(report.failed).toEqual([
      expect.objectContaining({ action: 'issue', assetId: due.assetId, holderId: stuck, attempts: 1 }),
    ]);
    expect(report.failed[0]?.error).toMatch(/writing it to .* failed/);
    expect(first.stderr).toContain('1 holding failed');
    const table = await withClient('platform1', (c) => c.assets.capTable(due.assetId));
    const states = table.holders.map(({ holding }) => [holding.userId, holding.certificate]);
    expect(states).toEqual(
      expect.arrayContaining([
        [stuck, 'DUE'],
        [fine, 'ISSUED'],
      ]),
    );

    await rm(join(out, due.assetId, stuck));
    const second = JSON.parse((await runCli([...args, '--json'])).stdout) as {
      issued: { holderId: string }[];
      failed: unknown[];
      recovered: number;
    };
    expect(second.issued.map((i) => i.holderId)).toEqual([stuck]);
    expect(second).toMatchObject({ failed: [], recovered: 1 });
  });
});
