import { Command } from 'commander';
import { registerAssetsCommands } from './commands/assets';
import { registerCampaignsCommands } from './commands/campaigns';
import { registerCertificatesCommands } from './commands/certificates';
import { registerChaincodeCommands } from './commands/chaincode';
import { registerDemoCommand } from './commands/demo';
import { withExamples } from './commands/shared/help';
import { registerKeysCommands } from './commands/keys';
import { registerLedgerCommands } from './commands/ledger';
import { registerNetworkCommands } from './commands/network';
import { registerOffersCommands } from './commands/offers';
import { registerRecordCommands } from './commands/records';
import { registerTradingCommands } from './commands/trading';
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
  registerNetworkCommands(program);
  registerChaincodeCommands(program);
  registerDemoCommand(program);
  registerLedgerCommands(program);
  registerAssetsCommands(program);
  registerUsersCommands(program);
  registerRecordCommands(program);
  // Writes extend the groups the reads made (listings, trades), so they come after.
  registerKeysCommands(program);
  registerCertificatesCommands(program);
  registerTradingCommands(program);
  registerOffersCommands(program);
  registerCampaignsCommands(program);
  return program;
}
