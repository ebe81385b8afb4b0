import { X509Certificate } from 'node:crypto';
import { common, msp, orderer as ordererProtos } from '@hyperledger/fabric-protos';
import type { RawBlock } from './block';

/** What an orderer organisation's MSP in the channel config says about its signers. */
export interface OrdererOrg {
  readonly mspId: string;
  readonly roots: readonly X509Certificate[];
  readonly intermediates: readonly X509Certificate[];
  /** When the MSP classifies identities (NodeOUs): the OU an orderer's certificate carries, and the CA pinned for it. */
  readonly ordererOu: { readonly ou: string; readonly issuer: X509Certificate | undefined } | undefined;
}

/** A SmartBFT consenter of the channel config: who signs a block by its number alone. */
export interface Consenter {
  readonly id: number;
  readonly mspId: string;
  /** The consenter's signing certificate (PEM), as the config's consenter mapping holds it. */
  readonly identity: Uint8Array;
}

/**
 * On a BFT channel (Fabric v3 SmartBFT) a block is valid with signatures from
 * a quorum of its consenters, each naming its signer by consenter id.
 */
export interface BftConsenters {
  readonly consenters: ReadonlyMap<number, Consenter>;
  /** Distinct consenters that must sign each block: Fabric's ceil((n + f + 1) / 2), f = floor((n - 1) / 3). */
  readonly quorum: number;
}

/** The orderer organisations of the channel, from its latest config block. */
export interface OrdererTrust {
  /** The config block this trust was read from. */
  readonly configBlock: bigint;
  readonly orgs: ReadonlyMap<string, OrdererOrg>;
  /** Set when the channel's consensus type is BFT. */
  readonly bft: BftConsenters | undefined;
}

const FABRIC_MSP_TYPE = 0;

/** The channel header type of a block's single envelope, or undefined when it is not one. */
export function envelopeType(envelopeBytes: Uint8Array): number | undefined {
  try {
    const envelope = common.Envelope.deserializeBinary(envelopeBytes);
    const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
    const header = payload.getHeader();
    if (header === undefined) {
      return undefined;
    }
    return common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8()).getType();
  } catch {
    return undefined;
  }
}

export function isConfigBlock(block: RawBlock): boolean {
  const [first] = block.data;
  return block.data.length === 1 && first !== undefined && envelopeType(first) === common.HeaderType.CONFIG;
}

/**
 * Reads the orderer organisations' MSPs (root and intermediate certificates,
 * orderer OU) from a config block. Throws when the block holds no readable config.
 */
export function ordererTrustFrom(block: RawBlock): OrdererTrust {
  const where = `config block ${block.number.toString()}`;
  const orderer = channelGroup(block, where)?.groupsMap.find(([name]) => name === 'Orderer')?.[1];
  if (orderer === undefined) {
    throw new Error(`${where} has no Orderer group`);
  }
  const orgs = new Map<string, OrdererOrg>();
  for (const [name, group] of orderer.groupsMap) {
    const value = group.valuesMap.find(([key]) => key === 'MSP')?.[1].value;
    if (value !== undefined) {
      const org = ordererOrg(bytesOf(value), name);
      orgs.set(org.mspId, org);
    }
  }
  if (orgs.size === 0) {
    throw new Error(`${where} names no orderer organisation MSP`);
  }
  return { configBlock: block.number, orgs, bft: bftConsentersOf(orderer, where) };
}

/** The BFT quorum Fabric's configtxgen writes into the BlockValidation policy (common/policies/bft.go). */
export function bftQuorum(consenters: number): number {
  const faulty = Math.floor((consenters - 1) / 3);
  return Math.ceil((consenters + faulty + 1) / 2);
}

function ordererValue(orderer: common.ConfigGroup.AsObject, key: string): Uint8Array | undefined {
  const value = orderer.valuesMap.find(([name]) => name === key)?.[1].value;
  return value === undefined ? undefined : bytesOf(value);
}

/** The consenter mapping of a BFT channel; undefined for any other consensus type. */
function bftConsentersOf(orderer: common.ConfigGroup.AsObject, where: string): BftConsenters | undefined {
  const type = ordererValue(orderer, 'ConsensusType');
  if (type === undefined || ordererProtos.ConsensusType.deserializeBinary(type).getType() !== 'BFT') {
    return undefined;
  }
  const mapping = ordererValue(orderer, 'Orderers');
  const list =
    mapping === undefined ? [] : common.Orderers.deserializeBinary(mapping).getConsenterMappingList();
  if (list.length === 0) {
    throw new Error(`${where} is BFT but lists no consenters`);
  }
  const consenters = new Map(
    list.map((c) => [c.getId(), { id: c.getId(), mspId: c.getMspId(), identity: c.getIdentity_asU8() }]),
  );
  return { consenters, quorum: bftQuorum(consenters.size) };
}

function channelGroup(block: RawBlock, where: string): common.ConfigGroup.AsObject | undefined {
  const [first] = block.data;
  if (first === undefined || !isConfigBlock(block)) {
    throw new Error(`${where} is not a config block`);
  }
  const payload = common.Payload.deserializeBinary(
    common.Envelope.deserializeBinary(first).getPayload_asU8(),
  );
  const config = common.ConfigEnvelope.deserializeBinary(payload.getData_asU8()).getConfig();
  // toObject: the map accessors' types come from google-protobuf, which ships none.
  return config?.getChannelGroup()?.toObject();
}

/** toObject() gives bytes fields as base64. */
function bytesOf(value: Uint8Array | string): Uint8Array {
  return typeof value === 'string' ? Buffer.from(value, 'base64') : value;
}

function ordererOrg(mspValue: Uint8Array, groupName: string): OrdererOrg {
  const mspConfig = msp.MSPConfig.deserializeBinary(mspValue);
  if (mspConfig.getType() !== FABRIC_MSP_TYPE) {
    throw new Error(`orderer org ${groupName} uses MSP type ${String(mspConfig.getType())}, not Fabric's`);
  }
  const fabric = msp.FabricMSPConfig.deserializeBinary(mspConfig.getConfig_asU8());
  const nodeOus = fabric.getFabricNodeOus();
  const ordererOu = nodeOus?.getEnable() === true ? nodeOus.getOrdererOuIdentifier() : undefined;
  const pinned = ordererOu?.getCertificate_asU8();
  return {
    mspId: fabric.getName(),
    roots: fabric.getRootCertsList_asU8().map((pem) => new X509Certificate(pem)),
    intermediates: fabric.getIntermediateCertsList_asU8().map((pem) => new X509Certificate(pem)),
    ordererOu:
      ordererOu === undefined
        ? undefined
        : {
            ou: ordererOu.getOrganizationalUnitIdentifier(),
            issuer: pinned === undefined || pinned.length === 0 ? undefined : new X509Certificate(pinned),
          },
  };
}
