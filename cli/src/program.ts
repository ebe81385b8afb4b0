import { Command } from 'commander';
import { registerAssetsCommands } from './commands/assets';
import { registerChaincodeCommands } from './commands/chaincode';
import { registerDemoCommand } from './commands/demo';
import { withExamples } from './commands/help';
import { registerLedgerCommands } from './commands/ledger';
import { registerNetworkCommands } from './commands/network';
import { registerRecordCommands } from './commands/records';

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
  registerRecordCommands(program);
  return program;
}
