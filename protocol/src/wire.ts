// What the chaincode returns and emits, as plain read-only data: the wire
// types both sides agree on. The chaincode's records implement them; the SDK
// decodes every result into them. Times are ISO-8601 strings exactly as the
// ledger holds them.
import type { EventNameValue, HistoryKind } from './names';
import type { ConsentAlgorithm } from './consent';
import type { IdType } from './personal-data';

/** The public part of a user (R1): no personal data, only a salted commitment to it (R12). */
export interface User {
  /** `U` + 32 hex digits, derived from the platform and its reference ({@link userIdFor}). */
  readonly userId: string;
  /** MSP ID of the platform that registered the user and keeps their personal data. */
  readonly platform: string;
  /** ACTIVE: the only status so far. */
  readonly status: 'ACTIVE';
  /** Lower-case hex SHA-256 over the salt and the personal data ({@link userCommitment}). */
  readonly commitment: string;
  /** ISO-8601 time of the registering transaction. */
  readonly registeredAt: string;
}

/** A user's personal data, from the private collection of their platform (R12). */
export interface PersonalData {
  /** The user these data belong to. */
  readonly userId: string;
  /** The platform's own reference the user was registered with. */
  readonly platformRef: string;
  /** Exactly as registered: no trimming or Unicode normalisation. */
  readonly name: string;
  /** The kind of identity document. */
  readonly idType: IdType;
  /** The document's number, upper case. */
  readonly idNumber: string;
  /** The salt of the user's commitment, lower-case hex. */
  readonly salt: string;
}

/**
 * PENDING: another platform's user was made a holder, and their platform has
 * not accepted the holding yet (R13): no certificate is due, and the units
 * can't be traded; DUE: no certificate yet; ISSUED: one is on record;
 * REVOKED: it was revoked and none replaces it.
 */
export const CERTIFICATE_STATES = ['PENDING', 'DUE', 'ISSUED', 'REVOKED'] as const;
/** Where a holding's certificate stands; see {@link CERTIFICATE_STATES}. */
export type CertificateState = (typeof CERTIFICATE_STATES)[number];

/** One holder's units of one asset. */
export interface Holding {
  /** The asset held. */
  readonly assetId: string;
  /** The holder. */
  readonly userId: string;
  /** Whole units held, at least 1. */
  readonly units: number;
  /** Units locked by listings, part of `units`. */
  readonly escrowed: number;
  /** Where the holder's asset certificate stands; PENDING while the holder's platform has not accepted the holding. */
  readonly certificate: CertificateState;
}

/** Every holding of one user, in asset ID order. */
export interface Portfolio {
  /** The user. */
  readonly userId: string;
  /** Their holdings, in asset ID order. */
  readonly holdings: readonly Holding[];
}

/** A document of an asset, kept by hash. */
export interface AssetDocument {
  /** The document's name, e.g. `prospectus.pdf`. */
  readonly name: string;
  /** SHA-256 of the document, lower-case hex. */
  readonly sha256: string;
  /** Where the document can be fetched. */
  readonly uri: string;
}

/** What kind of asset it is. */
export const ASSET_CATEGORIES = ['EQUITY', 'DEBT', 'FUND', 'REVENUE_SHARE', 'OTHER'] as const;
/** What kind of asset it is. */
export type AssetCategory = (typeof ASSET_CATEGORIES)[number];

/** The descriptive attributes of an asset (R2). */
export interface AssetAttributes {
  /** The asset's name. */
  readonly name: string;
  /** What kind of asset it is. */
  readonly category: AssetCategory;
  /** Free text, up to 4000 characters. */
  readonly description: string;
  /** ISO 4217 code such as CNY. */
  readonly currency: string;
  /** Documents kept by hash, up to 50. */
  readonly documents: readonly AssetDocument[];
}

/** The rights that come with an asset's units (R2). */
export interface AssetRights {
  /** `votesPerUnit` is 0 exactly when voting is disabled. */
  readonly voting: { readonly enabled: boolean; readonly votesPerUnit: number };
  /** `policy` may be empty only when dividends are disabled. */
  readonly dividend: { readonly enabled: boolean; readonly policy: string };
  /** Further equity terms, names unique. */
  readonly otherTerms: readonly { readonly name: string; readonly value: string }[];
}

