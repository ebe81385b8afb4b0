/*
 * Generated bad input for every transaction of the chaincode (issue 20), as
 * fast-check arbitraries the unit suite runs through the in-memory stub and
 * the integration suite through a real network. A call is data (what to send)
 * until it is rendered against an environment: the known IDs of a populated
 * world, the clock, and the keys of the users who may sign.
 */
import { createHash, type KeyObject, sign } from 'node:crypto';
import fc from 'fast-check';
import {
  CAMPAIGN_ALLOCATIONS,
  type ContractName,
  consentBytes,
  type ConsentRequest,
  consentText,
  HISTORY_KINDS,
  type HolderQueryRequest,
  SIGNED_ACTIONS,
  type SignedAction,
  toBase64url,
  type TransactionName,
  TRANSACTIONS,
  Transient,
} from '@crowdledger/protocol';

/** What an argument stands for; `consent` fills two (the request's text and its signature). */
type ArgKind =
  | 'pem'
  | 'user'
  | 'asset'
  | 'listing'
  | 'offer'
  | 'trade'
  | 'msp'
  | 'pageSize'
  | 'bookmark'
  | 'units'
  | 'text'
  | 'interval'
  | 'kind'
  | 'historyId'
  | 'assetJson'
  | 'consent';

type Shapes = { readonly [C in ContractName]: Readonly<Record<TransactionName<C>, readonly ArgKind[]>> };

/** Every transaction of the protocol and what its arguments stand for: a transaction left out fails typecheck. */
export const SHAPES: Shapes = {
  identity: { SetAssetCertificateAuthority: ['pem'], WhoAmI: [] },
  users: { Register: [], Get: ['user'], GetPersonalData: ['user'], Portfolio: ['user'] },
  assets: {
    Register: ['assetJson'],
    AcceptHolding: ['asset', 'user'],
    DeclineHolding: ['asset', 'user'],
    Get: ['asset'],
    Holders: ['asset', 'pageSize', 'bookmark'],
    ListByPlatform: ['msp', 'pageSize', 'bookmark'],
    PendingHoldings: ['msp', 'pageSize', 'bookmark'],
    CapTable: ['asset', 'pageSize', 'bookmark'],
  },
  imports: { Begin: ['assetJson'], Add: ['asset'], Finish: ['asset'] },
  certificates: {
    Record: ['asset', 'user'],
    Revoke: ['asset', 'user', 'text'],
    Get: ['asset', 'user'],
    QueryByCertificate: [],
  },
  keys: { Register: ['consent'], Get: ['user'] },
  listings: {
    Create: ['consent'],
    Cancel: ['consent'],
    Expire: ['listing'],
    Get: ['listing'],
    Open: ['pageSize', 'bookmark'],
  },
  trades: {
    Buy: ['consent'],
    CanBuy: ['listing', 'user', 'units'],
    Get: ['trade'],
    ByAsset: ['asset', 'pageSize', 'bookmark'],
    ByUser: ['user', 'pageSize', 'bookmark'],
    ByPlatform: ['msp', 'interval', 'pageSize', 'bookmark'],
    ByTime: ['interval', 'pageSize', 'bookmark'],
  },
  offers: {
    Create: ['consent'],
    Accept: ['consent'],
    Cancel: ['consent'],
    Expire: ['offer'],
    Get: ['offer'],
  },
  campaigns: {
    Create: ['consent'],
    Commit: ['consent'],
    CanCommit: ['listing', 'user', 'units'],
    Withdraw: ['consent'],
    Settle: ['listing'],
    Commitments: ['listing'],
  },
  audit: { History: ['kind', 'historyId', 'pageSize', 'bookmark'] },
};

/** Every protocol transaction as "contract:Transaction". */
export const ALL_TRANSACTIONS: readonly string[] = Object.entries(TRANSACTIONS).flatMap(([contract, names]) =>
  (names as readonly string[]).map((name) => `${contract}:${name}`),
);

/** The argument kinds of "contract:Transaction". */
export function shapeOf(fcn: string): readonly ArgKind[] {
  const [contract = '', name = ''] = fcn.split(':');
  const shapes = (SHAPES as unknown as Record<string, Record<string, readonly ArgKind[]> | undefined>)[
    contract
  ];
  return shapes?.[name] ?? [];
}

