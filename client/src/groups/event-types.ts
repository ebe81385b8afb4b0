import type { EventNameValue } from '@crowdledger/protocol';
import type { ChaincodeEvent } from '@hyperledger/fabric-gateway';
import { arrayOf, bool, type Decoder, object, optional, text, wholeNumber } from '../decode';
import { isCrowdLedgerError } from '../errors';
import {
  type CampaignSettlement,
  type CertificateRecord,
  type CommitmentChange,
  decoders,
  type Listing,
  type Offer,
  type TradeResult,
  type User,
} from '../model';

/** A holder of a newly registered asset, as the AssetRegistered event lists them. */
export interface RegisteredHolder {
  /** The holder. */
  readonly userId: string;
  /** Their initial units. */
  readonly units: number;
  /** True: the holder needs an asset certificate (R3). */
  readonly certificateDue: boolean;
}

/** The AssetRegistered event: the asset's public summary and every initial holder. */
export interface AssetRegisteredPayload {
  /** The new asset. */
  readonly assetId: string;
  /** MSP ID of the registering platform. */
  readonly platform: string;
  /** Its units in all. */
  readonly totalUnits: number;
  /** ISO-8601 time of the registering transaction. */
  readonly registeredAt: string;
  /** Every initial holder; their users may belong to any platform. */
  readonly holders: readonly RegisteredHolder[];
}

/** The TradeExecuted event: the trade, its certificate effects, and the listing or offer after it. */
export interface TradeExecutedPayload extends TradeResult {
  /** Present when the trade was a purchase from a listing: the listing after it. */
  readonly listing?: Listing;
  /** Present when the trade was an accepted offer: the offer, now ACCEPTED. */
  readonly offer?: Offer;
}

/** The TransactionKeySet event: who, and when; never the key. */
export interface KeySetPayload {
  /** The user whose key was set. */
  readonly userId: string;
  /** ISO-8601 time of the setting transaction. */
  readonly setAt: string;
}

/** The TransactionKeyRefused event: a wrong or locked key was presented (and the refusal committed). */
export interface KeyRefusedPayload {
  /** The user whose key was refused. */
  readonly userId: string;
  /** Consecutive wrong keys now. */
  readonly failures: number;
  /** True when the key is now locked. */
  readonly locked: boolean;
}

/** Where an event was committed. */
export interface EventPosition {
  /** The block the event's transaction committed in. */
  readonly blockNumber: bigint;
  /** The transaction that emitted it. */
  readonly transactionId: string;
}

/** The payload of each event the SDK knows, by the protocol's event name. */
export interface KnownEventPayloads {
  /** A platform registered a user: the public record. */
  readonly UserRegistered: User;
  /** A platform registered an asset and its initial holders. */
  readonly AssetRegistered: AssetRegisteredPayload;
  /** A holder's certificate was recorded: the new record. */
  readonly CertificateRecorded: CertificateRecord;
  /** A holder's certificate was revoked on the ledger: the revoked record. */
  readonly CertificateRevoked: CertificateRecord;
  /** A platform set or replaced a user's transaction key. */
  readonly TransactionKeySet: KeySetPayload;
  /** A key-gated transaction was refused (wrong or locked key); the count was committed. */
  readonly TransactionKeyRefused: KeyRefusedPayload;
  /** A listing or campaign was created: the new record. */
  readonly ListingCreated: Listing;
  /** A listing was cancelled: the cancelled record. */
  readonly ListingCancelled: Listing;
  /** A listing expired and its escrow was released: the expired record. */
  readonly ListingExpired: Listing;
  /** A purchase or an accepted offer executed a trade. */
  readonly TradeExecuted: TradeExecutedPayload;
  /** A private offer was created: the new record. */
  readonly OfferCreated: Offer;
  /** An offer was cancelled: the cancelled record. */
  readonly OfferCancelled: Offer;
  /** An offer expired and its escrow was released: the expired record. */
  readonly OfferExpired: Offer;
  /** An investor committed units to a campaign: their total and the campaign. */
  readonly CommitmentMade: CommitmentChange;
  /** An investor withdrew: what was released and the campaign. */
  readonly CommitmentWithdrawn: CommitmentChange;
  /** A campaign was settled: SUCCEEDED with trades, or FAILED with releases. */
  readonly CampaignSettled: CampaignSettlement;
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
  holders: arrayOf(object<RegisteredHolder>({ userId: text, units: wholeNumber, certificateDue: bool })),
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
  CertificateRecorded: decoders.certificateRecord,
  CertificateRevoked: decoders.certificateRecord,
  TransactionKeySet: object<KeySetPayload>({ userId: text, setAt: text }),
  TransactionKeyRefused: object<KeyRefusedPayload>({ userId: text, failures: wholeNumber, locked: bool }),
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
