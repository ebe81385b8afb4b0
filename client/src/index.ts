export {
  type Connection,
  type ConnectOptions,
  type IdentityFileOptions,
  connect,
  DEADLINES_MS,
} from './connect';
export {
  ClientErrorCode,
  CrowdLedgerError,
  type CrowdLedgerErrorOptions,
  isCrowdLedgerError,
  parseChaincodeMessage,
  toCrowdLedgerError,
} from './errors';
export {
  type AssetCaProfile,
  type IdentityFiles,
  loadProfile,
  parseProfile,
  type PeerProfile,
  type Profile,
} from './profile';
export * from './ca';