/** The records of the populated world, so calls name known IDs as often as unknown ones. */
export interface KnownIds {
  readonly users: readonly string[];
  readonly assets: readonly string[];
  readonly listings: readonly string[];
  readonly offers: readonly string[];
  readonly trades: readonly string[];
  readonly mspIds: readonly string[];
  /** Certificate PEMs of the world: CA, identity and holder certificates. */
  readonly pems: readonly string[];
}

/** A user whose transaction key is registered, and its private half. */
export interface KnownSigner {
  readonly userId: string;
  readonly key: KeyObject;
}

/** What a call is rendered against. */
export interface BadInputEnv {
  readonly known: KnownIds;
  readonly signers: readonly KnownSigner[];
  /** A key no user registered. */
  readonly strangerKey: KeyObject;
  /** The transaction time the call will run at, in seconds. */
  readonly nowSeconds: number;
}

/** One generated call: the function name, its arguments and transient map, and who makes it. */
export interface RenderedCall {
  readonly fcn: string;
  readonly args: readonly string[];
  readonly transient: ReadonlyMap<string, string>;
  /** An index into the runner's list of callers (taken modulo its length). */
  readonly caller: number;
  /** The signer of the call's consent, when the call is relayed by that user's own platform instead. */
  readonly relayFor?: string;
}

/** A value to pick: a known record by index, or a literal text. */
type Pick =
  | { readonly known: keyof KnownIds; readonly index: number; readonly mutation?: Mutation }
  | { readonly text: string };

type Mutation = 'append-nul' | 'append-max-rune' | 'upper' | 'drop-last' | 'pad' | 'double';

const MUTATIONS: readonly Mutation[] = [
  'append-nul',
  'append-max-rune',
  'upper',
  'drop-last',
  'pad',
  'double',
];

function mutate(text: string, mutation: Mutation | undefined): string {
  switch (mutation) {
    case undefined:
      return text;
    case 'append-nul':
      return `${text}\u0000`;
    case 'append-max-rune':
      return `${text}\u{10FFFF}`;
    case 'upper':
      return text.toUpperCase();
    case 'drop-last':
      return text.slice(0, -1);
    case 'pad':
      return ` ${text} `;
    case 'double':
      return `${text}/${text}`;
  }
}

function render(pick: Pick, env: BadInputEnv): string {
  if ('text' in pick) {
    return pick.text;
  }
  const values = env.known[pick.known];
  return mutate(values[pick.index % Math.max(values.length, 1)] ?? '', pick.mutation);
}

const known = (kind: keyof KnownIds): fc.Arbitrary<Pick> =>
  fc.record(
    { known: fc.constant(kind), index: fc.nat(50), mutation: fc.constantFrom(...MUTATIONS) },
    { requiredKeys: ['known', 'index'] },
  );

const text = (arbitrary: fc.Arbitrary<string>): fc.Arbitrary<Pick> => arbitrary.map((t) => ({ text: t }));

