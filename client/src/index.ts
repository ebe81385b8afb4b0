// The SDK. Platforms start at CrowdLedger.connect; the low-level connect()
// (raw gateway contracts by name) stays for the CLI and tests.
export { CrowdLedger, type CrowdLedgerClient } from './crowdledger';
export {
  type CommonOptions,
  type CrowdLedgerOptions,
  type ExplicitOptions,
  type IdentityCredentials,
  type ProfileOptions,
} from './options';
export { type UserRegistration, type UsersApi } from './groups/users';
export {
  type AssetInput,
  type AssetsApi,
  CAP_TABLE_PAGE_SIZE,
  type CurrentCapTable,
  type PageRequest,
} from './groups/assets';
export {
  batchRecord,
  DEFAULT_BATCH_SIZE,
  DEFAULT_IN_FLIGHT,
  type ImportedAsset,
  type ImportsApi,
  type RegisterImportOptions,
} from './groups/imports';
export type { BatchRecord, ImportCheckpoint } from './imports/checkpoint';
export {
  type ImportProgress,
  type ImportReport,
  MAX_BATCH_SIZE,
  planBatches,
  progressOf,
  reconcile,
} from './imports/reconcile';
export {
  checkRecord,
  readRegister,
  REGISTER_COLUMNS,
  type RegisterFile,
  type RegisterRow,
  type RejectedRow,
  type RowRejectionCode,
} from './imports/register-csv';
export {
  type CertificateForRequest,
  type CertificatesApi,
  DEFAULT_ISSUE_BATCH_SIZE,
  DEFAULT_ISSUE_CONCURRENCY,
  type EnrolledCertificate,
  type FailedHolding,
  type IssueDueCounts,
  type IssueDueOptions,
  type IssueDueProgress,
  type IssueDueReport,
  MAX_ISSUE_CONCURRENCY,
  type HolderCsr,
  type IssuedCertificate,
  type IssueOptions,
  type IssueToRequestOptions,
  REISSUE_REASON,
  type RevokedCertificate,
  type RevokeOptions,
  type RevokeResult,
  type SkippedHolding,
} from './groups/certificates';
export { type HolderCredentials } from './groups/context';
export { type SignedHolderQuery, signHolderQuery, type SignHolderQueryOptions } from './groups/holder-query';
export {
  type CertificateAction,
  filePendingStore,
  memoryPendingStore,
  type PendingHolding,
  type PendingStore,
} from './groups/issuance-retries';
export {
  type DueHolding,
  ID_MASK_ATTRIBUTE,
  NAME_ATTRIBUTE,
  revokedHoldingsIn,
  type SkipReason,
} from './groups/issuance';
export { type CapTable, type CapTableHolder } from './blocks/cap-table';
export { type BlockProgress, type BlockReadOptions } from './blocks/read';
export { type KeyWrite, type TransactionWrites, validWrites, type WriteFilter } from './blocks/writes';
export { type AuditApi } from './groups/audit';
export { type KeysApi, publicKeyArgument } from './groups/keys';
export { type ListingInput, type ListingsApi } from './groups/listings';
export {
  type ExpireDueOptions,
  type ExpireDueProgress,
  type ExpireDueReport,
  type ExpirySkipCode,
  type FailedListing,
  type SkippedListing,
} from './groups/expiry';
export { type BuyOptions, type TimeRange, type TradesApi } from './groups/trades';
export { type AcceptOptions, type OfferInput, type OffersApi } from './groups/offers';
export { type CampaignInput, type CampaignsApi, type CommitOptions } from './groups/campaigns';
export { allPages } from './groups/trading';
export {
  checkConsentLifetime,
  type ConsentOptions,
  type ConsentSettings,
  type ConsentSigner,
  consentSigner,
  DEFAULT_CONSENT_LIFETIME_MS,
  type Instant,
  isoInstant,
} from './consent';
export {
  checkpointAfter,
  type EventsApi,
  type EventSubscription,
  type SubscribeOptions,
} from './groups/events';
export { checkpointers, fileCheckpointer } from './groups/file-checkpointer';
/** The gateway's checkpointer interface, for a Checkpointer of your own. */
export { type Checkpointer } from '@hyperledger/fabric-gateway';
export {
  type AssetRegisteredPayload,
  type CrowdLedgerEvent,
  type HoldersImportedPayload,
  type KeyRegisteredPayload,
  type TradeExecutedPayload,
  type EventPosition,
  type KnownEvent,
  type KnownEventName,
  type KnownEventPayloads,
  type RegisteredHolder,
  type UnknownEvent,
} from './groups/event-types';
export {
  type Asset,
  type AssetAttributes,
  type AssetCategory,
  type AssetDocument,
  type AssetRights,
  type CampaignAllocation,
  type AssetStatus,
  type CampaignSettlement,
  type CapTableEntry,
  type CertificateBatchItem,
  type CertificateBatchRefusal,
  type CertificateBatchResult,
  type CertificateRecord,
  type CertificateState,
  type CertificateView,
  type CheckResult,
  type Commitment,
  type CommitmentChange,
  type HistoryEntry,
  type HistoryRecords,
  type Holding,
  type ImportBatchResult,
  type ImportRejection,
  type Listing,
  type ListingKind,
  type ListingStatus,
  type Offer,
  type OfferStatus,
  type Page,
  type PersonalData,
  type Portfolio,
  type Trade,
  type TradeResult,
  type TradeSource,
  type TransactionKey,
  type User,
} from './model';
// What the SDK shares with the chaincode: IDs, commitments, codes and names.
export {
  ASSET_CATEGORIES,
  ASSET_STATUSES,
  assetIdFor,
  IMPORT_REJECTION_CODES,
  idNumberProblem,
  personNameProblem,
  residentIdCheckCharacter,
  CERTIFICATE_STATES,
  CONSENT_ACTIONS,
  CONSENT_ALGORITHMS,
  CONSENT_PARAMS,
  type ConsentAction,
  consentBytes,
  type ConsentParams,
  type ConsentRequest,
  consentText,
  keyIdOf,
  MAX_CONSENT_LIFETIME_MS,
  PROPOSAL_TIME_WINDOW,
  PROPOSAL_TIME_WINDOW_MS,
  publicKeyText,
  readConsentRequest,
  readPublicKey,
  SIGNED_ACTIONS,
  type SignedAction,
  verifyConsentSignature,
  type CommittedFields,
  CAMPAIGN_ALLOCATIONS,
  LISTING_KINDS,
  LISTING_STATUSES,
  OFFER_STATUSES,
  TRADE_SOURCES,
  type ContractName,
  EventName,
  HISTORY_KINDS,
  type HistoryKind,
  ID_TYPES,
  type IdType,
  listingIdFor,
  maskIdNumber,
  MAX_CERTIFICATE_BATCH,
  offerIdFor,
  tradeIdFor,
  Transient,
  userCommitment,
  userIdFor,
} from '@crowdledger/protocol';
export { DEFAULT_RETRY_POLICY, type RetryPolicy, type SubmitOutcome, type SubmitStats } from './retry';
export { type GatewaySigning, newLowSSigning } from './signer';
export {
  CaErrorCode,
  type CaErrorCodeValue,
  CHAINCODE_ERROR_CODES,
  ChaincodeError,
  type ChaincodeErrorClass,
  type ChaincodeErrorCode,
  ChaincodeErrors,
  ClientErrorCode,
  type ClientErrorCodeValue,
  CrowdLedgerError,
  type CrowdLedgerErrorCode,
  type CrowdLedgerErrorOptions,
  hasErrorCode,
  isChaincodeError,
  isChaincodeErrorCode,
  isCrowdLedgerError,
  isCrowdLedgerErrorCode,
  isRetryableError,
  parseChaincodeMessage,
  toCrowdLedgerError,
  type TransactionStage,
  VALIDATION_ERROR_CODES,
  type ValidationErrorCode,
} from './errors';
export { type Connection, type ConnectOptions, type IdentityFileOptions, connect } from './connect';
export { type CallDeadlines, checkDeadlines, DEADLINE_RANGE_MS, DEADLINES_MS } from './deadlines';
export {
  type AssetCaProfile,
  type IdentityFiles,
  loadProfile,
  type OrdererProfile,
  parseProfile,
  type PeerProfile,
  type Profile,
} from './profile';
export { checkProfileFiles, type ProfileCheck } from './profile-check';
export * from './ca';
