import { join } from 'node:path';
import type { IssuedCertificate } from '@crowdledger/client';
import type { Command } from 'commander';
import type { HolderFiles } from '../certificate-files';
import { processIo, readSecret } from '../input/secret';
import { crowdledgerHome } from '../paths';
import type { WriteOptions } from './shared/write-options';

/** Options of the commands that write certificate files. */
export interface FileOptions extends WriteOptions {
  readonly out: string;
  readonly p12?: boolean;
  readonly passphraseFile?: string;
  readonly personalAttributes?: boolean;
}

/** --out, --p12, --passphrase-file and --no-personal-attributes. */
export function withFileOptions(command: Command): Command {
  return command
    .requiredOption(
      '--out <folder>',
      'where to write <assetId>/<holderId>/cert.pem, key.pem (mode 600), ca-chain.pem',
    )
    .option('--p12', 'also write holder.p12 (mode 600), protected by a passphrase read like a key')
    .option(
      '--passphrase-file <file>',
      'read the .p12 passphrase from this file (- for stdin); else a prompt or stdin',
    )
    .option(
      '--no-personal-attributes',
      "leave the holder's name and masked ID number out of the certificate (asset and holder ID only)",
    );
}

/** The .p12 passphrase, read before anything is issued so a typo loses no certificate. */
export async function p12Passphrase(options: FileOptions): Promise<string | undefined> {
  if (options.p12 !== true) {
    return undefined;
  }
  const what = 'passphrase for the .p12 file';
  return readSecret({ what, file: options.passphraseFile, confirm: true }, processIo());
}

/** What JSON output says of an issued certificate: never the key, which is in its file. */
export function issuedJson(issued: IssuedCertificate, files: HolderFiles): object {
  const { assetId, holderId, enrollmentId, record } = issued;
  return { assetId, holderId, enrollmentId, record, files };
}

/** The default place issue-due keeps its position in the event feed, per org. */
export function defaultCheckpoint(org: string): string {
  return join(crowdledgerHome(), `${org}-certificates.checkpoint`);
}
