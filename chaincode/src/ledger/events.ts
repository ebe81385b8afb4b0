import type { Context } from 'fabric-contract-api';

type Stub = Context['stub'];

/**
 * Names of the chaincode events. Fabric keeps only the last event a
 * transaction sets, so each transaction emits exactly one, carrying all a
 * listener needs, and only public data.
 */
export const EventName = {
  userRegistered: 'UserRegistered',
  assetRegistered: 'AssetRegistered',
  certificateRecorded: 'CertificateRecorded',
  certificateRevoked: 'CertificateRevoked',
  transactionKeySet: 'TransactionKeySet',
  transactionKeyRefused: 'TransactionKeyRefused',
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

export type EventNameValue = (typeof EventName)[keyof typeof EventName];

export function emitEvent(stub: Stub, name: EventNameValue, payload: Uint8Array): void {
  stub.setEvent(name, payload);
}
