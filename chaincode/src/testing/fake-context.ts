import type { Context } from 'fabric-contract-api';

/** Fabric's composite key layout, so keys built here match the real stub's. */
function compositeKey(objectType: string, attributes: string[]): string {
  return `\u0000${[objectType, ...attributes].join('\u0000')}\u0000`;
}

const EMPTY = new Uint8Array();

/** The slice of ChaincodeStub the contracts use, backed by maps. */
export class FakeStub {
  readonly state = new Map<string, Uint8Array>();
  readonly privateData = new Map<string, Map<string, Uint8Array>>();
  transient = new Map<string, Uint8Array>();
  // Now, so the certificates made for the test are inside their validity.
  txSeconds = Math.floor(Date.now() / 1000);
  fcn = 'smoke:Unknown';
  /** Function name and arguments, for calls through fabric-shim's dispatcher. */
  args: string[] = [];
  creator = { mspid: 'RegistryMSP', idBytes: new Uint8Array() };

  createCompositeKey(objectType: string, attributes: string[]): string {
    return compositeKey(objectType, attributes);
  }

  getState(key: string): Promise<Uint8Array> {
    return Promise.resolve(this.state.get(key) ?? EMPTY);
  }

  putState(key: string, value: Uint8Array): Promise<void> {
    this.state.set(key, value);
    return Promise.resolve();
  }

  getPrivateData(collection: string, key: string): Promise<Uint8Array> {
    return Promise.resolve(this.privateData.get(collection)?.get(key) ?? EMPTY);
  }

  putPrivateData(collection: string, key: string, value: Uint8Array): Promise<void> {
    const entries = this.privateData.get(collection) ?? new Map<string, Uint8Array>();
    entries.set(key, value);
    this.privateData.set(collection, entries);
    return Promise.resolve();
  }

  getTransient(): Map<string, Uint8Array> {
    return this.transient;
  }

  getTxTimestamp(): { seconds: { toNumber(): number }; nanos: number } {
    return { seconds: { toNumber: () => this.txSeconds }, nanos: 0 };
  }

  getFunctionAndParameters(): { fcn: string; params: string[] } {
    return { fcn: this.fcn, params: [] };
  }

  getBufferArgs(): Buffer[] {
    return this.args.map((arg) => Buffer.from(arg, 'utf8'));
  }

  getCreator(): { mspid: string; idBytes: Uint8Array } {
    return this.creator;
  }

  getTxID(): string {
    return 'tx0';
  }

  getChannelID(): string {
    return 'crowdledger';
  }
}

export interface FakeIdentityOptions {
  readonly mspId: string;
  readonly certificatePem: string;
  readonly attributes?: Readonly<Record<string, string>>;
}

/** The slice of ClientIdentity the contracts use. */
export class FakeIdentity {
  readonly #options: FakeIdentityOptions;

  constructor(options: FakeIdentityOptions) {
    this.#options = options;
  }

  getMSPID(): string {
    return this.#options.mspId;
  }

  getIDBytes(): Uint8Array {
    return Buffer.from(this.#options.certificatePem, 'utf8');
  }

  getAttributeValue(name: string): string | null {
    return this.#options.attributes?.[name] ?? null;
  }
}

export interface FakeContext {
  readonly ctx: Context;
  readonly stub: FakeStub;
}

export function fakeContext(identity: FakeIdentityOptions, stub = new FakeStub()): FakeContext {
  // The contracts touch only the methods above; the cast keeps the fakes small.
  const ctx = { stub, clientIdentity: new FakeIdentity(identity) } as unknown as Context;
  return { ctx, stub };
}
