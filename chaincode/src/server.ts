/*
 * The chaincode service's entry point (`npm start`, and the network's
 * start_chaincode_services). It does what `fabric-chaincode-node server`
 * does, with fabric-shim 2.5.8's own option parser, so every option works as
 * there: a flag, or a CORE_-prefixed environment variable (yargs `.env('CORE')`):
 *   --chaincode-id                      CORE_CHAINCODE_ID (package ID, required)
 *   --chaincode-address host:port       CORE_CHAINCODE_ADDRESS (required)
 *   --chaincode-tls-cert-file           CORE_CHAINCODE_TLS_CERT_FILE (server cert PEM)
 *   --chaincode-tls-key-file            CORE_CHAINCODE_TLS_KEY_FILE (server key PEM)
 *   --chaincode-tls-client-cacert-file  CORE_CHAINCODE_TLS_CLIENT_CACERT_FILE
 *                                       (set = the peer must present a client cert)
 * TLS is on when a cert or key is given and then both are required. The one
 * difference: it serves CrowdLedgerChaincode, the contracts behind a front
 * door that refuses unknown names and wrong argument counts with a code.
 */
import { createRequire } from 'node:module';
import { type ChaincodeServerOpts, Shim } from 'fabric-shim';
import { CrowdLedgerChaincode } from './chaincode';

interface Parser {
  parserConfiguration(configuration: object): Parser;
  env(prefix: string): Parser;
  readonly argv: Record<string, unknown>;
}

interface ServerCommand {
  builder(parser: Parser): Parser;
  getArgs(parser: { readonly argv: Record<string, unknown> }): ChaincodeServerOpts;
}

// fabric-shim's own parser and options, resolved as fabric-shim resolves them.
const fromShim = createRequire(createRequire(__filename).resolve('fabric-shim'));
const yargs = fromShim('yargs') as (args: readonly string[]) => Parser;
const serverCommand = fromShim('./lib/cmds/serverCommand.js') as ServerCommand;

async function main(): Promise<void> {
  const parser = serverCommand.builder(
    yargs(process.argv.slice(2)).parserConfiguration({ 'dot-notation': false }).env('CORE'),
  );
  const options = serverCommand.getArgs({ argv: parser.argv });
  await Shim.server(new CrowdLedgerChaincode(), options).start();
}

main().catch((error: unknown) => {
  console.error('the CrowdLedger chaincode service failed to start', error);
  process.exitCode = 1;
});
