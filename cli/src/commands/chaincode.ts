import type { Command } from 'commander';
import { runNetworkScript } from '../scripts';
import { withExamples } from './shared/help';

/** `crowdledger chaincode …`: packaging and approval live in the network scripts. */
export function registerChaincodeCommands(program: Command): void {
  const chaincode = program.command('chaincode').description('build and deploy the CrowdLedger chaincode');
  withExamples(chaincode, 'crowdledger chaincode deploy');
  const deploy = chaincode
    .command('deploy')
    .description('build, install, approve and commit the chaincode, then start its services')
    .action(async () => {
      process.exitCode = await runNetworkScript('deploy.sh');
    });
  withExamples(deploy, 'crowdledger chaincode deploy');
}
