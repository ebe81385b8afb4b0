import { execFile } from 'node:child_process';
import { generateKeyPairSync, type KeyObject, randomBytes, randomInt, randomUUID, sign } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  type ConsentOptions,
  consentSigner,
  connect,
  type Connection,
  consentBytes,
  type ConsentParams,
  type ConsentRequest,
  consentText,
  CrowdLedger,
  type SignedAction,
  type CrowdLedgerClient,
  enrollmentIdKey,
  type IdentityFileOptions,
  loadProfile,
  toCrowdLedgerError,
  type UserRegistration,
  userIdFor,
} from '../../client/src';
import type { ProposalOptions } from '@hyperledger/fabric-gateway';
import { recordPrivateKey, recordSecret } from './leaks';

const run = promisify(execFile);

export const repoDir = resolve(__dirname, '../..');

/** Integration suites run against the network test/run.sh brought up. */
export function networkHome(): string {
  const home = process.env['CROWDLEDGER_HOME'];
  if (home === undefined || home === '') {
    throw new Error('CROWDLEDGER_HOME is not set: run integration tests through `make test`');
  }
  return home;
}

export type OrgKey = 'registry' | 'platform1' | 'platform2';
export const orgs: readonly OrgKey[] = ['registry', 'platform1', 'platform2'];

export function profilePath(org: OrgKey): string {
  return join(networkHome(), 'profiles', `${org}.json`);
}

/** The platform's enrollment-ID key, as its SDK derives it from its asset-CA registrar's key. */
export async function platformIdKey(org: 'platform1' | 'platform2'): Promise<Buffer> {
  const key = (await loadProfile(profilePath(org))).assetCa?.registrar.key;
  if (key === undefined) {
    throw new Error(`profile ${org} has no asset CA registrar`);
  }
  return enrollmentIdKey(await readFile(key, 'utf8'));
}

export async function connectAs(
  org: OrgKey,
  identity: string | IdentityFileOptions = 'app',
): Promise<Connection> {
  return connect({ profilePath: profilePath(org), identity });
}

/** Opens a connection for the callback and always closes it. */
export async function withConnection<T>(
  org: OrgKey,
  identity: string | IdentityFileOptions,
  use: (connection: Connection) => Promise<T>,
): Promise<T> {
  const connection = await connectAs(org, identity);
  try {
    return await use(connection);
  } finally {
    connection.close();
  }
}

/** An SDK client for the callback, always closed. */
export async function withClient<T>(
  org: OrgKey,
  use: (client: CrowdLedgerClient) => Promise<T>,
  identity = 'app',
): Promise<T> {
  const client = await CrowdLedger.connect({ profile: profilePath(org), identity });
  try {
    return await use(client);
  } finally {
    client.close();
  }
}

export interface ScriptResult {
  readonly stdout: string;
  readonly stderr: string;
}

export async function runScript(
  script: string,
  args: readonly string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): Promise<ScriptResult> {
  return run('bash', [join(repoDir, 'network', script), ...args], {
    env,
    maxBuffer: 16 * 1024 * 1024,
  });
}

export async function runCli(args: readonly string[]): Promise<ScriptResult> {
  return run(process.execPath, [join(repoDir, 'cli', 'dist', 'main.js'), ...args], {
    env: process.env,
    maxBuffer: 16 * 1024 * 1024,
  });
}

export interface CliResult extends ScriptResult {
  /** The exit code; -1 when a signal ended it. */
  readonly code: number;
}

