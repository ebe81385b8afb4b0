import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Certificates made with openssl for the issuer and role tests. */
export interface TestPki {
  readonly registryCa: string;
  /** Registry org-CA certificate with crowdledger.role=admin. */
  readonly registryUser: string;
  readonly assetCa: string;
  /** Issued by the asset CA with asset A1, holder U1 and a role claim to ignore. */
  readonly holder: string;
  /** Same subject name as the asset CA, different key. */
  readonly impostorCa: string;
  readonly forgedHolder: string;
  readonly platformCa: string;
  readonly platformUser: string;
  /** Extra holder certificates asked for by name, with their asset and holder attributes. */
  readonly holders: Readonly<Record<string, string>>;
  /** The private key (PKCS#8 PEM) of each holder certificate in `holders`, by the same name. */
  readonly holderKeys: Readonly<Record<string, string>>;
}

/** A holder certificate to make, by default from the asset CA. */
export interface HolderRequest {
  readonly assetId: string;
  readonly holderId: string;
  /** impostor: signed by a CA with the asset CA's name but another key. */
  readonly issuer?: 'asset' | 'impostor';
  /** Further attributes beside crowdledger.asset and crowdledger.holder. */
  readonly extra?: Attributes;
  /** The CN instead of an enrollment ID of the form the ledger accepts. */
  readonly commonName?: string;
}

export type Attributes = Readonly<Record<string, string>>;

const ROLE = 'crowdledger.role';
export const HOLDER_ATTRS: Attributes = { 'crowdledger.asset': 'A1', 'crowdledger.holder': 'U1' };

const LEAF_EXT = 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n';
// Fabric CA puts enrolment attributes in this extension as raw JSON.
const FABRIC_ATTRS_OID = '1.2.3.4.5.6.7.8.1';

class Issuer {
  readonly #dir: string;
  #serial = 1;

  constructor(dir: string) {
    this.#dir = dir;
  }

  rootCa(name: string, subject: string): string {
    const ca = ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign'];
    const ext = ca.flatMap((e) => ['-addext', e]);
    openssl(
      'req',
      '-x509',
      ...this.#newKey(name),
      '-subj',
      subject,
      '-days',
      '30',
      ...ext,
      '-out',
      this.#path(name, 'pem'),
    );
    return readFileSync(this.#path(name, 'pem'), 'utf8');
  }

  leaf(name: string, subject: string, ca: string, attrs: Attributes = {}): string {
    openssl('req', ...this.#newKey(name), '-subj', subject, '-out', this.#path(name, 'csr'));
    const attrsHex = Buffer.from(JSON.stringify({ attrs })).toString('hex');
    writeFileSync(this.#path(name, 'ext'), `${LEAF_EXT}${FABRIC_ATTRS_OID}=DER:${attrsHex}\n`);
    this.#serial += 1;
    const signer = [
      '-CA',
      this.#path(ca, 'pem'),
      '-CAkey',
      this.#path(ca, 'key'),
      '-set_serial',
      String(this.#serial),
    ];
    const ext = ['-extfile', this.#path(name, 'ext')];
    openssl(
      'x509',
      '-req',
      '-in',
      this.#path(name, 'csr'),
      ...signer,
      '-days',
      '30',
      ...ext,
      '-out',
      this.#path(name, 'pem'),
    );
    return readFileSync(this.#path(name, 'pem'), 'utf8');
  }

  key(name: string): string {
    return readFileSync(this.#path(name, 'key'), 'utf8');
  }

  #newKey(name: string): string[] {
    return [
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      this.#path(name, 'key'),
    ];
  }

  #path(name: string, ext: string): string {
    return join(this.#dir, `${name}.${ext}`);
  }
}

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { stdio: 'pipe' });
}

/**
 * Makes every certificate the identity tests need. Attributes are written into
 * the certificates the way Fabric CA does, so tests through fabric-shim's own
 * ClientIdentity see them; tests with the fake identity pass them directly.
 */
export function makeTestPki(holders: Readonly<Record<string, HolderRequest>> = {}): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'crowdledger-pki-'));
  try {
    const issuer = new Issuer(dir);
    const assetCaSubject = '/O=Registry/CN=asset-ca';
    const base = {
      registryCa: issuer.rootCa('registry-ca', '/O=Registry/CN=ca.registry'),
      registryUser: issuer.leaf('registry-user', '/O=Registry/CN=admin1', 'registry-ca', { [ROLE]: 'admin' }),
      assetCa: issuer.rootCa('asset-ca', assetCaSubject),
      holder: issuer.leaf('holder', '/O=Registry/CN=holder1', 'asset-ca', {
        ...HOLDER_ATTRS,
        [ROLE]: 'admin',
      }),
      impostorCa: issuer.rootCa('impostor-ca', assetCaSubject),
      forgedHolder: issuer.leaf('forged', '/O=Registry/CN=holder1', 'impostor-ca', HOLDER_ATTRS),
      platformCa: issuer.rootCa('platform-ca', '/O=Platform1/CN=ca.platform1'),
      platformUser: issuer.leaf('platform-user', '/O=Platform1/CN=app', 'platform-ca', {
        [ROLE]: 'platform',
      }),
    };
    return { ...base, ...issueHolders(issuer, holders) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The CN Fabric CA would give a holder: an enrollment ID of the form the ledger accepts. */
export function testEnrollmentId(name: string): string {
  return `holder-${createHash('sha1').update(name).digest('hex')}`;
}

// Asset-CA certificates the way Fabric CA issues them, with their keys.
function issueHolders(
  issuer: Issuer,
  requests: Readonly<Record<string, HolderRequest>>,
): Pick<TestPki, 'holders' | 'holderKeys'> {
  const holders: Record<string, string> = {};
  const holderKeys: Record<string, string> = {};
  Object.entries(requests).forEach(([name, request], i) => {
    const ca = request.issuer === 'impostor' ? 'impostor-ca' : 'asset-ca';
    const file = `holder-${String(i)}`;
    const attrs = {
      'crowdledger.asset': request.assetId,
      'crowdledger.holder': request.holderId,
      ...request.extra,
    };
    const cn = request.commonName ?? testEnrollmentId(name);
    holders[name] = issuer.leaf(file, `/O=Platform1/CN=${cn}`, ca, attrs);
    holderKeys[name] = issuer.key(file);
  });
  return { holders, holderKeys };
}
