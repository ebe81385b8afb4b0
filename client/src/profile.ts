import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ClientErrorCode, CrowdLedgerError } from './errors';

/** One peer of the organisation, as the profile lists it. */
export interface PeerProfile {
  /** The peer's name, as `peer` options choose it, e.g. `peer0.platform1`. */
  readonly name: string;
  /** host:port of the peer's gateway service. */
  readonly endpoint: string;
  /** Path of the PEM root its TLS certificate chains to (resolved against the profile's folder). */
  readonly tlsRootCert: string;
  /** Name to check the peer's TLS certificate against, when it is not the endpoint's host. */
  readonly tlsHostname?: string;
}

/** An identity's certificate and private key files (PEM). */
export interface IdentityFiles {
  /** Path of the X.509 certificate. */
  readonly cert: string;
  /** Path of the private key. */
  readonly key: string;
}

/** A platform's way into the registry's asset-certificate CA (R3). */
export interface AssetCaProfile {
  /** `https://host:port` of the Fabric CA server. */
  readonly url: string;
  /** The CA's name on that server, e.g. `assetca`. */
  readonly caName: string;
  /** PEM file of the root the server's TLS certificate chains to. */
  readonly tlsRootCert: string;
  /** The platform's registrar on that CA: certificate and key files. */
  readonly registrar: IdentityFiles;
}

/**
 * An orderer of the channel: only `ledger verify` dials orderers (the SDK
 * submits through its peer's gateway), to check their copy of the chain.
 */
export interface OrdererProfile {
  /** The orderer's name, as `ledger verify --node` chooses it. */
  readonly name: string;
  /** host:port of its ordering (Deliver) service. */
  readonly endpoint: string;
  /** Path of the PEM root its TLS certificate chains to (resolved against the profile's folder). */
  readonly tlsRootCert: string;
  /** Name to check its TLS certificate against, when it is not the endpoint's host. */
  readonly tlsHostname?: string;
}

/**
 * One organisation's view of the network: what the network scripts write, and
 * what an admin writes by hand for a network this project did not create
 * (README, "Using an existing network").
 */
export interface Profile {
  /** The organisation's short name, e.g. `platform1`; for a platform, its affiliation on the asset CA. */
  readonly org: string;
  /** The organisation's MSP ID, e.g. `Platform1MSP`. */
  readonly mspId: string;
  /** The channel CrowdLedger runs on. */
  readonly channel: string;
  /** The CrowdLedger chaincode's name on the channel. */
  readonly chaincode: string;
  /** The organisation's peers, at least one; the first is the default. */
  readonly peers: readonly PeerProfile[];
  /** Identities by name (`admin`, `app`, and `auditor` on the registry's), with absolute paths. */
  readonly identities: Readonly<Record<string, IdentityFiles>>;
  /** The channel's orderers, for `ledger verify` on a network without this project's layout. */
  readonly orderers?: readonly OrdererProfile[];
  /** Present on platform profiles only. */
  readonly assetCa?: AssetCaProfile;
  /**
   * Platform profiles only: the file holding the platform's reference secret
   * (64 hex digits, owner-only), which keys its user IDs (R12).
   */
  readonly referenceSecret?: string;
}

type Fields = Partial<Record<string, unknown>>;

const ENDPOINT = /^[A-Za-z0-9.-]+:(\d{1,5})$/;
const MSP_ID = /^[A-Za-z0-9._-]+$/;

/** The fields each part of a profile may have: anything else is a typo, refused by name. */
const KNOWN = {
  profile: [
    'description',
    'org',
    'mspId',
    'channel',
    'chaincode',
    'peers',
    'orderers',
    'identities',
    'assetCa',
    'referenceSecret',
  ],
  node: ['name', 'endpoint', 'tlsRootCert', 'tlsHostname'],
  identity: ['cert', 'key'],
  assetCa: ['url', 'caName', 'tlsRootCert', 'registrar'],
} as const;
const HTTPS_URL = /^https:\/\/[A-Za-z0-9.-]+:\d{1,5}\/?$/;

/** Reads and validates a profile; relative paths in it are relative to the file. */
export async function loadProfile(path: string): Promise<Profile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new CrowdLedgerError(ClientErrorCode.profileNotFound, `cannot read profile ${path}`, { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new CrowdLedgerError(ClientErrorCode.invalidProfile, `profile ${path} is not valid JSON`, {
      cause,
    });
  }
  return parseProfile(json, path);
}

/**
 * Validates an already parsed profile; `path` is the file it came from, for
 * resolving relative paths and naming it in INVALID_PROFILE errors.
 */
