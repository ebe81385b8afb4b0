/**
 * The chaincode's contracts and the transactions each one serves. The
 * chaincode's contract classes must serve exactly these (a chaincode test
 * reads their metadata), and the client can call nothing else.
 */
export const TRANSACTIONS = {
  identity: ['SetAssetCertificateAuthority', 'WhoAmI'],
  users: ['Register', 'Get', 'GetPersonalData', 'Portfolio'],
  assets: [
    'Register',
    'AcceptHolding',
    'DeclineHolding',
    'Get',
    'Holders',
    'ListByPlatform',
    'PendingHoldings',
    'CapTable',
  ],
  imports: ['Begin', 'Add', 'Finish'],
  certificates: ['Record', 'RecordBatch', 'Revoke', 'Get', 'QueryByCertificate'],
  keys: ['Register', 'Get'],
  listings: ['Create', 'Cancel', 'Expire', 'Get', 'Open'],
  trades: ['Buy', 'CanBuy', 'Get', 'ByAsset', 'ByUser', 'ByPlatform', 'ByTime'],
  offers: ['Create', 'Accept', 'Cancel', 'Expire', 'Get'],
  campaigns: ['Create', 'Commit', 'CanCommit', 'Withdraw', 'Settle', 'Commitments'],
  audit: ['History'],
} as const satisfies Readonly<Record<string, readonly string[]>>;

/** A contract of the CrowdLedger chaincode. */
export type ContractName = keyof typeof TRANSACTIONS;

/** A transaction of contract `C`. */
export type TransactionName<C extends ContractName> = (typeof TRANSACTIONS)[C][number];

/** Every contract name, in the order the chaincode lists them. */
export const CONTRACT_NAMES = Object.keys(TRANSACTIONS) as readonly ContractName[];

/**
 * Names of the chaincode events. Fabric keeps only the last event a
 * transaction sets, so each transaction emits exactly one, carrying all a
 * listener needs, and only public data.
 */
export const EventName = {
  userRegistered: 'UserRegistered',
  assetRegistered: 'AssetRegistered',
  importStarted: 'ImportStarted',
  holdersImported: 'HoldersImported',
  importFinished: 'ImportFinished',
  holdingAccepted: 'HoldingAccepted',
  holdingDeclined: 'HoldingDeclined',
  certificateRecorded: 'CertificateRecorded',
  certificatesRecorded: 'CertificatesRecorded',
  certificateRevoked: 'CertificateRevoked',
  transactionKeyRegistered: 'TransactionKeyRegistered',
  listingCreated: 'ListingCreated',
  listingCancelled: 'ListingCancelled',
  listingExpired: 'ListingExpired',
  tradeExecuted: 'TradeExecuted',
  offerCreated: 'OfferCreated',
  offerCancelled: 'OfferCancelled',
  offerExpired: 'OfferExpired',
  commitmentMade: 'CommitmentMade',
  commitmentWithdrawn: 'CommitmentWithdrawn',
  campaignSettled: 'CampaignSettled',
} as const;

/** The name of a chaincode event. */
export type EventNameValue = (typeof EventName)[keyof typeof EventName];

/**
 * Fields of the transient map: private inputs the endorsing peers see and
 * no block holds (secrets, personal data, certificates that carry a name).
 */
export const Transient = {
  /** users:Register — the platform's own reference for the user, UTF-8 (R12: never an argument). */
  reference: 'reference',
  /** users:Register, imports:Add — the platform's reference secret, 64 lower-case hex digits ({@link referenceDigest}). */
  referenceSecret: 'referenceSecret',
  /** users:Register — JSON {name, idType, idNumber}. */
  user: 'user',
  /** users:Register — the commitment's salt, lower-case hex. */
  salt: 'salt',
  /**
   * imports:Add — JSON array of up to 1,000 holders {platformRef, name,
   * idType, idNumber, units, salt}: everything personal of a register batch.
   */
  holders: 'holders',
  /** certificates:Record, certificates:QueryByCertificate — the holder's certificate PEM. */
  certificate: 'certificate',
  /**
   * certificates:RecordBatch — JSON array of the holders' certificate PEMs,
   * one per item of the batch argument, in the same order.
   */
  certificates: 'certificates',
  /** certificates:QueryByCertificate — the holder's query request, JSON (holders.ts). */
  holderQuery: 'holderQuery',
  /** certificates:QueryByCertificate — the holder's signature over the request's canonical bytes, base64 DER. */
  holderSignature: 'holderSignature',
} as const;

/** A field of the transient map. */
export type TransientField = (typeof Transient)[keyof typeof Transient];

/** Every record kind audit:History reads. */
export const HISTORY_KINDS = [
  'user',
  'asset',
  'holding',
  'certificate',
  'listing',
  'offer',
  'trade',
] as const;

/** A record kind audit:History reads. */
export type HistoryKind = (typeof HISTORY_KINDS)[number];
