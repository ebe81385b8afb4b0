import { execFileSync } from 'node:child_process';
import { createPublicKey, verify, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer, type Server } from 'node:https';
import { type AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authorityKeyId, normaliseSerial } from './certificate';
import { FabricCaClient } from './client';
import { isLowS } from './ecdsa';
import { caPackages } from './package';
import { CaErrorCode, isFabricCaError } from './errors';

/** What the fake Fabric CA saw of one request. */
interface Seen {
  readonly method: string;
  readonly url: string;
  readonly body: string;
  readonly authorization: string;
  /** For token auth: whether the signature verified against the token's own certificate. */
  readonly tokenValid: boolean | undefined;
}

type Reply = readonly [status: number, body: unknown];

const dir = mkdtempSync(join(tmpdir(), 'crowdledger-ca-client-'));
const seen: Seen[] = [];
let replies: Record<string, Reply> = {};
let server: Server;
/** TLS connections the fake CA accepted. */
let connections = 0;
let url: string;
let files: Record<'tlsRoot' | 'otherRoot' | 'registrarCert' | 'registrarKey', string>;

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
}

function read(name: string): string {
  return readFileSync(join(dir, name), 'utf8');
}

function makePki(): void {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'tls-ca.key',
    '-out',
    'tls-ca.pem',
    '-subj',
    '/CN=tlsca',
    '-days',
    '1',
  );
  openssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'other.key',
    '-out',
    'other.pem',
    '-subj',
    '/CN=other',
    '-days',
    '1',
  );
  openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=ca.test');
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName = IP:127.0.0.1\n');
  openssl(
    ...['x509', '-req', '-in', 'server.csr', '-CA', 'tls-ca.pem', '-CAkey', 'tls-ca.key', '-CAcreateserial'],
    ...['-days', '1', '-extfile', 'server.ext', '-out', 'server.pem'],
  );
  openssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'registrar.key',
    '-out',
    'registrar.pem',
    '-subj',
    '/CN=registrar.platform1',
  );
}

/**
 * What Fabric CA's token signature covers (fabric-ca util.VerifyToken):
 * `METHOD.b64(uri).b64(body).b64(certPem)`, the URI with its query.
 */
function tokenPayload(request: { method: string; uri: string; body: string; certPem: string }): string {
  const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
  return `${request.method}.${b64(request.uri)}.${b64(request.body)}.${b64(request.certPem)}`;
}

function checkToken(method: string, uri: string, body: string, header: string): boolean | undefined {
  const [cert, signature] = header.split('.');
  if (header.startsWith('Basic ') || cert === undefined || signature === undefined) {
    return undefined;
  }
  const certPem = Buffer.from(cert, 'base64').toString();
  const der = Buffer.from(signature, 'base64');
  const payload = Buffer.from(tokenPayload({ method, uri, body, certPem }));
  return isLowS(der) && verify('sha256', payload, { key: createPublicKey(certPem), dsaEncoding: 'der' }, der);
}