/** An asset (R2); its holders are separate {@link Holding}s. */
export interface Asset {
  /** `A` + 32 hex digits, derived from the platform and its reference ({@link assetIdFor}). */
  readonly assetId: string;
  /** MSP ID of the registering platform. */
  readonly platform: string;
  /** What the asset is. */
  readonly attributes: AssetAttributes;
  /** What its units entitle holders to. */
  readonly rights: AssetRights;
  /** The units all holdings add up to. */
  readonly totalUnits: number;
  /** ISO-8601 time of the registering transaction. */
  readonly registeredAt: string;
  /** ACTIVE: the only status so far. */
  readonly status: 'ACTIVE';
}

/** One page of a paged read. */
export interface Page<T> {
  /** This page's records. */
  readonly records: readonly T[];
  /** Pass back for the next page; empty when there is none. */
  readonly bookmark: string;
  /** How many records the peer returned. */
  readonly fetched: number;
}

/** The ledger's record of a holder's current asset certificate (R3): facts only, never the certificate. */
export interface CertificateRecord {
  /** The asset of the holding. */
  readonly assetId: string;
  /** The holder (a user ID). */
  readonly holderId: string;
  /** The certificate's enrollment ID on the asset CA (its CN): `holder-` and 40 hex digits. */
  readonly enrollmentId: string;
  /** Upper-case hex. */
  readonly serial: string;
  /** The issuer's distinguished name (the asset CA). */
  readonly issuer: string;
  /** SHA-256 of the certificate's DER, lower-case hex. */
  readonly fingerprint: string;
  /** ISO-8601 start of the certificate's validity. */
  readonly notBefore: string;
  /** ISO-8601 end of the certificate's validity. */
  readonly notAfter: string;
  /** ACTIVE until revoked on the ledger. */
  readonly status: 'ACTIVE' | 'REVOKED';
  /** ISO-8601 time of the recording transaction. */
  readonly recordedAt: string;
  /** Present only when REVOKED. */
  readonly revokedAt?: string;
  /** Present only when REVOKED. */
  readonly revocationReason?: string;
}

/** What a holder sees with their asset certificate (R4). */
export interface CertificateView {
  /** The asset's public description. */
  readonly asset: {
    readonly assetId: string;
    readonly attributes: AssetAttributes;
    readonly rights: AssetRights;
    readonly totalUnits: number;
  };
  /** The holder's own holding. */
  readonly holding: {
    readonly units: number;
    readonly escrowed: number;
    /** units − escrowed. */
    readonly free: number;
    /** units / totalUnits with six decimals, e.g. "0.333333". */
    readonly shareOfTotal: string;
    readonly certificateSerial: string;
  };
}

/** One committed version of a record. */
export interface HistoryEntry<T> {
  /** The transaction that wrote this version. */
  readonly txId: string;
  /** ISO-8601 time of that transaction. */
  readonly timestamp: string;
  /** True when the transaction deleted the record. */
  readonly isDelete: boolean;
  /** The record as written; null for a delete. */
  readonly value: T | null;
}

/** The record kinds audit.history reads, and what each holds. */
export interface HistoryRecords extends Readonly<Record<HistoryKind, unknown>> {
  /** History of a user: id is the user ID. */
  readonly user: User;
  /** History of an asset: id is the asset ID. */
  readonly asset: Asset;
  /** History of a holding: id is `assetId/userId`. */
  readonly holding: Holding;
  /** History of a holding's certificate record: id is `assetId/userId`. */
  readonly certificate: CertificateRecord;
  /** History of a listing or campaign: id is the listing ID. */
  readonly listing: Listing;
  /** History of a private offer: id is the offer ID. */
  readonly offer: Offer;
  /** History of a trade (written once): id is the trade ID. */
  readonly trade: Trade;
}

/** FIXED: a fixed-price listing (R8); CAMPAIGN: a campaign with a target and deadline (R9). */
export const LISTING_KINDS = ['FIXED', 'CAMPAIGN'] as const;
/** FIXED: a fixed-price listing (R8); CAMPAIGN: a campaign with a target and deadline (R9). */
export type ListingKind = (typeof LISTING_KINDS)[number];

/**
 * FIXED: OPEN → CLOSED (sold out) | CANCELLED | EXPIRED.
 * CAMPAIGN: OPEN → SUCCEEDED | FAILED (settled) | CANCELLED.
 */
