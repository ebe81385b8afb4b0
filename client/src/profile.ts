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

/** One organisation's view of the network, as the network scripts write it. */
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
  /** Present on platform profiles only. */
  readonly assetCa?: AssetCaProfile;
  /**
   * Platform profiles only: the file holding the platform's reference secret
   * (64 hex digits, owner-only), which keys its user IDs (R12).
   */
  readonly referenceSecret?: string;
}

type Fields = Partial<Record<string, unknown>>;

const ENDPOINT = /^[A-Za-z0-9.-]+:\d{1,5}$/;
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
  const root = reader.object(json, 'the profile');
  const profile = {
    org: reader.text(root, 'org'),
    mspId: reader.text(root, 'mspId'),
    channel: reader.text(root, 'channel'),
    chaincode: reader.text(root, 'chaincode'),
    peers: reader.peers(root['peers']),
    identities: reader.identities(root['identities']),
  };
  return {
    ...profile,
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

  object(value: unknown, where: string): Fields {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw this.#invalid(`${where} must be an object`);
    }
    return value;
  }

  text(fields: Fields, name: string, where = name): string {
    const value = fields[name];
    if (typeof value !== 'string' || value.length === 0) {
      throw this.#invalid(`${where} must be a non-empty string`);
    }
    return value;
  }

  file(fields: Fields, name: string, where: string): string {
    const value = this.text(fields, name, where);
    return isAbsolute(value) ? value : resolve(this.#base, value);
  }

  peers(value: unknown): PeerProfile[] {
    if (!Array.isArray(value) || value.length === 0) {
      throw this.#invalid('peers must be a non-empty array');
    }
    return value.map((item: unknown, i) => this.#peer(item, `peers[${String(i)}]`));
  }

  identities(value: unknown): Record<string, IdentityFiles> {
    const fields = this.object(value, 'identities');
    const result: Record<string, IdentityFiles> = {};
    for (const name of Object.keys(fields)) {
      const where = `identities.${name}`;
      const entry = this.object(fields[name], where);
      result[name] = {
        cert: this.file(entry, 'cert', `${where}.cert`),
        key: this.file(entry, 'key', `${where}.key`),
      };
    }
    return result;
  }

  assetCa(value: unknown): AssetCaProfile {
    const fields = this.object(value, 'assetCa');
    const url = this.text(fields, 'url', 'assetCa.url');
    if (!HTTPS_URL.test(url)) {
      throw this.#invalid(`assetCa.url must be https://host:port, not ${url}`);
    }
    const registrar = this.object(fields['registrar'], 'assetCa.registrar');
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

  #peer(value: unknown, where: string): PeerProfile {
    const fields = this.object(value, where);
    const endpoint = this.text(fields, 'endpoint', `${where}.endpoint`);
    if (!ENDPOINT.test(endpoint)) {
      throw this.#invalid(`${where}.endpoint must be host:port, not ${endpoint}`);
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

  #invalid(problem: string): CrowdLedgerError {
    return new CrowdLedgerError(ClientErrorCode.invalidProfile, `profile ${this.#path}: ${problem}`);
  }
}
