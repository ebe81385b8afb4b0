import { randomBytes } from 'node:crypto';
import { isReferenceSecret, REFERENCE_SECRET_FORMAT } from '@crowdledger/protocol';
import { type CertificateAuthority, enrollmentIdKey } from './ca';
import { openAssetCa } from './ca/open';
import { chooseIdentity, choosePeer, tlsHostname } from './connect';
import { ClientErrorCode, CrowdLedgerError } from './errors';
import type { AssetCaAccess } from './groups/context';
import { type AssetCaProfile, loadProfile, type Profile } from './profile';
import { checkConsentLifetime, DEFAULT_CONSENT_LIFETIME_MS } from './consent';
import { type CallDeadlines, checkDeadlines } from './deadlines';
import { checkRetryPolicy, DEFAULT_RETRY_POLICY, type RetryPolicy, type SubmitOutcome } from './retry';
import { type PeerEndpoint, pemOrFile, readNamed, parsePrivateKey, type SigningCredentials } from './gateway';

/** An identity given directly: PEM text or file paths. */
export interface IdentityCredentials {
  /** The X.509 certificate: PEM text or a file path. */
  readonly certificate: string;
  /** The private key (PKCS#8 or SEC1): PEM text or a file path. */
  readonly privateKey: string;
  /** The identity's MSP; the profile's when absent. */
  readonly mspId?: string;
}

/** What both ways of connecting share. */
export interface CommonOptions {
  /** How submits retry read conflicts; 5 attempts with jittered exponential backoff when absent. */
  readonly retry?: Partial<RetryPolicy>;
  /**
   * Told how each submit ended, with its attempts (1 when it passed at
   * once): what a load generator reports as attempts per success. It runs
   * inside the call, so it should be quick and must not throw.
   */
  readonly onSubmit?: (outcome: SubmitOutcome) => void;
  /** An asset CA client of your own for issuing certificates, instead of the profile's. */
  readonly certificateAuthority?: CertificateAuthority;
  /**
   * How long a signed request the SDK builds stays valid when a call gives
   * no expiresAt: 5 minutes when absent; more than the 30-second proposal
   * time window the chaincode subtracts, at most an hour.
   */
  readonly consentLifetimeMs?: number;
  /**
   * How long each kind of gateway call may take, in milliseconds, before it
   * fails TIMEOUT: `evaluate` 5,000, `endorse` 15,000, `submit` 5,000 and
   * `commitStatus` 60,000 when absent ({@link DEADLINES_MS}); each from 100
   * to 600,000 (INVALID_OPTIONS otherwise, or for a kind it does not know).
   * Raise `endorse` on a busy host or for large import batches: every
   * endorser runs the chaincode within it.
   */
  readonly deadlinesMs?: Partial<CallDeadlines>;
  /**
   * With `certificateAuthority`: the platform's secret (16 bytes or more) for
   * its holders' enrollment IDs, e.g. `enrollmentIdKey(registrarKeyPem)`.
   * Keep it: the same holding then gets the same ID on every retry. A random
   * one per client when absent. With a profile it comes from the registrar's key.
   */
  readonly enrollmentIdKey?: Uint8Array;
  /**
   * The platform's reference secret (R12): 64 lower-case hex digits, or the
   * path of a file holding them; the profile's `referenceSecret` file when
   * absent. User IDs are keyed with it, so users.register and users.idFor
   * need it. Generate it once (32 random bytes) and keep it for the
   * platform's lifetime: the ledger refuses any other one.
   */
  readonly referenceSecret?: string;
}

/** Connect with a connection profile (the network scripts write one per organisation). */
export interface ProfileOptions extends CommonOptions {
  /** A profile file path, or a loaded profile. */
  readonly profile: string | Profile;
  /** An identity of the profile by name (`app`, `admin`, `auditor`), or one given directly. */
  readonly identity: string | IdentityCredentials;
  /** The profile peer to use; its first when absent. */
  readonly peer?: string;
  /** Explicit settings go without a profile. */
  readonly peerEndpoint?: never;
}

