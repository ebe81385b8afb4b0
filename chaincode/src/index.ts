/*
 * The chaincode's contracts, in the order fabric-shim lists them (the first
 * serves a function name without a contract). The service runs them behind
 * a front door (chaincode.ts), started by server.ts.
 */
import { AssetsContract } from './contracts/assets';
import { AuditContract } from './contracts/audit';
import { CampaignsContract } from './contracts/campaigns';
import { CertificatesContract } from './contracts/certificates';
import { IdentityContract } from './contracts/identity';
import { ImportsContract } from './contracts/imports';
import { KeysContract } from './contracts/keys';
import { ListingsContract } from './contracts/listings';
import { OffersContract } from './contracts/offers';
import { TradesContract } from './contracts/trades';
import { UsersContract } from './contracts/users';

export const contracts = [
  IdentityContract,
  UsersContract,
  AssetsContract,
  ImportsContract,
  CertificatesContract,
  KeysContract,
  ListingsContract,
  TradesContract,
  OffersContract,
  CampaignsContract,
  AuditContract,
];
