/*
 * The chaincode's records are what the protocol's wire types describe: each
 * record's declared fields must be assignable to its wire type, or this file
 * does not compile (`npm run typecheck` and ts-jest both check it). The
 * client decodes into the same wire types, so a field changed on one side
 * only fails here first.
 */
import type * as wire from '@crowdledger/protocol';
import type { AssetFields } from './asset';
import type { CertificateRecordFields } from './certificate-record';
import type { CommitmentFields } from './commitment';
import type { HoldingFields } from './holding';
import type { ListingFields } from './listing';
import type { OfferFields } from './offer';
import type { PersonalDataFields } from './personal-data';
import type { TradeFields } from './trade';
import type { TransactionKeyFields } from './transaction-key';
import type { UserFields } from './user';

type Conforms<Local extends Wire, Wire> = [Local, Wire];

type Checked = [
  Conforms<AssetFields, wire.Asset>,
  Conforms<CertificateRecordFields, wire.CertificateRecord>,
  Conforms<CommitmentFields, wire.Commitment>,
  Conforms<HoldingFields, wire.Holding>,
  Conforms<ListingFields, wire.Listing>,
  Conforms<OfferFields, wire.Offer>,
  Conforms<PersonalDataFields, wire.PersonalData>,
  Conforms<TradeFields, wire.Trade>,
  Conforms<TransactionKeyFields, wire.TransactionKey>,
  Conforms<UserFields, wire.User>,
];

describe('chaincode records and protocol wire types', () => {
  it('agree field by field (checked when this file compiles)', () => {
    const checked: Checked['length'] = 10;
    expect(checked).toBe(10);
  });
});