const hex = (length: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'.split('')), minLength: length, maxLength: length });

/** Well-formed IDs no record has. */
const unknownId = (prefix: string): fc.Arbitrary<string> => hex(32).map((h) => `${prefix}${h}`);

/** Numbers as a caller might send them: negative, fractional, not numbers, past the safe integers. */
export const NUMBER_TEXTS = [
  '-1',
  '0',
  '-0',
  '1',
  '1.5',
  '0.1',
  '1e3',
  '1e21',
  '1e309',
  'NaN',
  'Infinity',
  '-Infinity',
  '9007199254740991',
  '9007199254740992',
  '9007199254740993',
  '99999999999999999999999',
  '0x10',
  '010',
  ' 10',
  '10 ',
  '10abc',
  '+1',
  '１０',
  '',
] as const;

/** Literal JSON numbers that JSON.stringify cannot write: Infinity once parsed, -0, past-safe integers. */
const NUMBER_LITERALS = [
  '1e400',
  '-1e400',
  '-0',
  '9007199254740993',
  '1.0000000000000002',
  '0.5',
  '-3',
  '1e2',
] as const;

const SEPARATORS = [
  '\u0000',
  '\u{10FFFF}',
  'a\u0000b',
  '\u0000\u0000',
  '/',
  '//',
  ':',
  '\\',
  '\ud800',
  '\udfff',
];

const MALFORMED_JSON = [
  '{',
  '[',
  '{"a":',
  'null',
  'true',
  '[]',
  '""',
  '1',
  '{}',
  '{"__proto__":{"polluted":1}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
  "{'a':1}",
  '{"a":1,"a":2}',
  '\ufeff{}',
] as const;

const huge = fc
  .tuple(fc.constantFrom(65_536, 262_144), fc.constantFrom('x', 'é', '\u0000', '9', '汉'))
  .map(([n, c]) => c.repeat(n));

const malformedPem = fc.oneof(
  fc.constant('-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n'),
  fc.string({ maxLength: 60 }).map((b) => `-----BEGIN CERTIFICATE-----\n${b}\n-----END CERTIFICATE-----\n`),
  fc.constant('-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n'),
  fc
    .base64String({ maxLength: 200 })
    .map((b) => `-----BEGIN CERTIFICATE-----\n${b}\n-----END CERTIFICATE-----`),
);

/** Any string at all, weighted towards the ones that break parsers. */
export const nastyText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...NUMBER_TEXTS), weight: 3 },
  { arbitrary: fc.constantFrom(...SEPARATORS), weight: 2 },
  { arbitrary: fc.constantFrom(...MALFORMED_JSON), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }), weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)), weight: 2 },
  { arbitrary: fc.double().map(String), weight: 1 },
  { arbitrary: fc.bigInt().map(String), weight: 1 },
  { arbitrary: unknownId('U'), weight: 1 },
  { arbitrary: fc.constant(''), weight: 1 },
  { arbitrary: huge, weight: 1 },
);

function kindValue(kind: Exclude<ArgKind, 'consent'>): fc.Arbitrary<Pick> {
  const ids: Partial<Record<ArgKind, fc.Arbitrary<Pick>>> = {
    user: fc.oneof(known('users'), text(unknownId('U'))),
    asset: fc.oneof(known('assets'), text(unknownId('A'))),
    listing: fc.oneof(known('listings'), text(unknownId('L'))),
    offer: fc.oneof(known('offers'), text(unknownId('O'))),
    trade: fc.oneof(known('trades'), text(unknownId('T'))),
    msp: fc.oneof(known('mspIds'), text(fc.constantFrom('UnknownMSP', 'registrymsp', 'Platform1MSP '))),
    pem: fc.oneof(known('pems'), text(malformedPem)),
  };
  const other: Record<string, fc.Arbitrary<Pick>> = {
    pageSize: text(fc.constantFrom('1', '10', '100', '101', '1000', ...NUMBER_TEXTS)),
    bookmark: fc.oneof(text(fc.constantFrom('', '\u0000', '\u{10FFFF}')), known('users'), known('listings')),
    units: text(fc.constantFrom(...NUMBER_TEXTS)),
    text: text(fc.string({ maxLength: 300 })),
    interval: text(
      fc.constantFrom(
        '2026-01-01T00:00:00.000Z/2027-01-01T00:00:00.000Z',
        '2027-01-01T00:00:00.000Z/2026-01-01T00:00:00.000Z',
        '2026-01-01T00:00:00Z/2026-01-02T00:00:00Z',
        '2026-02-30T00:00:00.000Z/2027-01-01T00:00:00.000Z',
        '/',
        'a/b',
        '2026-01-01T00:00:00.000Z',
      ),
    ),
    kind: text(fc.constantFrom(...HISTORY_KINDS, 'USER', 'block', '')),
    historyId: fc.oneof(
      known('users'),
      known('assets'),
      known('listings'),
      known('trades'),
      text(pairText()),
    ),
    assetJson: text(assetJson()),
  };
  return ids[kind] ?? other[kind] ?? text(nastyText);
}

function pairText(): fc.Arbitrary<string> {
  return fc.tuple(unknownId('A'), unknownId('U')).map(([a, u]) => `${a}/${u}`);
}