/** Connect with every setting given directly. */
export interface ExplicitOptions extends CommonOptions {
  /** A profile goes without explicit settings. */
  readonly profile?: never;
  /** host:port of the peer's gateway service. */
  readonly peerEndpoint: string;
  /** The root of the peer's TLS certificate: PEM text or a file path. */
  readonly tlsRootCert: string;
  /** The name in the peer's TLS certificate, when it is not the endpoint's host. */
  readonly tlsHostname?: string;
  /** The identity's MSP ID, e.g. `Platform1MSP`. */
  readonly mspId: string;
  /** The identity's certificate: PEM text or a file path. */
  readonly certificate: string;
  /** The identity's private key: PEM text or a file path. */
  readonly privateKey: string;
  /** `crowdledger` when absent. */
  readonly channel?: string;
  /** `crowdledger` when absent. */
  readonly chaincode?: string;
  /** The platform's affiliation on the asset CA (e.g. `platform1`); needed with `assetCa`. */
  readonly org?: string;
  /** The asset CA and this platform's registrar on it (file paths), for issuing certificates. */
  readonly assetCa?: AssetCaProfile;
}

/** Options of CrowdLedger.connect: a profile and identity, or explicit settings. */
export type CrowdLedgerOptions = ProfileOptions | ExplicitOptions;

/** Connection settings with every file read. */
export interface ResolvedOptions {
  /** The peer to dial and the TLS root to trust for it. */
  readonly peer: PeerEndpoint;
  /** The identity to sign with, its key already parsed. */
  readonly identity: SigningCredentials;
  /** The channel the chaincode runs on. */
  readonly channel: string;
  /** The CrowdLedger chaincode's name on the channel. */
  readonly chaincode: string;
  /** The retry policy, defaults filled in and checked. */
  readonly retry: RetryPolicy;
  /** The caller's submit observer, if any. */
  readonly onSubmit: ((outcome: SubmitOutcome) => void) | undefined;
  /** A signed request's lifetime when a call gives no expiresAt. */
  readonly consentLifetimeMs: number;
  /** Each kind of gateway call's deadline, defaults filled in and checked. */
  readonly deadlinesMs: CallDeadlines;
  /** Opens the asset CA; undefined when the options name none. */
  readonly assetCa: (() => Promise<AssetCaAccess>) | undefined;
  /** The platform's reference secret, checked; undefined when the options name none. */
  readonly referenceSecret: string | undefined;
}

/** The channel and chaincode name when explicit options give none. */
export const DEFAULT_NAME = 'crowdledger';

function invalid(sentence: string, cause?: unknown): CrowdLedgerError {
  return new CrowdLedgerError(ClientErrorCode.invalidOptions, sentence, { cause });
}

function retryPolicy(retry: Partial<RetryPolicy> | undefined): RetryPolicy {
  try {
    return checkRetryPolicy({ ...DEFAULT_RETRY_POLICY, ...retry });
  } catch (cause) {
    throw invalid(cause instanceof Error ? cause.message : String(cause), cause);
  }
}

/** Reads every file the options name and checks the key. */
export async function resolveOptions(options: CrowdLedgerOptions): Promise<ResolvedOptions> {
  if (options.profile === undefined) {
    return fromExplicit(options);
  }
  // The types forbid both; untyped callers can still send them.
  if ('peerEndpoint' in options) {
    throw invalid('give either profile or peerEndpoint, not both');
  }
  return fromProfile(options);
}

async function fromProfile(options: ProfileOptions): Promise<ResolvedOptions> {
  const profile = typeof options.profile === 'string' ? await loadProfile(options.profile) : options.profile;
  const peer = choosePeer(profile, options.peer);
  const tlsRootCert = await readNamed(peer.tlsRootCert, `TLS root certificate of ${peer.name}`);
  const identity =
    typeof options.identity === 'string'
      ? await credentials({ ...namedFiles(profile, options.identity), mspId: profile.mspId })
      : await credentials({ mspId: profile.mspId, ...options.identity });
  return {
    peer: { endpoint: peer.endpoint, tlsRootCert, ...tlsHostname(peer) },
    identity,
    channel: profile.channel,
    chaincode: profile.chaincode,
    retry: retryPolicy(options.retry),
    onSubmit: options.onSubmit,
    consentLifetimeMs: checkConsentLifetime(options.consentLifetimeMs ?? DEFAULT_CONSENT_LIFETIME_MS),
    deadlinesMs: checkDeadlines(options.deadlinesMs),
    assetCa: assetCaOpener(options, profile),
    referenceSecret: await referenceSecret(options.referenceSecret ?? profile.referenceSecret),
  };
}

