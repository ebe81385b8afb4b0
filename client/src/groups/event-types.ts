import type {
  AssetRegisteredPayload,
  CertificatesRecordedPayload,
  EventNameValue,
  KeyRegisteredPayload,
  HoldingAcceptedPayload,
  HoldingDeclinedPayload,
  HoldersImportedPayload,
  KnownEventPayloads,
  RegisteredHolder,
  TradeExecutedPayload,
} from '@crowdledger/protocol';
import type { ChaincodeEvent } from '@hyperledger/fabric-gateway';
import { arrayOf, bool, type Decoder, object, optional, text, wholeNumber } from '../decode';
import { isCrowdLedgerError } from '../errors';
import { decoders } from '../model';

export type {
  AssetRegisteredPayload,
  CertificatesRecordedPayload,
  KeyRegisteredPayload,
  HoldingAcceptedPayload,
  HoldingDeclinedPayload,
  HoldersImportedPayload,
  KnownEventPayloads,
  RegisteredHolder,
  TradeExecutedPayload,
} from '@crowdledger/protocol';

/** Where an event was committed. */
export interface EventPosition {
  /** The block the event's transaction committed in. */
  readonly blockNumber: bigint;
  /** The transaction that emitted it. */
  readonly transactionId: string;
}

/** The name of an event this SDK version knows: every one the protocol names. */
export type KnownEventName = EventNameValue;

/** A known event: `name` tells the payload's type. */
export type KnownEvent = {
  readonly [N in KnownEventName]: EventPosition & {
    readonly name: N;
    readonly payload: KnownEventPayloads[N];
  };
}[KnownEventName];

/**
 * An event this SDK version cannot read: a newer chaincode's, or a known name
 * whose payload did not decode (`problem` says why). Old clients keep
 * running when the chaincode gains events.
 */
export interface UnknownEvent extends EventPosition {
  /** The discriminant of unreadable events. */
  readonly name: 'Unknown';
  /** The name the chaincode gave the event. */
  readonly eventName: string;
  /** The payload as JSON, or as UTF-8 text when it is not JSON. */
  readonly payload: unknown;
  /** Set when the name is known but the payload did not decode: why. */
  readonly problem?: string;
}

/** Every chaincode event, as a discriminated union on `name`. */
export type CrowdLedgerEvent = KnownEvent | UnknownEvent;

const assetRegistered: Decoder<AssetRegisteredPayload> = object<AssetRegisteredPayload>({
  assetId: text,
  platform: text,
  totalUnits: wholeNumber,
  registeredAt: text,
  holders: arrayOf(
    object<RegisteredHolder>({
      userId: text,
      platform: text,
      units: wholeNumber,
      certificateDue: bool,
      pending: bool,
    }),
  ),
});

const holdingAccepted: Decoder<HoldingAcceptedPayload> = object<HoldingAcceptedPayload>({
  holding: decoders.holding,
  platform: text,
  assetPlatform: text,
});

const holdingDeclined: Decoder<HoldingDeclinedPayload> = object<HoldingDeclinedPayload>({
  assetId: text,
  userId: text,
  platform: text,
  assetPlatform: text,
  units: wholeNumber,
  totalUnits: wholeNumber,
});

const tradeExecuted: Decoder<TradeExecutedPayload> = object<TradeExecutedPayload>({
  trade: decoders.trade,
  buyerCertificateDue: bool,
  sellerCertificateRevoked: bool,
  listing: optional(decoders.listing),
  offer: optional(decoders.offer),
});

const PAYLOADS: { readonly [N in KnownEventName]: Decoder<KnownEventPayloads[N]> } = {
  UserRegistered: decoders.user,
  AssetRegistered: assetRegistered,
  ImportStarted: decoders.asset,
  HoldersImported: object<HoldersImportedPayload>({
    assetId: text,
    platform: text,
    holders: arrayOf(object({ userId: text, units: wholeNumber })),
  }),
  ImportFinished: decoders.asset,
  HoldingAccepted: holdingAccepted,
  HoldingDeclined: holdingDeclined,
  CertificateRecorded: decoders.certificateRecord,
  CertificatesRecorded: object<CertificatesRecordedPayload>({ records: arrayOf(decoders.certificateRecord) }),
  CertificateRevoked: decoders.certificateRecord,
  TransactionKeyRegistered: object<KeyRegisteredPayload>({
    ...decoders.transactionKeyFields,
    replacedKeyId: optional(text),
  }),
  ListingCreated: decoders.listing,
  ListingCancelled: decoders.listing,
  ListingExpired: decoders.listing,
  TradeExecuted: tradeExecuted,
  OfferCreated: decoders.offer,
  OfferCancelled: decoders.offer,
  OfferExpired: decoders.offer,
  CommitmentMade: decoders.commitmentChange,
  CommitmentWithdrawn: decoders.commitmentChange,
  CampaignSettled: decoders.campaignSettlement,
};

function isKnownName(name: string): name is KnownEventName {
  return Object.hasOwn(PAYLOADS, name);
}

function rawPayload(bytes: Uint8Array): unknown {
  const textValue = Buffer.from(bytes).toString('utf8');
  try {
    return JSON.parse(textValue) as unknown;
  } catch {
    return textValue;
  }
}

function known(name: KnownEventName, payload: unknown, position: EventPosition): KnownEvent {
  const decoded = PAYLOADS[name](payload, `${name} event`);
  // TypeScript cannot pair the name with its decoder's result; PAYLOADS does, by construction.
  return { ...position, name, payload: decoded } as KnownEvent;
}

/** Reads a chaincode event into its typed form; never throws for an unexpected event. */
export function parseChaincodeEvent(event: ChaincodeEvent): CrowdLedgerEvent {
  const position = { blockNumber: event.blockNumber, transactionId: event.transactionId };
  const payload = rawPayload(event.payload);
  if (!isKnownName(event.eventName)) {
    return { ...position, name: 'Unknown', eventName: event.eventName, payload };
  }
  try {
    return known(event.eventName, payload, position);
  } catch (error) {
    if (!isCrowdLedgerError(error)) {
      throw error;
    }
    return { ...position, name: 'Unknown', eventName: event.eventName, payload, problem: error.sentence };
  }
}