/** A JSON value a field should not hold. */
const wrongJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(-1, 0, 0.5, -0.000001, 1e300, 2 ** 53, 2 ** 53 + 2, Number.MIN_VALUE, null, true, '', '10'),
  fc.constantFrom([], {}, [1], { units: 1 }, 'x'.repeat(5000)),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

/** A placeholder a literal JSON number replaces after JSON.stringify. */
const LITERAL = '\u0001literal\u0001';

interface JsonMutation {
  readonly path: number;
  readonly change: 'replace' | 'delete' | 'extra' | 'literal';
  readonly value: unknown;
  readonly literal: string;
}

const jsonMutation: fc.Arbitrary<JsonMutation> = fc.record({
  path: fc.nat(),
  change: fc.constantFrom('replace', 'delete', 'extra', 'literal'),
  value: wrongJson,
  literal: fc.constantFrom(...NUMBER_LITERALS),
});

/** A number where a number belongs, but not one the act accepts. */
const numberMutation: fc.Arbitrary<JsonMutation> = fc.record({
  path: fc.nat(),
  change: fc.constant('replace' as const),
  value: fc.constantFrom(-1, 0, 0.5, 1.5, -0.000001, 1e300, 2 ** 53, 2 ** 53 + 2, 1_000_000, 99),
  literal: fc.constantFrom(...NUMBER_LITERALS),
});

/** Every (object, key) of a JSON tree, depth first. */
function slots(value: unknown): [Record<string, unknown>, string][] {
  if (typeof value !== 'object' || value === null) {
    return [];
  }
  const record = value as Record<string, unknown>;
  return Object.keys(record).flatMap((key) => [
    [record, key] as [Record<string, unknown>, string],
    ...slots(record[key]),
  ]);
}

/** A valid JSON object with one field broken, as text. */
function breakJson(valid: unknown, mutations: readonly JsonMutation[]): string {
  const copy = structuredClone(valid);
  let literal: string | undefined;
  for (const m of mutations) {
    const all = slots(copy);
    const [target, key] = all[m.path % Math.max(all.length, 1)] ?? [{}, 'x'];
    if (m.change === 'delete') {
      // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- the mutation is the deletion
      delete target[key];
    } else if (m.change === 'extra') {
      target[`extra${String(m.path % 3)}`] = structuredClone(m.value);
    } else if (m.change === 'literal') {
      target[key] = LITERAL;
      literal = m.literal;
    } else {
      // A copy: the generated values are shared between runs.
      target[key] = structuredClone(m.value);
    }
  }
  const json = JSON.stringify(copy);
  return literal === undefined ? json : json.replaceAll(JSON.stringify(LITERAL), literal);
}

function assetJson(): fc.Arbitrary<string> {
  const valid = {
    assetRef: 'fuzz-asset',
    attributes: {
      name: 'Fuzz',
      category: 'FUND',
      description: 'd',
      currency: 'CNY',
      documents: [{ name: 'p.pdf', sha256: 'a'.repeat(64), uri: 'https://docs.example/p.pdf' }],
    },
    rights: {
      voting: { enabled: true, votesPerUnit: 1 },
      dividend: { enabled: false, policy: '' },
      otherTerms: [],
    },
    totalUnits: 10,
    holders: [{ userId: 'U'.padEnd(33, '0'), units: 10 }],
  };
  return fc
    .array(jsonMutation, { minLength: 1, maxLength: 3 })
    .map((mutations) => breakJson(valid, mutations));
}

/** How a consent transaction's two arguments are made. */
interface ConsentPlan {
  /** The act signed: usually the transaction's own, sometimes another. */
  readonly action: SignedAction | 'own';
  readonly signer: number;
  readonly mutations: readonly JsonMutation[];
  readonly requestId: Pick;
  /** Seconds from now until the request expires, or a text in its place. */
  readonly expires: number | string;
  readonly signature: 'valid' | 'stranger' | 'tampered' | { readonly text: string };
  /** Relayed by the signer's own platform, as the act requires; else by the call's caller. */
  readonly ownRelay: boolean;
}

