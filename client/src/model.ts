// The decoders that check every result before a caller sees it; the types
// they produce are the protocol's wire types (protocol/src/wire.ts).
import {
  ASSET_CATEGORIES,
  CONSENT_ALGORITHMS,
  CERTIFICATE_STATES,
  CAMPAIGN_ALLOCATIONS,
  LISTING_KINDS,
  LISTING_STATUSES,
  OFFER_STATUSES,
  TRADE_SOURCES,
  type Asset,
  type AssetAttributes,
  type AssetDocument,
  type AssetRights,
  type CampaignSettlement,
  type CertificateRecord,
  type CertificateView,
  type CheckResult,
  type Commitment,
  type CommitmentChange,
  type HistoryEntry,
  type HistoryRecords,
  type Holding,
  type Listing,
  type Offer,
  type Page,
  type PersonalData,
  type Portfolio,
  type Trade,
  type TradeResult,
  type TransactionKey,
  type User,
  type HistoryKind,
  ID_TYPES,
} from '@crowdledger/protocol';
import { arrayOf, bool, type Decoder, nullable, object, oneOf, optional, text, wholeNumber } from './decode';

export type {
  Asset,
  AssetAttributes,
  AssetCategory,
  AssetDocument,
  AssetRights,
  CampaignAllocation,
  CampaignSettlement,
  CertificateRecord,
  CertificateState,
  CertificateView,
  CheckResult,
  Commitment,
  CommitmentChange,
  HistoryEntry,
  HistoryRecords,
  Holding,
  Listing,
  ListingKind,
  ListingStatus,
  Offer,
  OfferStatus,
  Page,
  PersonalData,
  Portfolio,
  Trade,
  TradeResult,
  TradeSource,
  TransactionKey,
  User,
} from '@crowdledger/protocol';

const transactionKeyFields = {
  userId: text,
  keyId: text,
  algorithm: oneOf(CONSENT_ALGORITHMS),
  publicKey: text,
  registeredAt: text,
};

const userDecoder: Decoder<User> = object<User>({
  userId: text,
  platform: text,
  status: oneOf(['ACTIVE'] as const),
  commitment: text,
  registeredAt: text,
});

const personalDataDecoder: Decoder<PersonalData> = object<PersonalData>({
  userId: text,
  platformRef: text,
  name: text,
  idType: oneOf(ID_TYPES),
  idNumber: text,
  salt: text,
});

const holdingDecoder: Decoder<Holding> = object<Holding>({
  assetId: text,
  userId: text,
  units: wholeNumber,
  escrowed: wholeNumber,
  certificate: oneOf(CERTIFICATE_STATES),
});

const attributesDecoder: Decoder<AssetAttributes> = object<AssetAttributes>({
  name: text,
  category: oneOf(ASSET_CATEGORIES),
  description: text,
  currency: text,
  documents: arrayOf(object<AssetDocument>({ name: text, sha256: text, uri: text })),
});

const rightsDecoder: Decoder<AssetRights> = object<AssetRights>({
  voting: object({ enabled: bool, votesPerUnit: wholeNumber }),
  dividend: object({ enabled: bool, policy: text }),
  otherTerms: arrayOf(object({ name: text, value: text })),
});

const assetDecoder: Decoder<Asset> = object<Asset>({
  assetId: text,
  platform: text,
  attributes: attributesDecoder,
  rights: rightsDecoder,
  totalUnits: wholeNumber,
  registeredAt: text,
  status: oneOf(['ACTIVE'] as const),
});

const certificateRecordDecoder: Decoder<CertificateRecord> = object<CertificateRecord>({
  assetId: text,
  holderId: text,
  enrollmentId: text,
  serial: text,
  issuer: text,
  fingerprint: text,
  notBefore: text,
  notAfter: text,
  status: oneOf(['ACTIVE', 'REVOKED'] as const),
  recordedAt: text,
  revokedAt: optional(text),
  revocationReason: optional(text),
});

const listingDecoder: Decoder<Listing> = object<Listing>({
  listingId: text,
  kind: oneOf(LISTING_KINDS),
  assetId: text,
  sellerId: text,
  sellerPlatform: text,
  units: wholeNumber,
  remaining: wholeNumber,
  pricePerUnit: wholeNumber,
  minPerBuyer: wholeNumber,
  maxPerBuyer: wholeNumber,
  expiresAt: text,
  status: oneOf(LISTING_STATUSES),
  createdAt: text,
  targetUnits: optional(wholeNumber),
  investors: optional(wholeNumber),
  allocation: optional(oneOf(CAMPAIGN_ALLOCATIONS)),
});