export const LISTING_STATUSES = ['OPEN', 'CLOSED', 'CANCELLED', 'EXPIRED', 'SUCCEEDED', 'FAILED'] as const;
/** A listing's status; see {@link LISTING_STATUSES}. */
export type ListingStatus = (typeof LISTING_STATUSES)[number];

/**
 * How a campaign allocates its units when investors committed more than it
 * offers (DESIGN R9; README "Campaigns"). FIRST_COME: in order of each
 * commitment's last change — its transaction time, then its transaction ID —
 * each investor gets what they committed while units last, the one at the
 * edge a part. PRO_RATA: each investor gets floor(committed × units ÷ total
 * committed); the units left over (fewer than the investors) go one each to
 * the largest remainders of that division, ties in FIRST_COME order.
 */
export const CAMPAIGN_ALLOCATIONS = ['FIRST_COME', 'PRO_RATA'] as const;
/** A campaign's allocation rule; see {@link CAMPAIGN_ALLOCATIONS}. */
export type CampaignAllocation = (typeof CAMPAIGN_ALLOCATIONS)[number];

/** A listing (R8) or campaign (R9): a seller's escrowed units offered to buyers of every platform. */
export interface Listing {
  /** `L` + hex digits, derived from the creating transaction's ID. */
  readonly listingId: string;
  /** FIXED or CAMPAIGN. */
  readonly kind: ListingKind;
  /** The asset offered. */
  readonly assetId: string;
  /** The seller (a user ID). */
  readonly sellerId: string;
  /** MSP ID of the seller's platform, which created the listing. */
  readonly sellerPlatform: string;
  /** Units offered, all escrowed from the seller's holding at creation. */
  readonly units: number;
  /**
   * FIXED: units not yet sold. CAMPAIGN: units not yet allocated — all of them
   * while it is open (commitments write only their own record; see
   * campaigns.commitments), then what settlement did not allocate.
   */
  readonly remaining: number;
  /** Whole minor units of the asset's currency (fen) per unit. */
  readonly pricePerUnit: number;
  /** Least units per buyer (per investor for a campaign), over all their purchases from it. */
  readonly minPerBuyer: number;
  /** Most units per buyer (per investor for a campaign), over all their purchases from it. */
  readonly maxPerBuyer: number;
  /** ISO-8601. FIXED: no purchase at or after it; CAMPAIGN: the deadline. */
  readonly expiresAt: string;
  /** Where the listing stands. */
  readonly status: ListingStatus;
  /** ISO-8601 time of the creating transaction. */
  readonly createdAt: string;
  /** CAMPAIGN only: committed units needed by the deadline. */
  readonly targetUnits?: number;
  /**
   * CAMPAIGN only: investors counted at settlement; 0 while open (campaigns
   * created before allocation rules counted them as they committed).
   */
  readonly investors?: number;
  /** CAMPAIGN only: how it allocates when oversubscribed; absent (older campaigns) means FIRST_COME. */
  readonly allocation?: CampaignAllocation;
}

/** What a trade executed against: a FIXED listing, a settled CAMPAIGN, or a private OFFER. */
export const TRADE_SOURCES = ['FIXED', 'CAMPAIGN', 'OFFER'] as const;
/** What a trade executed against. */
export type TradeSource = (typeof TRADE_SOURCES)[number];

/** One executed trade (R5): written once, never changed. */
export interface Trade {
  /** The trade's ID. */
  readonly tradeId: string;
  /** FIXED, CAMPAIGN or OFFER. */
  readonly via: TradeSource;
  /** The listing (`L…`) or, for via OFFER, the offer (`O…`) it executed against. */
  readonly listingId: string;
  /** The asset traded. */
  readonly assetId: string;
  /** The seller (a user ID). */
  readonly sellerId: string;
  /** The buyer (a user ID). */
  readonly buyerId: string;
  /** MSP ID of the seller's platform. */
  readonly sellerPlatform: string;
  /** MSP ID of the buyer's platform. */
  readonly buyerPlatform: string;
  /** Units moved. */
  readonly units: number;
  /** Fen per unit. */
  readonly pricePerUnit: number;
  /** units × pricePerUnit in fen, exact. */
  readonly amount: number;
  /** ISO-8601 time of the trade's transaction. */
  readonly executedAt: string;
}

