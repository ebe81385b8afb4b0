import { verify, X509Certificate } from 'node:crypto';
import { common, msp } from '@hyperledger/fabric-protos';
import { blockHeaderBytes, type RawBlock } from './block';
import type { OrdererOrg, OrdererTrust } from './config';

const SIGNATURES = common.BlockMetadataIndex.SIGNATURES;

/** One signer seen on a block, once its certificate chained to an orderer org root. */
interface KnownSigner {
  readonly org: OrdererOrg;
  readonly certificate: X509Certificate;
}

/**
 * Checks the orderer signatures in metadata[SIGNATURES]: each one is an ECDSA
 * (or other key type's) signature over metadata.value || signature_header ||
 * DER(block header), by a certificate issued (directly or through an
 * intermediate in the MSP) by a root of one of the channel's orderer orgs and,
 * when the MSP classifies identities, carrying the orderer OU.
 *
 * Certificates are checked once per verifier and then remembered, since every
 * block of a chain is signed by the same few orderers.
 */
export class OrdererSignatureVerifier {
  readonly #known = new Map<string, KnownSigner>();
  #trust: OrdererTrust;

  constructor(trust: OrdererTrust) {
    this.#trust = trust;
  }

  /** A later config block may change the orderer orgs: signers are checked anew against it. */
  useTrust(trust: OrdererTrust): void {
    this.#trust = trust;
    this.#known.clear();
  }

  /** The problems found, empty when at least one signature is present and every one verifies. */
  check(block: RawBlock): string[] {
    const entry = block.metadata[SIGNATURES];
    if (entry === undefined || entry.length === 0) {
      return ['no orderer signature metadata'];
    }
    let metadata: common.Metadata;
    try {
      metadata = common.Metadata.deserializeBinary(entry);
    } catch {
      return ['orderer signature metadata is not readable'];
    }
    const signatures = metadata.getSignaturesList();
    if (signatures.length === 0) {
      return ['no orderer signature'];
    }
    const headerBytes = blockHeaderBytes(block);
    const value = metadata.getValue_asU8();
    return signatures.flatMap((signature, i) => {
      const problem = this.#checkOne(signature, value, headerBytes);
      return problem === undefined ? [] : [`orderer signature ${String(i)}: ${problem}`];
    });
  }

  #checkOne(signature: common.MetadataSignature, value: Uint8Array, headerBytes: Buffer): string | undefined {
    const signatureHeader = signature.getSignatureHeader_asU8();
    if (signatureHeader.length === 0) {
      return signature.getIdentifierHeader_asU8().length > 0
        ? 'signed by consenter id (BFT identifier header), which this verifier does not resolve'
        : 'no signature header';
    }
    let creator: msp.SerializedIdentity;
    try {
      creator = msp.SerializedIdentity.deserializeBinary(
        common.SignatureHeader.deserializeBinary(signatureHeader).getCreator_asU8(),
      );
    } catch {
      return 'signature header is not readable';
    }
    const signer = this.#signer(creator);
    if (typeof signer === 'string') {
      return signer;
    }
    const signed = Buffer.concat([value, signatureHeader, headerBytes]);
    return verifies(signed, signer.certificate, signature.getSignature_asU8())
      ? undefined
      : `signature by ${signer.certificate.subject.replaceAll('\n', ',')} does not verify`;
  }

  #signer(creator: msp.SerializedIdentity): KnownSigner | string {
    const mspId = creator.getMspid();
    const pem = Buffer.from(creator.getIdBytes_asU8()).toString('latin1');
    const key = `${mspId}\n${pem}`;
    const known = this.#known.get(key);
    if (known !== undefined) {
      return known;
    }
    const checked = checkSigner(this.#trust, mspId, creator.getIdBytes_asU8());
    if (typeof checked !== 'string') {
      this.#known.set(key, checked);
    }
    return checked;
  }
}

function verifies(data: Buffer, certificate: X509Certificate, signature: Uint8Array): boolean {
  try {
    return verify('sha256', data, certificate.publicKey, signature);
  } catch {
    return false;
  }
}

function checkSigner(trust: OrdererTrust, mspId: string, idBytes: Uint8Array): KnownSigner | string {
  const org = trust.orgs.get(mspId);
  if (org === undefined) {
    const known = [...trust.orgs.keys()].join(', ');
    return `signer's MSP ${mspId} is not an orderer organisation of the channel (${known})`;
  }
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(idBytes);
  } catch {
    return `signer's certificate (${mspId}) is not readable`;
  }
  if (!chainsToRoot(certificate, org)) {
    return `signer's certificate ${certificate.subject.replaceAll('\n', ',')} was not issued by a ${mspId} root CA`;
  }
  return ordererRoleProblem(certificate, org) ?? { org, certificate };
}

/** With NodeOUs on, the signer must carry the orderer OU and chain to the CA pinned for it. */
function ordererRoleProblem(certificate: X509Certificate, org: OrdererOrg): string | undefined {
  if (org.ordererOu === undefined) {
    return undefined;
  }
  if (!hasOu(certificate, org.ordererOu.ou)) {
    return `signer's certificate is not an orderer of ${org.mspId} (no OU=${org.ordererOu.ou})`;
  }
  const pinned = org.ordererOu.issuer;
  if (pinned !== undefined && !chainsTo(certificate, pinned, org.intermediates)) {
    return `signer's certificate was not issued by the CA ${org.mspId} pins for orderers`;
  }
  return undefined;
}

export function issuedBy(certificate: X509Certificate, issuer: X509Certificate): boolean {
  return certificate.checkIssued(issuer) && certificate.verify(issuer.publicKey);
}

/** Issued by `ca`, or by one of the intermediates that `ca` issued. */
function chainsTo(
  certificate: X509Certificate,
  ca: X509Certificate,
  intermediates: readonly X509Certificate[],
): boolean {
  return (
    issuedBy(certificate, ca) ||
    intermediates.some((intermediate) => issuedBy(certificate, intermediate) && issuedBy(intermediate, ca))
  );
}

/** Issued by a root, or by an intermediate of the MSP that a root issued. */
export function chainsToRoot(certificate: X509Certificate, org: OrdererOrg): boolean {
  return org.roots.some((root) => chainsTo(certificate, root, org.intermediates));
}

/** Node prints a multi-valued RDN as `OU=orderer + OU=registry`. */
export function hasOu(certificate: Pick<X509Certificate, 'subject'>, ou: string): boolean {
  return certificate.subject
    .split('\n')
    .flatMap((line) => line.split(' + '))
    .some((attribute) => attribute === `OU=${ou}`);
}