const tradeDecoder: Decoder<Trade> = object<Trade>({
  tradeId: text,
  via: oneOf(TRADE_SOURCES),
  listingId: text,
  assetId: text,
  sellerId: text,
  buyerId: text,
  sellerPlatform: text,
  buyerPlatform: text,
  units: wholeNumber,
  pricePerUnit: wholeNumber,
  amount: wholeNumber,
  executedAt: text,
});

const offerDecoder: Decoder<Offer> = object<Offer>({
  offerId: text,
  assetId: text,
  sellerId: text,
  sellerPlatform: text,
  buyerId: text,
  buyerPlatform: text,
  units: wholeNumber,
  pricePerUnit: wholeNumber,
  expiresAt: text,
  status: oneOf(OFFER_STATUSES),
  createdAt: text,
});

const commitmentDecoder: Decoder<Commitment> = object<Commitment>({
  listingId: text,
  buyerId: text,
  buyerPlatform: text,
  units: wholeNumber,
  committedAt: text,
  txId: optional(text),
  allocatedUnits: optional(wholeNumber),
  amount: optional(wholeNumber),
  refund: optional(wholeNumber),
});

function pageDecoder<T>(record: Decoder<T>): Decoder<Page<T>> {
  return object<Page<T>>({ records: arrayOf(record), bookmark: text, fetched: wholeNumber });
}

function historyDecoder<T>(record: Decoder<T>): Decoder<Page<HistoryEntry<T>>> {
  return pageDecoder(
    object<HistoryEntry<T>>({ txId: text, timestamp: text, isDelete: bool, value: nullable(record) }),
  );
}

/** Decoders of every result type, by name. */
export const decoders = {
  user: userDecoder,
  personalData: personalDataDecoder,
  holding: holdingDecoder,
  portfolio: object<Portfolio>({ userId: text, holdings: arrayOf(holdingDecoder) }),
  asset: assetDecoder,
  holdingPage: pageDecoder(holdingDecoder),
  assetPage: pageDecoder(assetDecoder),
  certificateRecord: certificateRecordDecoder,
  certificateView: object<CertificateView>({
    asset: object({
      assetId: text,
      attributes: attributesDecoder,
      rights: rightsDecoder,
      totalUnits: wholeNumber,
    }),
    holding: object({
      units: wholeNumber,
      escrowed: wholeNumber,
      free: wholeNumber,
      shareOfTotal: text,
      certificateSerial: text,
    }),
  }),
  listing: listingDecoder,
  listingPage: pageDecoder(listingDecoder),
  trade: tradeDecoder,
  tradePage: pageDecoder(tradeDecoder),
  tradeResult: object<TradeResult>({
    trade: tradeDecoder,
    buyerCertificateDue: bool,
    sellerCertificateRevoked: bool,
  }),
  offer: offerDecoder,
  commitment: commitmentDecoder,
  commitments: arrayOf(commitmentDecoder),
  commitmentChange: object<CommitmentChange>({ commitment: commitmentDecoder, listing: listingDecoder }),
  campaignSettlement: object<CampaignSettlement>({
    listing: listingDecoder,
    trades: arrayOf(tradeDecoder),
    releases: arrayOf(commitmentDecoder),
    settled: arrayOf(commitmentDecoder),
    pending: wholeNumber,
    certificatesDue: arrayOf(text),
    sellerCertificateRevoked: bool,
  }),
  transactionKey: object<TransactionKey>(transactionKeyFields),
  transactionKeyFields,
  checkResult: object<CheckResult>({ ok: bool, code: optional(text), sentence: text }),
  history: {
    user: historyDecoder(userDecoder),
    asset: historyDecoder(assetDecoder),
    holding: historyDecoder(holdingDecoder),
    certificate: historyDecoder(certificateRecordDecoder),
    listing: historyDecoder(listingDecoder),
    offer: historyDecoder(offerDecoder),
    trade: historyDecoder(tradeDecoder),
  } satisfies { readonly [K in HistoryKind]: Decoder<Page<HistoryEntry<HistoryRecords[K]>>> },
} as const;