const consentPlan: fc.Arbitrary<ConsentPlan> = fc.record({
  action: fc.oneof({ arbitrary: fc.constant('own' as const), weight: 5 }, fc.constantFrom(...SIGNED_ACTIONS)),
  signer: fc.nat(10),
  // Half the requests keep their params whole, so the act's own checks run on the rest of the plan.
  mutations: fc.oneof(fc.constant([]), fc.array(fc.oneof(numberMutation, jsonMutation), { maxLength: 2 })),
  requestId: fc.oneof(
    { arbitrary: text(fc.uuid()), weight: 4 },
    text(
      fc.constantFrom('short', 'x'.repeat(65), 'bad id!', '\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000'),
    ),
  ),
  expires: fc.oneof(
    { arbitrary: fc.constantFrom(300, 600, 3_000), weight: 4 },
    fc.constantFrom(-300, 0, 1, 7_200, 10 ** 9),
    fc.constantFrom('', 'soon', '2026-13-01T00:00:00.000Z', '2026-01-01T00:00:00Z', '1e309'),
  ),
  signature: fc.oneof(
    { arbitrary: fc.constant('valid' as const), weight: 5 },
    fc.constantFrom('stranger' as const, 'tampered' as const),
    fc.record({ text: fc.oneof(nastyText, fc.base64String({ maxLength: 100 })) }),
  ),
  ownRelay: fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, fc.constant(false)),
});

/** Params the act accepts in the populated world; the plan's mutations break them. */
function validParams(action: SignedAction, env: BadInputEnv, signer: string): Record<string, unknown> {
  const first = (values: readonly string[]): string => values[0] ?? '';
  const iso = (seconds: number): string => new Date((env.nowSeconds + seconds) * 1000).toISOString();
  const price = { pricePerUnit: 100 };
  const byAction: Record<SignedAction, Record<string, unknown>> = {
    'listings:Create': {
      assetId: first(env.known.assets),
      units: 1,
      ...price,
      minPerBuyer: 1,
      maxPerBuyer: 1,
      expiresAt: iso(86_400),
    },
    'listings:Cancel': { listingId: first(env.known.listings) },
    'trades:Buy': { listingId: first(env.known.listings), units: 1, ...price },
    'offers:Create': {
      assetId: first(env.known.assets),
      buyerId: env.known.users.find((u) => u !== signer) ?? '',
      units: 1,
      ...price,
      expiresAt: iso(86_400),
    },
    'offers:Accept': { offerId: first(env.known.offers), units: 1, ...price },
    'offers:Cancel': { offerId: first(env.known.offers) },
    'campaigns:Create': {
      assetId: first(env.known.assets),
      units: 2,
      targetUnits: 1,
      ...price,
      minPerInvestor: 1,
      maxPerInvestor: 2,
      deadline: iso(10 * 86_400),
      // Optional: mutations delete it (FIRST_COME) or break it.
      allocation: CAMPAIGN_ALLOCATIONS[1],
    },
    'campaigns:Commit': { listingId: env.known.listings.at(-1) ?? '', units: 1, ...price },
    'campaigns:Withdraw': { listingId: env.known.listings.at(-1) ?? '' },
    'keys:Register': { publicKey: 'MFkw', algorithm: 'ES256' },
  };
  return byAction[action];
}

function signerOf(plan: ConsentPlan, env: BadInputEnv): KnownSigner | undefined {
  return env.signers[plan.signer % Math.max(env.signers.length, 1)];
}

/** The request the plan describes, as an object: it may be no valid request at all. */
function consentRequest(plan: ConsentPlan, fcn: string, env: BadInputEnv): ConsentRequest {
  const action = plan.action === 'own' ? (fcn as SignedAction) : plan.action;
  const userId = signerOf(plan, env)?.userId ?? '';
  const params = JSON.parse(breakJson(validParams(action, env, userId), plan.mutations)) as unknown;
  const expiresAt =
    typeof plan.expires === 'string'
      ? plan.expires
      : new Date((env.nowSeconds + plan.expires) * 1000).toISOString();
  return { action, params, userId, requestId: render(plan.requestId, env), expiresAt } as ConsentRequest;
}