/** An executed trade and what it did to certificates (R6). */
export interface TradeResult {
  /** The trade. */
  readonly trade: Trade;
  /** The buyer held none of the asset before: a certificate is due (certificates.issue / issueDue). */
  readonly buyerCertificateDue: boolean;
  /** The seller sold their last unit: their certificate record was revoked. */
  readonly sellerCertificateRevoked: boolean;
}

/** OPEN → ACCEPTED | CANCELLED | EXPIRED. */
export const OFFER_STATUSES = ['OPEN', 'ACCEPTED', 'CANCELLED', 'EXPIRED'] as const;
/** An offer's status. */
export type OfferStatus = (typeof OFFER_STATUSES)[number];

/** A private offer: a seller's escrowed units for one named buyer, taken whole or not at all. */
export interface Offer {
  /** `O` + hex digits, derived from the creating transaction's ID. */
  readonly offerId: string;
  /** The asset offered. */
  readonly assetId: string;
  /** The seller (a user ID). */
  readonly sellerId: string;
  /** MSP ID of the seller's platform. */
  readonly sellerPlatform: string;
  /** The one buyer who may accept (a user ID, any platform). */
  readonly buyerId: string;
  /** MSP ID of the buyer's platform. */
  readonly buyerPlatform: string;
  /** Units offered, escrowed from the seller. */
  readonly units: number;
  /** Fen per unit. */
  readonly pricePerUnit: number;
  /** ISO-8601; no acceptance at or after it. */
  readonly expiresAt: string;
  /** Where the offer stands. */
  readonly status: OfferStatus;
  /** ISO-8601 time of the creating transaction. */
  readonly createdAt: string;
}

/** Units an investor has reserved in a campaign (R9); nothing moves until it settles. */
export interface Commitment {
  /** The campaign. */
  readonly listingId: string;
  /** The investor (a user ID). */
  readonly buyerId: string;
  /** MSP ID of the investor's platform. */
  readonly buyerPlatform: string;
  /** The investor's total commitment to the campaign. */
  readonly units: number;
  /** ISO-8601 time of the last commitment that changed units: with txId, its FIRST_COME place. */
  readonly committedAt: string;
  /** The transaction of that last change (absent on commitments made before allocation rules). */
  readonly txId?: string;
  /** Set at settlement: units the investor received (0 when the campaign failed). */
  readonly allocatedUnits?: number;
  /** Set at settlement: allocatedUnits × the campaign's price, in fen, exact. */
  readonly amount?: number;
  /** Set at settlement: (units − allocatedUnits) × the campaign's price, in fen, exact: owed back to the investor. */
  readonly refund?: number;
}

/** A commitment made or withdrawn, and the campaign after it. */
export interface CommitmentChange {
  /** After commit: the investor's total; after withdraw: what was released. */
  readonly commitment: Commitment;
  /** The campaign after the change. */
  readonly listing: Listing;
}

/**
 * One step of a campaign's settlement (R9). A step settles up to 200
 * commitments, in buyer ID order; `pending` says how many are left for the
 * next step (the SDK's settle runs steps until none is). With the target met
 * each commitment is allocated units by the campaign's rule and those become
 * trades; otherwise every commitment is released.
 */
export interface CampaignSettlement {
  /** The campaign after this step: SUCCEEDED or FAILED once no commitment is pending, OPEN before. */
  readonly listing: Listing;
  /** One trade per commitment settled in this step that was allocated units, in buyer ID order. */
  readonly trades: readonly Trade[];
  /** Commitments settled in this step that were allocated nothing (all of them when the campaign failed). */
  readonly releases: readonly Commitment[];
  /** Every commitment settled in this step, with allocatedUnits, amount and refund, in buyer ID order. */
  readonly settled: readonly Commitment[];
  /** Commitments still to settle: 0 when this step finished the campaign. */
  readonly pending: number;
  /** Buyers who held none of the asset before: each is due a certificate (R6). */
  readonly certificatesDue: readonly string[];
  /** The seller's last units went: their certificate record was revoked. */
  readonly sellerCertificateRevoked: boolean;
}