beforeAll(async () => {
  makePki();
  files = {
    tlsRoot: read('tls-ca.pem'),
    otherRoot: read('other.pem'),
    registrarCert: read('registrar.pem'),
    registrarKey: read('registrar.key'),
  };
  server = createServer({ key: read('server.key'), cert: read('server.pem') }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      const authorization = req.headers.authorization ?? '';
      const method = req.method ?? '';
      const reqUrl = req.url ?? '';
      seen.push({
        method,
        url: reqUrl,
        body,
        authorization,
        tokenValid: checkToken(method, reqUrl, body, authorization),
      });
      const reply = replies[`${method} ${reqUrl.split('?')[0] ?? ''}`];
      if (reply === undefined) {
        return; // never answer: the client's timeout must fire
      }
      res.writeHead(reply[0], { 'content-type': 'application/json' });
      res.end(typeof reply[1] === 'string' ? reply[1] : JSON.stringify(reply[1]));
    });
  });
  server.on('secureConnection', () => {
    connections += 1;
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  url = `https://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  seen.length = 0;
  replies = {};
});

function client(
  overrides: { tlsRootCert?: string; url?: string; timeoutMs?: number; agent?: Agent } = {},
): FabricCaClient {
  return new FabricCaClient({
    url: overrides.url ?? url,
    caName: 'assetca',
    tlsRootCert: overrides.tlsRootCert ?? files.tlsRoot,
    registrar: { certPem: files.registrarCert, keyPem: files.registrarKey },
    timeoutMs: overrides.timeoutMs ?? 2_000,
    ...(overrides.agent === undefined ? {} : { agent: overrides.agent }),
  });
}

const ok = (result: unknown): Reply => [200, { success: true, result, errors: [], messages: [] }];
const refused = (status: number, code: number, message: string): Reply => [
  status,
  { success: false, result: null, errors: [{ code, message }], messages: [] },
];
const b64 = (text: string): string => Buffer.from(text).toString('base64');

function last(): Seen {
  const entry = seen.at(-1);
  if (entry === undefined) {
    throw new Error('the fake CA saw no request');
  }
  return entry;
}

async function failure(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('FabricCaClient against a fake Fabric CA over TLS', () => {
  it('registers with a token Fabric CA can verify, and returns the secret', async () => {
    replies['POST /api/v1/register'] = ok({ secret: 'given' });
    const attrs = [{ name: 'crowdledger.asset', value: 'A-1', ecert: true }];
    const secret = await client().register({
      enrollmentId: 'holder.A-1.U-1',
      affiliation: 'platform1',
      type: 'client',
      attrs,
      maxEnrollments: 1,
    });
    expect(secret).toBe('given');
    // fabric-ca-client names the CA in the body of a POST, not in its URI.
    expect(last()).toMatchObject({ method: 'POST', url: '/api/v1/register', tokenValid: true });
    expect(JSON.parse(last().body)).toEqual({
      id: 'holder.A-1.U-1',
      type: 'client',
      affiliation: 'platform1',
      attrs,
      max_enrollments: 1,
      caname: 'assetca',
    });
  });

  it('enrolls with HTTP Basic auth and decodes the certificate and chain', async () => {
    replies['POST /api/v1/enroll'] = ok({
      Cert: b64('CERT PEM'),
      ServerInfo: { CAName: 'assetca', CAChain: b64('CHAIN PEM') },
    });
    const enrollment = await client().enroll({
      enrollmentId: 'holder.A-1.U-1',
      secret: 's:1',
      csr: 'CSR PEM',
    });
    expect(enrollment).toEqual({ certificatePem: 'CERT PEM', caChainPem: 'CHAIN PEM' });
    expect(last().authorization).toBe(`Basic ${b64('holder.A-1.U-1:s:1')}`);
    expect(JSON.parse(last().body)).toEqual({ certificate_request: 'CSR PEM', caname: 'assetca' });
  });

  it('revokes an enrollment ID and returns its serials and the new CRL', async () => {
    replies['POST /api/v1/revoke'] = ok({
      RevokedCerts: [
        { Serial: 'abc', AKI: 'f7' },
        { Serial: '697109334f0d', AKI: 'f7' },
      ],
      CRL: b64('-----BEGIN X509 CRL-----\n'),
    });
    const revocation = await client().revoke({
      enrollmentId: 'holder.A-1.U-1',
      reason: 'keycompromise',
      genCrl: true,
    });
    expect(revocation).toEqual({
      revokedSerials: ['0ABC', '697109334F0D'],
      crlPem: '-----BEGIN X509 CRL-----\n',
    });
    expect(last().tokenValid).toBe(true);
    expect(JSON.parse(last().body)).toEqual({
      id: 'holder.A-1.U-1',
      reason: 'keycompromise',
      gencrl: true,
      caname: 'assetca',
    });
  });

  it("revokes one certificate by serial, naming the CA's key as the registrar's certificate does", async () => {
    replies['POST /api/v1/revoke'] = ok({ RevokedCerts: [{ Serial: '0abc', AKI: 'f7' }] });
    const revocation = await client().revoke({ serial: '000ABC', reason: 'superseded', genCrl: false });
    expect(revocation).toEqual({ revokedSerials: ['0ABC'] });
    const body = JSON.parse(last().body) as Record<string, unknown>;
    expect(body).toMatchObject({ serial: 'abc', reason: 'superseded', gencrl: false, caname: 'assetca' });
    expect(body['aki']).toBe(authorityKeyId(files.registrarCert));
    expect(body['aki']).toMatch(/^[0-9a-f]{40}$/);
    expect(body).not.toHaveProperty('id');
  });

  it('lists the certificates of an enrollment ID with a signed query, reading serial and CN from each PEM', async () => {
    const pem = files.registrarCert;
    // Fabric CA streams {certs: [{PEM}], caname} inside its usual envelope.
    replies['GET /api/v1/certificates'] = ok({ certs: [{ PEM: pem }], caname: 'assetca' });
    const listed = await client().listCertificates({ enrollmentId: 'holder-1', notRevoked: true });
    expect(listed).toEqual([
      {
        serial: normaliseSerial(new X509Certificate(pem).serialNumber),
        certificatePem: pem,
        enrollmentId: 'registrar.platform1',
        revoked: false,
      },
    ]);
    expect(last()).toMatchObject({
      method: 'GET',
      url: '/api/v1/certificates?id=holder-1&notrevoked=true&ca=assetca',
      body: '',
      tokenValid: true,
    });
  });

  it("looks a serial up with this CA's AKI; without notRevoked, revocation is unknown", async () => {
    replies['GET /api/v1/certificates'] = ok({ certs: [{ PEM: files.registrarCert }], caname: 'assetca' });
    const [listed] = await client().listCertificates({ serial: '00:0A:BC' });
    expect(listed?.revoked).toBeUndefined();
    const aki = authorityKeyId(files.registrarCert);
    expect(last().url).toBe(`/api/v1/certificates?aki=${aki}&serial=abc&ca=assetca`);
  });

  it('lists nothing as an empty list, and refuses a query without a filter or with a non-certificate', async () => {
    replies['GET /api/v1/certificates'] = ok({ certs: [], caname: 'assetca' });
    expect(await client().listCertificates({ enrollmentId: 'holder-1' })).toEqual([]);
    const count = seen.length;
    expect(await failure(client().listCertificates({ notRevoked: true }))).toMatchObject({
      code: CaErrorCode.invalidRequest,
    });
    expect(seen.length).toBe(count);
    replies['GET /api/v1/certificates'] = ok({ certs: [{ PEM: 'not a PEM' }], caname: 'assetca' });
    expect(await failure(client().listCertificates({ enrollmentId: 'holder-1' }))).toMatchObject({
      code: CaErrorCode.badResponse,
    });
  });

  it('generates a CRL', async () => {
    replies['POST /api/v1/gencrl'] = ok({ CRL: b64('CRL PEM') });
    expect(await client().generateCrl()).toBe('CRL PEM');
    expect(last().tokenValid).toBe(true);
  });

  it('gets an identity, or undefined when Fabric CA has none (code 63)', async () => {
    replies['GET /api/v1/identities/holder.A-1.U-1'] = ok({
      id: 'holder.A-1.U-1',
      type: 'client',
      affiliation: 'platform1',
      attrs: [
        { name: 'crowdledger.asset', value: 'A-1', ecert: true },
        { name: 'x', value: 'y' },
      ],
      max_enrollments: 1,
      caname: 'assetca',
    });
    expect(await client().getIdentity('holder.A-1.U-1')).toEqual({
      id: 'holder.A-1.U-1',
      type: 'client',
      affiliation: 'platform1',
      attrs: [
        { name: 'crowdledger.asset', value: 'A-1', ecert: true },
        { name: 'x', value: 'y', ecert: false },
      ],
      maxEnrollments: 1,
    });
    expect(last()).toMatchObject({
      method: 'GET',
      url: '/api/v1/identities/holder.A-1.U-1?ca=assetca',
      body: '',
      tokenValid: true,
    });

    replies['GET /api/v1/identities/nobody'] = refused(
      404,
      63,
      'Failed to get User: sql: no rows in result set',
    );
    expect(await client().getIdentity('nobody')).toBeUndefined();
  });

  it('modifies an identity with PUT, sending only what changes', async () => {
    replies['PUT /api/v1/identities/holder.A-1.U-1'] = ok({ id: 'holder.A-1.U-1' });
    await client().modifyIdentity('holder.A-1.U-1', { secret: 'new', maxEnrollments: 2 });
    expect(last()).toMatchObject({ method: 'PUT', tokenValid: true });
    expect(JSON.parse(last().body)).toEqual({ secret: 'new', max_enrollments: 2, caname: 'assetca' });
  });

  it('maps a refusal to CA_REFUSED with Fabric CA code 71', async () => {
    replies['POST /api/v1/revoke'] = refused(401, 71, 'Authorization failure');
    const error = await failure(
      client().revoke({ enrollmentId: 'holder.A-1.U-1', reason: 'unspecified', genCrl: true }),
    );
    // fabric-ca-client keeps Fabric CA's envelope but drops the HTTP status.
    expect(isFabricCaError(error) && [error.code, error.caCode, error.httpStatus]).toEqual([
      CaErrorCode.refused,
      71,
      undefined,
    ]);
    expect((error as Error).message).toBe(
      'CA_REFUSED: Fabric CA refused revoke: Error Code: 71 - Authorization failure',
    );
  });

  it.each([
    ['a body that is not JSON', [502, '<html>502 Bad Gateway</html>'] as const, undefined],
    ['an empty body', [502, ''] as const, 502],
    ['JSON without a success flag', [200, '{"result":{}}'] as const, undefined],
    ['a JSON array', [200, '[]'] as const, undefined],
  ])('maps %s to CA_BAD_RESPONSE', async (_what, reply, httpStatus) => {
    replies['POST /api/v1/gencrl'] = reply;
    const error = await failure(client().generateCrl());
    expect(isFabricCaError(error) && [error.code, error.httpStatus]).toEqual([
      CaErrorCode.badResponse,
      httpStatus,
    ]);
    expect((error as Error).cause).toHaveProperty('message');
  });

  it('maps an enrollment answer without Cert to CA_BAD_RESPONSE', async () => {
    replies['POST /api/v1/enroll'] = ok({ ServerInfo: { CAChain: b64('CHAIN PEM') } });
    const error = await failure(client().enroll({ enrollmentId: 'holder-1', secret: 's', csr: 'CSR PEM' }));
    expect(isFabricCaError(error) && error.code).toBe(CaErrorCode.badResponse);
  });

  // elliptic ≤ 6.6.1 (CVE-2025-14505) can leak a key it signs with, and
  // jsrsasign 10 (the package's pin) draws randomness from Math.random():
  // the registrar's key must reach neither, whatever call is made.
  it("signs every token with node:crypto: elliptic and jsrsasign never see the registrar's key", async () => {
    const load = createRequire(require.resolve('fabric-common'));
    const elliptic = load('elliptic') as {
      ec: { prototype: { sign: () => unknown; keyFromPrivate: () => unknown } };
    };
    const jsrsasign = load('jsrsasign') as {
      KEYUTIL: { getKey: () => unknown; generateKeypair: () => unknown };
    };
    const spies = [
      jest.spyOn(elliptic.ec.prototype, 'sign'),
      jest.spyOn(elliptic.ec.prototype, 'keyFromPrivate'),
      jest.spyOn(jsrsasign.KEYUTIL, 'getKey'),
      jest.spyOn(jsrsasign.KEYUTIL, 'generateKeypair'),
    ];
    try {
      replies['POST /api/v1/register'] = ok({ secret: 'given' });
      replies['POST /api/v1/enroll'] = ok({ Cert: b64('CERT PEM'), ServerInfo: { CAChain: b64('CHAIN') } });
      replies['POST /api/v1/revoke'] = ok({ RevokedCerts: [] });
      replies['POST /api/v1/gencrl'] = ok({ CRL: b64('CRL PEM') });
      const ca = client();
      await ca.register({
        enrollmentId: 'holder-1',
        affiliation: 'p',
        type: 'client',
        attrs: [],
        maxEnrollments: 1,
      });
      await ca.enroll({ enrollmentId: 'holder-1', secret: 's', csr: 'CSR PEM' });
      await ca.revoke({ serial: '0A', reason: 'superseded', genCrl: false });
      await ca.generateCrl();
      expect(seen.filter((entry) => entry.tokenValid === true)).toHaveLength(3);
      for (const spy of spies) {
        expect(spy).not.toHaveBeenCalled();
      }
    } finally {
      for (const spy of spies) {
        spy.mockRestore();
      }
    }
  });

  it('never lets fabric-ca-client make a key: enroll without a CSR is refused before sending', async () => {
    // The package would make the key with jsrsasign 10, seeded from Math.random() in Node.
    for (const request of [
      { enrollmentId: 'holder-1', secret: 's', csr: '' },
      { enrollmentId: 'holder-1', secret: 's', csr: '  \n' },
      { enrollmentId: 'holder-1', secret: '', csr: 'CSR PEM' },
    ]) {
      expect(await failure(client().enroll(request))).toMatchObject({ code: CaErrorCode.invalidRequest });
    }
    expect(seen).toHaveLength(0);
  });

  it('signs the token over method, URI, body and certificate: it verifies for no other URI', async () => {
    replies['GET /api/v1/identities/holder-1'] = ok({ id: 'holder-1', type: 'client', affiliation: 'p' });
    await client().getIdentity('holder-1');
    const { method, url: uri, body, authorization } = last();
    expect(checkToken(method, uri, body, authorization)).toBe(true);
    expect(checkToken(method, '/api/v1/identities/admin?ca=assetca', body, authorization)).toBe(false);
    expect(checkToken('DELETE', uri, body, authorization)).toBe(false);
  });

  it('reuses one connection over many calls without piling listeners on it, and leaves the shared timeout as it was', async () => {
    replies['POST /api/v1/gencrl'] = ok({ CRL: b64('CRL PEM') });
    const { Utils } = caPackages().common;
    const before = Utils.getConfigSetting('connection-timeout');
    const agent = new Agent({ keepAlive: true });
    const opened = connections;
    try {
      const ca = client({ timeoutMs: 1_234, agent });
      for (let i = 0; i < 25; i += 1) {
        expect(await ca.generateCrl()).toBe('CRL PEM');
      }
      await new Promise((done) => setImmediate(done));
      const sockets = Object.values(agent.freeSockets).flat();
      expect(sockets).toHaveLength(1);
      // fabric-ca-client adds one per call; only the agent's own may stay.
      expect(sockets[0]?.listenerCount('timeout')).toBeLessThanOrEqual(1);
    } finally {
      agent.destroy();
    }
    expect(connections - opened).toBe(1);
    expect(Utils.getConfigSetting('connection-timeout')).toBe(before);
    expect(seen.filter((s) => s.tokenValid === true)).toHaveLength(25);
  });

  it('maps a result without the expected fields to CA_BAD_RESPONSE', async () => {
    replies['POST /api/v1/register'] = ok({});
    const error = await failure(
      client().register({
        enrollmentId: 'x',
        affiliation: 'p',
        type: 'client',
        attrs: [],
        maxEnrollments: 1,
      }),
    );
    expect(isFabricCaError(error) && error.code).toBe(CaErrorCode.badResponse);
  });

  it.each([
    ['a server it cannot reach', () => client({ url: 'https://127.0.0.1:1' }), /ECONNREFUSED/],
    [
      'a server whose TLS certificate does not chain to the root',
      () => client({ tlsRootCert: files.otherRoot }),
      /certificate/,
    ],
    ['a server that does not answer in time', () => client({ timeoutMs: 300 }), /no answer within 300 ms/],
  ])('maps %s to CA_UNREACHABLE', async (_what, make, reason) => {
    const error = await failure(make().generateCrl());
    expect(isFabricCaError(error) && error.code).toBe(CaErrorCode.unreachable);
    expect((error as Error).message).toMatch(reason);
    expect((error as Error).cause).toHaveProperty('message');
  });

  it('refuses unsafe enrollment IDs before sending anything', async () => {
    const error = await failure(client().getIdentity('../admin'));
    expect(isFabricCaError(error) && error.code).toBe(CaErrorCode.invalidRequest);
    expect(seen).toHaveLength(0);
  });

  it('refuses a plain-HTTP URL and a registrar key that is not a key', () => {
    expect(() => client({ url: 'http://127.0.0.1:7054' })).toThrow(/CA_INVALID_REQUEST: .*must be https/);
    expect(
      () =>
        new FabricCaClient({
          url,
          caName: 'assetca',
          tlsRootCert: files.tlsRoot,
          registrar: { certPem: files.registrarCert, keyPem: 'nope' },
        }),
    ).toThrow(/INVALID_CERTIFICATE/);
  });
});