/** The request's text and a signature: the signer's, a stranger's, one over other bytes, or a text. */
function renderConsent(plan: ConsentPlan, fcn: string, env: BadInputEnv): [string, string] {
  const request = consentRequest(plan, fcn, env);
  const requestText = safely(() => consentText(request), JSON.stringify(request));
  if (typeof plan.signature === 'object') {
    return [requestText, plan.signature.text];
  }
  const key = plan.signature === 'stranger' ? env.strangerKey : (signerOf(plan, env)?.key ?? env.strangerKey);
  const bytes = safely(() => consentBytes(request), Buffer.from(requestText));
  const signature = toBase64url(sign('sha256', bytes, { key, dsaEncoding: 'ieee-p1363' }));
  // Tampered: the relay changes the units after the user signed.
  const sent =
    plan.signature === 'tampered' ? requestText.replace(/"units":(\d)/, '"units":9$1') : requestText;
  return [sent, signature];
}

function safely<T>(make: () => T, fallback: T): T {
  try {
    return make();
  } catch {
    return fallback;
  }
}

/** A generated argument: a picked value, or a consent plan (two arguments). */
type ArgPlan =
  { readonly pick: Pick } | { readonly consent: ConsentPlan } | { readonly raw: readonly string[] };

function argPlan(kind: ArgKind): fc.Arbitrary<ArgPlan> {
  if (kind === 'consent') {
    return fc.oneof(
      { arbitrary: consentPlan.map((consent) => ({ consent })), weight: 3 },
      fc.tuple(nastyText, nastyText).map((raw) => ({ raw })),
    );
  }
  return fc.oneof(
    { arbitrary: kindValue(kind).map((pick) => ({ pick })), weight: 3 },
    text(nastyText).map((pick) => ({ pick })),
  );
}

/** Transient fields: the ones the transaction reads, each present, missing or broken, and sometimes extras. */
interface TransientPlan {
  readonly fields: readonly (readonly [string, TransientValue | null])[];
  readonly extra: readonly (readonly [string, string])[];
}

type TransientValue =
  { readonly valid: true } | { readonly pick: Pick } | { readonly holderQuery: HolderQueryPlan };

interface HolderQueryPlan {
  readonly cert: number;
  readonly mutations: readonly JsonMutation[];
  readonly skewSeconds: number;
}

const TRANSIENT_OF: Readonly<Record<string, readonly string[]>> = {
  'users:Register': [Transient.reference, Transient.referenceSecret, Transient.user, Transient.salt],
  'certificates:Record': [Transient.certificate],
  'certificates:QueryByCertificate': [
    Transient.certificate,
    Transient.holderQuery,
    Transient.holderSignature,
  ],
};

function transientValue(field: string): fc.Arbitrary<TransientValue> {
  const broken = fc.oneof(
    text(nastyText),
    field === Transient.certificate ? known('pems') : text(malformedPem),
  );
  const holderQuery = fc.record({
    cert: fc.nat(10),
    mutations: fc.array(jsonMutation, { maxLength: 2 }),
    skewSeconds: fc.constantFrom(0, 0, 60, -600, 3_600),
  });
  return fc.oneof(
    { arbitrary: fc.constant({ valid: true } as const), weight: 2 },
    broken.map((pick) => ({ pick })),
    field === Transient.holderQuery
      ? holderQuery.map((q) => ({ holderQuery: q }))
      : broken.map((pick) => ({ pick })),
  );
}

function transientPlan(fcn: string): fc.Arbitrary<TransientPlan> {
  const fields = TRANSIENT_OF[fcn] ?? [];
  return fc.record({
    fields: fc.tuple(
      ...fields.map((field) => fc.tuple(fc.constant(field), fc.option(transientValue(field), { freq: 6 }))),
    ),
    extra: fc.array(fc.tuple(fc.constantFrom('x', '__proto__', Transient.user, ''), nastyText), {
      maxLength: 1,
    }),
  });
}

/**
 * The valid value of a transient field in the populated world: a new user's
 * registration, the world's last certificate; a holder's signature no holder made.
 */
function validTransient(field: string, env: BadInputEnv, secret: string): string {
  const values: Record<string, string> = {
    [Transient.reference]: `fuzz-${String(env.nowSeconds)}`,
    [Transient.referenceSecret]: secret,
    [Transient.user]: JSON.stringify({ name: 'Fuzz', idType: 'PASSPORT', idNumber: 'E12345678' }),
    [Transient.salt]: '00112233445566778899aabbccddeeff',
    [Transient.certificate]: env.known.pems.at(-1) ?? '',
    [Transient.holderSignature]: 'MEUCIQ',
  };
  return values[field] ?? '';
}