export function parseProfile(json: unknown, path: string): Profile {
  const reader = new FieldReader(path);
  const root = reader.object(json, 'the profile', KNOWN.profile);
  const mspId = reader.text(root, 'mspId');
  if (!MSP_ID.test(mspId)) {
    throw reader.invalid(`mspId must hold letters, digits and . _ - only, not ${mspId}`);
  }
  const profile = {
    org: reader.text(root, 'org'),
    mspId,
    channel: reader.text(root, 'channel'),
    chaincode: reader.text(root, 'chaincode'),
    peers: reader.nodes(root['peers'], 'peers'),
    identities: reader.identities(root['identities']),
  };
  return {
    ...profile,
    ...(root['orderers'] === undefined ? {} : { orderers: reader.nodes(root['orderers'], 'orderers') }),
    ...(root['assetCa'] === undefined ? {} : { assetCa: reader.assetCa(root['assetCa']) }),
    ...(root['referenceSecret'] === undefined
      ? {}
      : { referenceSecret: reader.file(root, 'referenceSecret', 'referenceSecret') }),
  };
}

/** Walks the JSON and names the exact field that is wrong. */
class FieldReader {
  readonly #path: string;
  readonly #base: string;

  constructor(path: string) {
    this.#path = path;
    this.#base = dirname(resolve(path));
  }

  /** An object, refusing any field not in `known` (when given), so a misspelt key is named, not ignored. */
  object(value: unknown, where: string, known?: readonly string[]): Fields {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw this.invalid(`${where} must be an object`);
    }
    const fields: Fields = value;
    const unknown = Object.keys(fields).filter((k) => fields[k] !== undefined && !(known ?? [k]).includes(k));
    if (unknown.length > 0) {
      throw this.invalid(
        `${where} has unknown field ${unknown.join(', ')}; it may have ${(known ?? []).join(', ')}`,
      );
    }
    return fields;
  }

  text(fields: Fields, name: string, where = name): string {
    const value = fields[name];
    if (typeof value !== 'string' || value.length === 0) {
      throw this.invalid(`${where} must be a non-empty string`);
    }
    return value;
  }

  file(fields: Fields, name: string, where: string): string {
    const value = this.text(fields, name, where);
    return isAbsolute(value) ? value : resolve(this.#base, value);
  }

  /** Peers or orderers: a non-empty list with one entry per name. */
  nodes(value: unknown, where: string): PeerProfile[] {
    if (!Array.isArray(value) || value.length === 0) {
      throw this.invalid(`${where} must be a non-empty array`);
    }
    const nodes = value.map((item: unknown, i) => this.#node(item, `${where}[${String(i)}]`));
    const names = nodes.map((n) => n.name);
    const twice = names.find((name, i) => names.indexOf(name) !== i);
    if (twice !== undefined) {
      throw this.invalid(`${where} names ${twice} twice`);
    }
    return nodes;
  }

  identities(value: unknown): Record<string, IdentityFiles> {
    const fields = this.object(value, 'identities');
    const result: Record<string, IdentityFiles> = {};
    for (const name of Object.keys(fields)) {
      const where = `identities.${name}`;
      const entry = this.object(fields[name], where, KNOWN.identity);
      result[name] = {
        cert: this.file(entry, 'cert', `${where}.cert`),
        key: this.file(entry, 'key', `${where}.key`),
      };
    }
    return result;
  }

  assetCa(value: unknown): AssetCaProfile {
    const fields = this.object(value, 'assetCa', KNOWN.assetCa);
    const url = this.text(fields, 'url', 'assetCa.url');
    if (!HTTPS_URL.test(url)) {
      throw this.invalid(`assetCa.url must be https://host:port, not ${url}`);
    }
    const registrar = this.object(fields['registrar'], 'assetCa.registrar', KNOWN.identity);
    return {
      url,
      caName: this.text(fields, 'caName', 'assetCa.caName'),
      tlsRootCert: this.file(fields, 'tlsRootCert', 'assetCa.tlsRootCert'),
      registrar: {
        cert: this.file(registrar, 'cert', 'assetCa.registrar.cert'),
        key: this.file(registrar, 'key', 'assetCa.registrar.key'),
      },
    };
  }

  #node(value: unknown, where: string): PeerProfile {
    const fields = this.object(value, where, KNOWN.node);
    const endpoint = this.text(fields, 'endpoint', `${where}.endpoint`);
    const port = Number(ENDPOINT.exec(endpoint)?.[1] ?? 0);
    if (port < 1 || port > 65_535) {
      throw this.invalid(`${where}.endpoint must be host:port, not ${endpoint}`);
    }
    const peer = {
      name: this.text(fields, 'name', `${where}.name`),
      endpoint,
      tlsRootCert: this.file(fields, 'tlsRootCert', `${where}.tlsRootCert`),
    };
    return fields['tlsHostname'] === undefined
      ? peer
      : { ...peer, tlsHostname: this.text(fields, 'tlsHostname', `${where}.tlsHostname`) };
  }

  invalid(problem: string): CrowdLedgerError {
    return new CrowdLedgerError(ClientErrorCode.invalidProfile, `profile ${this.#path}: ${problem}`);
  }
}
