import { Command } from 'commander';
import { registerChaincodeCommands } from './commands/chaincode';
import { registerDemoCommand } from './commands/demo';
import { withExamples } from './commands/help';
import { registerLedgerCommands } from './commands/ledger';
import { registerNetworkCommands } from './commands/network';

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
  return program;
}
