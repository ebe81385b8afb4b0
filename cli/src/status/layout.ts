import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CliError, ExitCode } from '../errors';

export type NodeRole = 'ca' | 'orderer' | 'peer' | 'chaincode';

/** One process of the network, as status probes it. */
export interface NetworkNode {
  readonly name: string;
  readonly role: NodeRole;
  readonly org: string;
  readonly host: string;
  readonly port: number;
  /** Operations (health, metrics) port; chaincode services have none. */
  readonly opsPort: number | null;
  readonly dir: string;
}

export interface NetworkLayout {
  readonly home: string;
  readonly channel: string;
  readonly nodes: readonly NetworkNode[];
}

type Fields = Partial<Record<string, unknown>>;

/** Reads `<home>/layout.json`; its absence means no network was ever set up. */
export async function readLayout(home: string): Promise<NetworkLayout> {
  const path = join(home, 'layout.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new CliError('no network: run `crowdledger network up`', ExitCode.noNetwork, { cause });
  }
  try {
    return parseLayout(JSON.parse(text), home);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new CliError(`${path} is not a network layout: ${reason}`, ExitCode.failed, { cause });
  }
}

export function parseLayout(json: unknown, home: string): NetworkLayout {
  const root = fields(json, 'layout');
  const nodeHome = typeof root['home'] === 'string' ? root['home'] : home;
  const orgs = list(root['orgs'], 'orgs').map((org, i) => fields(org, `orgs[${String(i)}]`));
  const services = chaincodeServices(root['chaincodeType']);
  return {
    home: nodeHome,
    channel: text(root, 'channel'),
    nodes: orgs.flatMap((org) => orgNodes(org, nodeHome, services)),
  };
}

/** A ccaas package (the default) runs a chaincode service per peer; a node package runs under its peer. */
function chaincodeServices(type: unknown): boolean {
  if (type === undefined || type === 'ccaas') {
    return true;
  }
  if (type === 'node') {
    return false;
  }
  throw new Error('chaincodeType must be ccaas or node');
}

function orgNodes(org: Fields, home: string, services: boolean): NetworkNode[] {
  const key = text(org, 'key');
  const peers = optionalList(org['peers']).map((p) => ({
    fields: fields(p, `${key} peer`),
    node: node(p, 'peer', key),
  }));
  return [
    node(org['ca'], 'ca', key),
    ...optionalList(org['orderers']).map((o) => node(o, 'orderer', key)),
    ...peers.map((p) => p.node),
    ...(services ? peers.map((p) => chaincodeService(p.fields, p.node, home)) : []),
  ];
}

function node(value: unknown, role: NodeRole, org: string): NetworkNode {
  const f = fields(value, `${org} ${role}`);
  return {
    name: text(f, 'name'),
    role,
    org,
    host: text(f, 'host'),
    port: port(f, 'port'),
    opsPort: port(f, 'opsPort'),
    dir: text(f, 'dir'),
  };
}

// Each peer's chaincode is served by a process of its own, cc.<peer>.
function chaincodeService(peerFields: Fields, peer: NetworkNode, home: string): NetworkNode {
  const name = `cc.${peer.name}`;
  const dir = join(home, 'nodes', name);
  return { ...peer, name, role: 'chaincode', port: port(peerFields, 'chaincodePort'), opsPort: null, dir };
}

function fields(value: unknown, where: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${where} must be an object`);
  }
  return value;
}

function list(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) {
    throw new Error(`${where} must be an array`);
  }
  return value;
}

function optionalList(value: unknown): unknown[] {
  return value === undefined ? [] : list(value, 'nodes');
}

function text(f: Fields, name: string): string {
  const value = f[name];
  if (typeof value !== 'string' || value.length === 0) {
    throw new Error(`${name} must be a non-empty string`);
  }
  return value;
}

function port(f: Fields, name: string): number {
  const value = f[name];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65_535) {
    throw new Error(`${name} must be a port number`);
  }
  return value;
}
