import { join } from 'node:path';
import type {
  CertificateRecord,
  CertificateView,
  CrowdLedgerClient,
  IssuedCertificate,
  RevocationReason,
  RevokeResult,
} from '@crowdledger/client';
import { normaliseSerial } from '@crowdledger/client';
import { type Command, Option } from 'commander';
import { type HolderFiles, readHolderFiles, writeHolderFiles } from '../certificate-files';
import { CliError } from '../errors';
import {
  type ConnectionOptions,
  DEFAULT_ORG,
  withClient,
  withClientAs,
  withConnectionOptions,
} from '../connection';
import { type Cell, formatJson, formatTable, printResult, sentenceAndFacts } from '../output';
import { step } from '../progress';
import { type FileOptions, issuedJson, p12Passphrase, withFileOptions } from './certificate-options';
import { withExamples } from './shared/help';
import { addIssueDueCommand } from './issue-due';
import { groupOf, withWriteOptions, writeConnection, type WriteOptions } from './shared/write-options';

interface IssueOptions extends FileOptions {
  readonly reissue?: boolean;
}

export function recordFacts(r: CertificateRecord): Cell[][] {
  const facts: Cell[][] = [
    ['asset', r.assetId],
    ['holder', r.holderId],
    ['serial', r.serial],
    ['status', r.status],
    ['issuer', r.issuer],
    ['fingerprint', r.fingerprint],
    ['valid', `${r.notBefore} to ${r.notAfter}`],
    ['recorded', r.recordedAt],
  ];
  if (r.revokedAt !== undefined) {
    facts.push(['revoked', `${r.revokedAt}: ${r.revocationReason ?? ''}`]);
  }
  return facts;
}

/** `crowdledger certificates …`: asset certificates (R3, R4, R6). */
export function registerCertificatesCommands(program: Command): void {
  const certificates = groupOf(
    program,
    'certificates',
    "issue holders' asset certificates through Fabric CA, revoke and read their ledger records",
  );
  withExamples(
    certificates,
    'crowdledger certificates issue-due --org platform1 --out ./certificates',
    'crowdledger certificates show A0123… U0456…',
  );
  addIssueCommand(certificates);
  addIssueDueCommand(certificates);
  addRevokeCommand(certificates);
  addShowCommand(certificates);
  addQueryCommand(certificates);
}

function addIssueCommand(certificates: Command): void {
  const issue = withFileOptions(
    withWriteOptions(
      certificates
        .command('issue')
        .description("issue one of the platform's users a certificate for an asset they hold, and record it")
        .argument('<assetId>', 'the asset, A + 32 hex digits')
        .argument('<userId>', "the holder, one of the platform's users"),
    ),
  )
    .option('--reissue', 'replace a certificate on record whose key was lost')
    .action(async (assetId: string, userId: string, options: IssueOptions) => {
      const passphrase = await p12Passphrase(options);
      const handed: { files?: HolderFiles } = {};
      const issued = await withClient(writeConnection(options), (c) =>
        step(`issuing the certificate of ${userId} for ${assetId} (Fabric CA, then the ledger)`, () =>
          c.certificates.issue(assetId, userId, {
            reissue: options.reissue === true,
            personalAttributes: options.personalAttributes !== false,
            // On disk before the ledger records it: a crash in between never leaves a key nobody has.
            onEnrolled: async (enrolled) => {
              handed.files = await writeHolderFiles(options.out, enrolled, passphrase);
            },
          }),
        ),
      );
      const files = handed.files;
      if (files === undefined) {
        throw new CliError('the SDK issued a certificate without handing it over first');
      }
      printResult(options, { value: issuedJson(issued, files), human: () => issuedText(issued, files) });
    });
  withExamples(
    issue,
    'crowdledger certificates issue A0123… U0456… --org platform2 --out ./certificates',
    'crowdledger certificates issue A0123… U0456… --org platform2 --out ./certificates --p12 --passphrase-file p12.txt',
  );
}

export function issuedText(issued: IssuedCertificate, files: HolderFiles): string {
  const rows: Cell[][] = [
    ['certificate', files.certificate],
    ['private key', `${files.privateKey} (mode 600)`],
    ['CA chain', files.caChain],
  ];
  if (files.pkcs12 !== undefined) {
    rows.push(['PKCS#12', `${files.pkcs12} (mode 600)`]);
  }
  return [
    `Issued ${issued.holderId} the certificate of ${issued.assetId}: serial ${issued.record.serial}, recorded on the ledger.`,
    'Hand the files to the holder and keep no copy of the key:',
    '',
    formatTable(['file', 'path'], rows),
  ].join('\n');
}

const CA_REASONS: readonly RevocationReason[] = [
  'unspecified',
  'keycompromise',
  'affiliationchanged',
  'superseded',
  'cessationofoperation',
  'privilegewithdrawn',
];

