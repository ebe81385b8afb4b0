/*
 * The chaincode runs as a chaincode service: `npm start` in this folder runs
 * `fabric-chaincode-node server`, which loads package.json "main" (this file)
 * and serves the contracts listed below.
 *
 * fabric-shim 2.5.8 (cli.js) parses options with yargs `.env('CORE')`, so every
 * server option can come from a CORE_-prefixed environment variable instead of
 * a flag (lib/cmds/serverCommand.js reads them back from the same yargs):
 *   CORE_CHAINCODE_ID                      --chaincode-id (package ID, required)
 *   CORE_CHAINCODE_ADDRESS                 --chaincode-address host:port (required)
 *   CORE_CHAINCODE_TLS_CERT_FILE           --chaincode-tls-cert-file (server cert PEM)
 *   CORE_CHAINCODE_TLS_KEY_FILE            --chaincode-tls-key-file (server key PEM)
 *   CORE_CHAINCODE_TLS_CLIENT_CACERT_FILE  --chaincode-tls-client-cacert-file
 *                                          (set = the peer must present a client cert)
 * TLS is on when a cert or key is given and then both are required.
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
