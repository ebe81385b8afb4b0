import { Command } from 'commander';
import { registerAssetsCommands } from './commands/assets';
import { registerCampaignsCommands } from './commands/campaigns';
import { registerCertificatesCommands } from './commands/certificates';
import { registerChaincodeCommands } from './commands/chaincode';
import { registerDemoCommand } from './commands/demo';
import { registerEventsCommands } from './commands/events';
import { withExamples } from './commands/shared/help';
import { registerKeysCommands } from './commands/keys';
import { registerAuditCommands } from './commands/audit';
import { registerLedgerCommands } from './commands/ledger';
import { registerListingsCommands } from './commands/listings';
import { registerNetworkCommands } from './commands/network';
import { registerOffersCommands } from './commands/offers';
import { registerProfileCommands } from './commands/profile';
import { registerTradesCommands } from './commands/trades';
import { registerUsersCommands } from './commands/users';

export function createProgram(version: string): Command {
  const program = new Command('crowdledger')
    .description('CrowdLedger: shared register of crowdfunding assets on Hyperledger Fabric')
    .version(version)
    .showHelpAfterError()
    .configureHelp({ showGlobalOptions: true });
  withExamples(
    program,
    'crowdledger network up',
    'crowdledger chaincode deploy',
    'crowdledger network status',
  );
  // Each group is whole in its own file; this order is only the order --help lists them in.
  registerNetworkCommands(program);
  registerChaincodeCommands(program);
  registerProfileCommands(program);
  registerDemoCommand(program);
  registerLedgerCommands(program);
  registerAssetsCommands(program);
  registerUsersCommands(program);
  registerTradesCommands(program);
  registerListingsCommands(program);
  registerAuditCommands(program);
  registerEventsCommands(program);
  registerKeysCommands(program);
  registerCertificatesCommands(program);
  registerOffersCommands(program);
  registerCampaignsCommands(program);
  return program;
}
