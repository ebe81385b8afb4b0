import { verify, X509Certificate } from 'node:crypto';
import { common, msp } from '@hyperledger/fabric-protos';
import { blockHeaderBytes, type RawBlock } from './block';
import type { BftConsenters, OrdererOrg, OrdererTrust } from './config';

const SIGNATURES = common.BlockMetadataIndex.SIGNATURES;

/** One signer seen on a block, once its certificate chained to an orderer org root. */
interface KnownSigner {
  readonly org: OrdererOrg;
  readonly certificate: X509Certificate;
}

/** A signature that verified; `consenter` when it counts towards a BFT quorum. */
interface Verified {
  readonly consenter: number | undefined;
}

/**
 * Checks the orderer signatures in metadata[SIGNATURES]: each one is an ECDSA
 * (or other key type's) signature over metadata.value || signature_header ||
 * DER(block header), by a certificate issued (directly or through an
 * intermediate in the MSP) by a root of one of the channel's orderer orgs and,
 * when the MSP classifies identities, carrying the orderer OU.
 *
 * On a BFT channel a signature names its signer by consenter id (an
 * identifier header in place of the signature header, signed the same way),
 * resolved through the config's consenter mapping, and a block needs valid
 * signatures from a quorum of distinct consenters (Fabric's BlockValidation
 * policy for BFT).
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
    const problems: string[] = [];
    const consenters = new Set<number>();
    signatures.forEach((signature, i) => {
      const outcome = this.#checkOne(signature, value, headerBytes);
      if (typeof outcome === 'string') {
        problems.push(`orderer signature ${String(i)}: ${outcome}`);
      } else if (outcome.consenter !== undefined) {
        consenters.add(outcome.consenter);
      }
    });
    return [...problems, ...quorumProblems(this.#trust.bft, consenters)];
  }

  #checkOne(signature: common.MetadataSignature, value: Uint8Array, headerBytes: Buffer): Verified | string {
    const signatureHeader = signature.getSignatureHeader_asU8();
    if (signatureHeader.length === 0) {
      const identifierHeader = signature.getIdentifierHeader_asU8();
      return identifierHeader.length > 0
        ? this.#checkByConsenterId(signature, identifierHeader, value, headerBytes)
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
    const signer = this.#signer(creator.getMspid(), creator.getIdBytes_asU8());
    if (typeof signer === 'string') {
      return signer;
    }
    const signed = Buffer.concat([value, signatureHeader, headerBytes]);
    return verifySigned(signed, signer, signature, consenterIdOf(this.#trust.bft, creator));
  }

  /** BFT: the identifier header names a consenter of the config; its identity signed value || identifier header || header. */
  #checkByConsenterId(
    signature: common.MetadataSignature,
    identifierHeader: Uint8Array,
    value: Uint8Array,
    headerBytes: Buffer,
  ): Verified | string {
    const bft = this.#trust.bft;
    if (bft === undefined) {
      return 'signed by consenter id (BFT identifier header), but the channel config is not BFT';
    }
    let id: number;
    try {
      id = common.IdentifierHeader.deserializeBinary(identifierHeader).getIdentifier();
    } catch {
      return 'identifier header is not readable';
    }
    const consenter = bft.consenters.get(id);
    if (consenter === undefined) {
      return `signed by consenter ${String(id)}, which the channel config does not list`;
    }
    const signer = this.#signer(consenter.mspId, consenter.identity);
    if (typeof signer === 'string') {
      return `consenter ${String(id)}: ${signer}`;
    }
    return verifySigned(Buffer.concat([value, identifierHeader, headerBytes]), signer, signature, id);
  }

  #signer(mspId: string, idBytes: Uint8Array): KnownSigner | string {
    const pem = Buffer.from(idBytes).toString('latin1');
    const key = `${mspId}\n${pem}`;
    const known = this.#known.get(key);
    if (known !== undefined) {
      return known;
    }
    const checked = checkSigner(this.#trust, mspId, idBytes);
    if (typeof checked !== 'string') {
      this.#known.set(key, checked);
    }
    return checked;
  }
}

function verifySigned(
  signed: Buffer,
  signer: KnownSigner,
  signature: common.MetadataSignature,
  consenter: number | undefined,
): Verified | string {
  return verifies(signed, signer.certificate, signature.getSignature_asU8())
    ? { consenter }
    : `signature by ${signer.certificate.subject.replaceAll('\n', ',')} does not verify`;
}

/** A signature header's creator counts towards a BFT quorum only when it is a consenter's very identity. */
function consenterIdOf(bft: BftConsenters | undefined, creator: msp.SerializedIdentity): number | undefined {
  if (bft === undefined) {
    return undefined;
  }
  const idBytes = Buffer.from(creator.getIdBytes_asU8());
  const match = [...bft.consenters.values()].find(
    (c) => c.mspId === creator.getMspid() && idBytes.equals(c.identity),
  );
  return match?.id;
}

function quorumProblems(bft: BftConsenters | undefined, consenters: ReadonlySet<number>): string[] {
  if (bft === undefined || consenters.size >= bft.quorum) {
    return [];
  }
  return [
    `valid signatures from ${String(consenters.size)} consenters, where a BFT block needs ${String(bft.quorum)} of ${String(bft.consenters.size)}`,
  ];
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