/** Runs the built CLI; a failing exit is a result to check, not a throw. */
export async function tryCli(args: readonly string[]): Promise<CliResult> {
  try {
    return { code: 0, ...(await runCli(args)) };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    const code = typeof failed.code === 'number' ? failed.code : -1;
    return { code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** Every block file of the channel on every peer and orderer, as stored on disk. */
export async function channelBlockFiles(channel = 'crowdledger'): Promise<string[]> {
  const nodesDir = join(networkHome(), 'nodes');
  const files: string[] = [];
  for (const entry of await readdir(nodesDir, { recursive: true })) {
    const path = entry.split('/');
    const name = path.at(-1) ?? '';
    if (name.startsWith('blockfile_') && path.at(-2) === channel) {
      files.push(join(nodesDir, entry));
    }
  }
  return files.sort();
}

export async function blockFilesContaining(needle: string | Uint8Array): Promise<string[]> {
  const bytes = typeof needle === 'string' ? Buffer.from(needle, 'utf8') : Buffer.from(needle);
  const hits: string[] = [];
  for (const file of await channelBlockFiles()) {
    if ((await readFile(file)).includes(bytes)) {
      hits.push(file);
    }
  }
  return hits;
}

export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

export const utf8 = new TextDecoder();

/** The stable error code a failed call ends with (DESIGN §4). */
export async function failureCode(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    return toCrowdLedgerError(error).code;
  }
  throw new Error('expected the call to fail');
}

/** 'OK' when the call succeeds, else its stable error code. */
export async function outcome(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'OK';
  } catch (error) {
    return toCrowdLedgerError(error).code;
  }
}

/** Polls until the check passes: peers commit a block a few ms apart. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) {
        throw error;
      }
      await new Promise((done) => setTimeout(done, 250));
    }
  }
}

/** An 18-digit resident ID with a correct ISO 7064 MOD 11-2 check character. */
export function residentId(): string {
  const birth = `${String(randomInt(1950, 2005))}0${String(randomInt(1, 9))}1${String(randomInt(0, 9))}`;
  const body = `110105${birth}${String(randomInt(100, 999))}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < weights.length; i += 1) {
    sum += Number(body.charAt(i)) * (weights[i] ?? 0);
  }
  return body + ('10X98765432'[sum % 11] ?? '');
}

/** Everything openssl printed, whether it succeeded or not (verify fails with exit 2 and says why). */
export async function opensslSays(args: readonly string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run('openssl', args);
    return `${stdout}${stderr}`;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    return `${stdout}${stderr}`;
  }
}

/** A user no test registered before: a fresh reference, a distinctive name, a valid resident ID. */
export function newPerson(label: string): UserRegistration {
  const ref = `${label}-${uniqueSuffix()}`;
  const person: UserRegistration = {
    platformRef: ref,
    name: `测试用户 ${ref}`,
    idType: 'RESIDENT_ID',
    idNumber: residentId(),
  };
  recordPerson(person);
  return person;
}

/** Records what of a person no node may keep in a block or a log (test/scan/secrets-scan.test.ts). */
export function recordPerson(person: UserRegistration): void {
  recordSecret({ kind: 'reference', text: person.platformRef });
  recordSecret({ kind: 'name', text: person.name });
  recordSecret({ kind: 'idNumber', text: person.idNumber });
}

/** A user's transaction key in a test: the signer options the SDK takes, and the private key itself. */
export interface UserKey extends ConsentOptions {
  readonly privateKey: KeyObject;
}

/** A fresh P-256 key pair for a user: in production it would live on the user's device. */
export function newUserKey(): UserKey {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  recordPrivateKey('transaction key', privateKey);
  return { privateKey, signer: consentSigner(privateKey) };
}

/** Makes a key pair for the user and registers its public half through the user's platform. */
export async function registerUserKey(client: CrowdLedgerClient, userId: string): Promise<UserKey> {
  const key = newUserKey();
  await client.keys.register(userId, key.privateKey, key.signer);
  return key;
}

/**
 * A consent transaction's two arguments for a raw proposal, as the SDK makes
 * them: a fresh request ID, five minutes to live unless overridden.
 */
export function signedArguments<A extends SignedAction>(
  action: A,
  userId: string,
  params: ConsentParams<A>,
  privateKey: KeyObject,
  overrides: Partial<ConsentRequest> = {},
): string[] {
  const request = {
    action,
    params,
    userId,
    requestId: randomUUID(),
    expiresAt: new Date(Date.now() + 300_000).toISOString(),
    ...overrides,
  } as ConsentRequest<A>;
  const signature = sign('sha256', consentBytes(request), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return [consentText(request), signature.toString('base64url')];
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops one node by its pid file and waits until it is gone; `crowdledger network up` starts it again. */
export async function stopNode(name: string): Promise<void> {
  const pid = Number((await readFile(join(networkHome(), 'nodes', name, 'pid'), 'utf8')).trim());
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 20_000;
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      throw new Error(`${name} (pid ${String(pid)}) did not stop in 20 s`);
    }
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** The platform's reference secret, from the file its profile names (the network scripts write one). */
export async function referenceSecretOf(org: OrgKey): Promise<string> {
  const profile = await loadProfile(profilePath(org));
  if (profile.referenceSecret === undefined) {
    throw new Error(`profile ${org} names no reference secret`);
  }
  return (await readFile(profile.referenceSecret, 'utf8')).trim();
}

/** The user ID a platform's reference gets: keyed with that platform's secret (R12). */
export async function userIdOf(org: OrgKey, platformRef: string): Promise<string> {
  const profile = await loadProfile(profilePath(org));
  return userIdFor(profile.mspId, await referenceSecretOf(org), platformRef);
}

/**
 * users:Register as the SDK sends it, for raw connections: the reference,
 * the platform's secret, the personal data and a fresh salt, all in the
 * transient map, and no arguments.
 */
export async function registration(org: OrgKey, person: UserRegistration): Promise<ProposalOptions> {
  const { name, idType, idNumber } = person;
  recordPerson(person);
  const salt = randomBytes(16).toString('hex');
  recordSecret({ kind: 'salt', text: salt });
  return {
    arguments: [],
    transientData: {
      reference: person.platformRef,
      referenceSecret: await referenceSecretOf(org).catch(() => '0'.repeat(64)),
      user: JSON.stringify({ name, idType, idNumber }),
      salt,
    },
  };
}