function namedFiles(profile: Profile, name: string): { certificate: string; privateKey: string } {
  const files = chooseIdentity(profile, name);
  return { certificate: files.cert, privateKey: files.key };
}

async function fromExplicit(options: ExplicitOptions): Promise<ResolvedOptions> {
  if (!/^[A-Za-z0-9.-]+:\d{1,5}$/.test(options.peerEndpoint)) {
    throw invalid(`peerEndpoint must be host:port, not ${options.peerEndpoint}`);
  }
  const channel = options.channel ?? DEFAULT_NAME;
  const chaincode = options.chaincode ?? DEFAULT_NAME;
  return {
    peer: {
      endpoint: options.peerEndpoint,
      tlsRootCert: await pemOrFile(options.tlsRootCert, 'TLS root certificate'),
      ...(options.tlsHostname === undefined ? {} : { tlsHostname: options.tlsHostname }),
    },
    identity: await credentials(options),
    channel,
    chaincode,
    retry: retryPolicy(options.retry),
    onSubmit: options.onSubmit,
    consentLifetimeMs: checkConsentLifetime(options.consentLifetimeMs ?? DEFAULT_CONSENT_LIFETIME_MS),
    deadlinesMs: checkDeadlines(options.deadlinesMs),
    assetCa: assetCaOpener(options, explicitCaProfile(options, channel, chaincode), options.org),
    referenceSecret: await referenceSecret(options.referenceSecret),
  };
}

/** The profile openAssetCa reads, made of the explicit options' asset CA settings. */
function explicitCaProfile(
  options: ExplicitOptions,
  channel: string,
  chaincode: string,
): Profile | undefined {
  const { assetCa, org, mspId } = options;
  if (assetCa === undefined) {
    return undefined;
  }
  if (org === undefined) {
    throw invalid("assetCa needs org: the platform's affiliation on the asset CA");
  }
  return { org, mspId, channel, chaincode, peers: [], identities: {}, assetCa };
}

/**
 * The reference secret given as hex or as a file (surrounding white space,
 * such as a final newline, ignored). A secret that is not 64 lower-case hex
 * digits is refused here, before it can give a user a wrong ID; the sentence
 * never echoes it.
 */
async function referenceSecret(given: string | undefined): Promise<string | undefined> {
  if (given === undefined) {
    return undefined;
  }
  if (isReferenceSecret(given)) {
    return given;
  }
  const text = (await readNamed(given, 'reference secret file')).toString('utf8').trim();
  if (!isReferenceSecret(text)) {
    throw invalid(`the reference secret in ${given} must be ${REFERENCE_SECRET_FORMAT.expected}`);
  }
  return text;
}

/** Reads and checks an identity given as PEM text or file paths. */
export async function credentials(
  given: IdentityCredentials & { readonly mspId: string },
): Promise<SigningCredentials> {
  const [certificate, keyPem] = await Promise.all([
    pemOrFile(given.certificate, 'identity certificate'),
    pemOrFile(given.privateKey, 'identity private key'),
  ]);
  const where = given.privateKey.includes('-----BEGIN ') ? 'the private key' : given.privateKey;
  return { mspId: given.mspId, certificate, privateKey: parsePrivateKey(keyPem, where) };
}

function customCaOpener(
  ca: CertificateAuthority,
  idKey: Uint8Array | undefined,
  org: string | undefined,
): (() => Promise<AssetCaAccess>) | undefined {
  if (org === undefined) {
    return undefined;
  }
  const enrollmentIdKey = idKey ?? randomBytes(32);
  return () => Promise.resolve({ ca, platform: org, enrollmentIdKey });
}

function assetCaOpener(
  options: CommonOptions,
  profile: Profile | undefined,
  org: string | undefined = profile?.org,
): (() => Promise<AssetCaAccess>) | undefined {
  if (options.certificateAuthority !== undefined) {
    return customCaOpener(options.certificateAuthority, options.enrollmentIdKey, org);
  }
  const assetCa = profile?.assetCa;
  if (profile === undefined || assetCa === undefined) {
    return undefined;
  }
  return async () => {
    const ca = await openAssetCa(profile);
    const keyPem = await readNamed(assetCa.registrar.key, 'asset CA registrar key');
    return { ca, platform: profile.org, enrollmentIdKey: enrollmentIdKey(keyPem.toString('utf8')) };
  };
}