function renderHolderQuery(plan: HolderQueryPlan, env: BadInputEnv): string {
  const pem = env.known.pems[plan.cert % Math.max(env.known.pems.length, 1)] ?? '';
  const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  const request: HolderQueryRequest = {
    assetId: env.known.assets[0] ?? '',
    fingerprint: createHash('sha256').update(der).digest('hex'),
    requestedAt: new Date((env.nowSeconds + plan.skewSeconds) * 1000).toISOString(),
    nonce: '0123456789abcdef0123456789abcdef',
  };
  return breakJson(request, plan.mutations);
}

/** A call as generated, before it is rendered. */
export interface CallPlan {
  readonly fcn: string;
  readonly args: readonly ArgPlan[];
  readonly transient: TransientPlan;
  readonly caller: number;
}

/** A function name that is not a transaction: unknown contracts, Object.prototype's names, near misses. */
const wrongName = fc.oneof(
  fc.constantFrom(
    'smoke:Put',
    'constructor',
    'constructor:x',
    '__proto__:Get',
    'toString',
    'hasOwnProperty:Get',
    'users:register',
    'users:Register ',
    'Users:Register',
    'users:',
    ':',
    '',
    'users:Register:extra',
    'org.hyperledger.fabric:GetMetadata',
    'org.hyperledger.fabric:_setMetadata',
    'users:beforeTransaction',
    'users:unknownTransaction',
    'assets:getName',
    'Get',
    'WhoAmI',
  ),
  nastyText,
);

/** Every transaction with arguments from its shape, the wrong count of them now and then, and wrong names. */
export function callPlan(): fc.Arbitrary<CallPlan> {
  const right = fc.constantFrom(...ALL_TRANSACTIONS).chain((fcn) =>
    fc.record({
      fcn: fc.constant(fcn),
      args: fc.tuple(...shapeOf(fcn).map(argPlan)),
      transient: transientPlan(fcn),
      caller: fc.nat(20),
    }),
  );
  const miscounted = fc.record({
    fcn: fc.oneof({ arbitrary: fc.constantFrom(...ALL_TRANSACTIONS), weight: 3 }, wrongName),
    args: fc.array(
      text(nastyText).map((pick): ArgPlan => ({ pick })),
      { maxLength: 6 },
    ),
    transient: transientPlan(''),
    caller: fc.nat(20),
  });
  return fc.oneof({ arbitrary: right, weight: 6 }, miscounted);
}

/** The call's function name, arguments and transient map in the environment. */
export function renderCall(plan: CallPlan, env: BadInputEnv, referenceSecret: string): RenderedCall {
  const args = plan.args.flatMap((arg): string[] => {
    if ('consent' in arg) {
      return renderConsent(arg.consent, plan.fcn, env);
    }
    return 'raw' in arg ? [...arg.raw] : [render(arg.pick, env)];
  });
  const transient = new Map<string, string>();
  for (const [field, value] of plan.transient.fields) {
    if (value !== null) {
      transient.set(field, renderTransient(field, value, env, referenceSecret));
    }
  }
  for (const [field, value] of plan.transient.extra) {
    transient.set(field, value);
  }
  const call = { fcn: plan.fcn, args, transient, caller: plan.caller };
  const relayFor = ownRelay(plan, env);
  return relayFor === undefined ? call : { ...call, relayFor };
}

/** The consent's signer, when its own platform relays the call. */
function ownRelay(plan: CallPlan, env: BadInputEnv): string | undefined {
  const consent = plan.args.find((arg) => 'consent' in arg)?.consent;
  return consent?.ownRelay === true ? signerOf(consent, env)?.userId : undefined;
}

function renderTransient(field: string, value: TransientValue, env: BadInputEnv, secret: string): string {
  if ('valid' in value) {
    return validTransient(field, env, secret);
  }
  return 'holderQuery' in value ? renderHolderQuery(value.holderQuery, env) : render(value.pick, env);
}