/** A user's transaction key as the ledger keeps it (R7): the public half only. */
export interface TransactionKey {
  /** The user who holds the private half. */
  readonly userId: string;
  /** SHA-256 of the DER SubjectPublicKeyInfo, lower-case hex (keyIdOf). */
  readonly keyId: string;
  /** ES256: ECDSA on P-256 with SHA-256. */
  readonly algorithm: ConsentAlgorithm;
  /** The DER SubjectPublicKeyInfo, base64url. */
  readonly publicKey: string;
  /** ISO-8601 time of the registering transaction. */
  readonly registeredAt: string;
}

/**
 * A pre-trade check (trades.canBuy, campaigns.canCommit): whether the
 * transaction would succeed now — every check but the user's signature
 * (that a key is registered is checked).
 */
export interface CheckResult {
  /** True when it would pass. */
  readonly ok: boolean;
  /** Only when not ok: the code the transaction would fail with (as sent; see isChaincodeErrorCode). */
  readonly code?: string;
  /** Why, in a sentence. */
  readonly sentence: string;
}

/** A holder of a newly registered asset, as the AssetRegistered event lists them. */
export interface RegisteredHolder {
  /** The holder. */
  readonly userId: string;
  /** MSP ID of the holder's platform: the one that issues their certificate, and accepts a pending holding. */
  readonly platform: string;
  /** Their initial units. */
  readonly units: number;
  /** True: the holder needs an asset certificate now (R3); false while pending. */
  readonly certificateDue: boolean;
  /**
   * True: the holder is another platform's user, so the holding waits for
   * that platform's assets:AcceptHolding (or DeclineHolding) (R13).
   */
  readonly pending: boolean;
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

/** The HoldingAccepted event: the holder's platform accepted a pending holding, now due a certificate. */
export interface HoldingAcceptedPayload {
  /** The holding after acceptance: certificate DUE. */
  readonly holding: Holding;
  /** MSP ID of the holder's platform, which accepted it. */
  readonly platform: string;
  /** MSP ID of the asset's registering platform. */
  readonly assetPlatform: string;
}

/**
 * The HoldingDeclined event: the holder's platform refused a pending
 * holding. Its units were never the holder's: they leave the asset, whose
 * total shrinks by them, so holdings still sum to the total (R2).
 */
export interface HoldingDeclinedPayload {
  /** The asset. */
  readonly assetId: string;
  /** The user who was to hold the units. */
  readonly userId: string;
  /** MSP ID of the holder's platform, which declined it. */
  readonly platform: string;
  /** MSP ID of the asset's registering platform. */
  readonly assetPlatform: string;
  /** The units of the declined holding. */
  readonly units: number;
  /** The asset's total units after the decline. */
  readonly totalUnits: number;
}

/** The TradeExecuted event: the trade, its certificate effects, and the listing or offer after it. */
export interface TradeExecutedPayload extends TradeResult {
  /** Present when the trade was a purchase from a listing: the listing after it. */
  readonly listing?: Listing;
  /** Present when the trade was an accepted offer: the offer, now ACCEPTED. */
  readonly offer?: Offer;
}

/** The TransactionKeyRegistered event: the new key, and the one it replaced. */
export interface KeyRegisteredPayload extends TransactionKey {
  /** The key it replaced, refused from this transaction's block on; absent for a user's first key. */
  readonly replacedKeyId?: string;
}

/** The payload of each event the SDK knows, by the protocol's event name. */
export interface KnownEventPayloads {
  /** A platform registered a user: the public record. */
  readonly UserRegistered: User;
  /** A platform registered an asset and its initial holders. */
  readonly AssetRegistered: AssetRegisteredPayload;
  /** A platform accepted a pending holding of its user: a certificate is now due. */
  readonly HoldingAccepted: HoldingAcceptedPayload;
  /** A platform declined a pending holding of its user: the units left the asset. */
  readonly HoldingDeclined: HoldingDeclinedPayload;
  /** A holder's certificate was recorded: the new record. */
  readonly CertificateRecorded: CertificateRecord;
  /** A holder's certificate was revoked on the ledger: the revoked record. */
  readonly CertificateRevoked: CertificateRecord;
  /** A platform registered a user's transaction key, first or replacing one. */
  readonly TransactionKeyRegistered: KeyRegisteredPayload;
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

/** The payload type of each protocol event; every event the protocol names has one. */
export type EventPayload<N extends EventNameValue> = KnownEventPayloads[N];