interface RevokeCommandOptions extends WriteOptions {
  readonly reason: string;
  readonly caReason: RevocationReason;
}

function addRevokeCommand(certificates: Command): void {
  const revoke = withWriteOptions(
    certificates
      .command('revoke')
      .description(
        "revoke a holder's certificate at the asset CA (the CRL is regenerated) and on the ledger: the " +
          "holder's queries get CERTIFICATE_INVALID, and once the registry publishes the CRL the peers refuse it",
      )
      .argument('<assetId>', 'the asset, A + 32 hex digits')
      .argument('<userId>', "the holder, one of the platform's users"),
  )
    .requiredOption('--reason <text>', 'why, kept on the ledger (e.g. "key lost")')
    .addOption(
      new Option(
        '--ca-reason <reason>',
        'the RFC 5280 reason the asset CA records (its CRL lists only serial and time)',
      )
        .choices(CA_REASONS)
        .default('unspecified'),
    )
    .action(async (assetId: string, userId: string, options: RevokeCommandOptions) => {
      const result = await withClient(writeConnection(options), (c) =>
        step(`revoking the certificate of ${userId} for ${assetId} (Fabric CA, then the ledger)`, () =>
          c.certificates.revoke(assetId, userId, options.reason, { caReason: options.caReason }),
        ),
      );
      printResult(options, {
        value: revokedJson(result),
        human: () => revokedText(result),
      });
    });
  withExamples(
    revoke,
    'crowdledger certificates revoke A0123… U0456… --org platform1 --reason "key lost" --ca-reason keycompromise',
    'crowdledger network publish-crl   # then every peer refuses it too',
  );
}

function revokedJson({ record, atCa }: RevokeResult): object {
  return { record, newlyRevokedAtCa: atCa.newlyRevoked, revokedSerialsAtCa: atCa.revokedSerials };
}

function revokedText({ record, atCa }: RevokeResult): string {
  const where = atCa.newlyRevoked ? 'at the asset CA and' : '(the CA had already) and';
  const siblings = atCa.revokedSerials.filter((serial) => serial !== normaliseSerial(record.serial));
  // Another certificate of the same holding (an issue whose result was lost) goes too.
  const alsoRevoked =
    siblings.length === 0 ? '' : ` Also revoked at the CA, same holding: ${siblings.join(', ')}.`;
  return sentenceAndFacts(
    `Revoked the certificate of ${record.holderId} for ${record.assetId} (serial ${record.serial}) ${where} on the ledger.${alsoRevoked} ` +
      'Publish the CRL (crowdledger network publish-crl) so the peers refuse it as well.',
    recordFacts(record),
  );
}

function addShowCommand(certificates: Command): void {
  const show = withConnectionOptions(
    certificates
      .command('show')
      .description("show the ledger's record of a holding's certificate (NOT_FOUND when none was recorded)")
      .argument('<assetId>', 'the asset, A + 32 hex digits')
      .argument('<userId>', 'the holder'),
  )
    .option('--json', 'print JSON instead of a table')
    .action(async (assetId: string, userId: string, options: ConnectionOptions & { json?: boolean }) => {
      const record = await withClient(options, (c) => c.certificates.get(assetId, userId));
      printResult(options, {
        value: record,
        human: () => formatTable(['field', 'value'], recordFacts(record)),
      });
    });
  withExamples(
    show,
    'crowdledger certificates show A0123… U0456…',
    'crowdledger certificates show A0123… U0456… --json',
  );
}

function addQueryCommand(certificates: Command): void {
  const query = certificates
    .command('query')
    .description(
      'connect AS the holder with the certificate and key in a folder `issue` wrote, and show what the ledger ' +
        'gives them (R4): the asset and their own holding; CERTIFICATE_INVALID once revoked or replaced',
    )
    .argument('<folder>', 'a folder holding cert.pem and key.pem')
    .option('--json', 'print JSON instead of a table')
    .action(async (folder: string, options: { json?: boolean }) => {
      const files = await readHolderFiles(folder);
      // Holder certificates belong to RegistryMSP: the registry's profile reaches its peer.
      const view = await withClientAs(DEFAULT_ORG, files, (c: CrowdLedgerClient) => c.certificates.query());
      console.log(
        options.json === true ? formatJson(view) : formatTable(['field', 'value'], viewFacts(view)),
      );
    });
  withExamples(query, `crowdledger certificates query ${join('certificates', 'A0123…', 'U0456…')}`);
}

export function viewFacts(view: CertificateView): Cell[][] {
  return [
    ['asset', view.asset.assetId],
    ['name', view.asset.attributes.name],
    ['total units', view.asset.totalUnits],
    ['units held', view.holding.units],
    ['in escrow', view.holding.escrowed],
    ['free', view.holding.free],
    ['share of total', view.holding.shareOfTotal],
    ['certificate serial', view.holding.certificateSerial],
  ];
}
