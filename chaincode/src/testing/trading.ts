import {
  type ConsentAction,
  type ConsentParams,
  type ConsentRequest,
  PROPOSAL_TIME_WINDOW_MS,
} from '@crowdledger/protocol';
import type { Context } from 'fabric-contract-api';
import type { KeyObject } from 'node:crypto';
import type { CommitmentResult } from '../model/commitment-result';
import type { Holding } from '../model/holding';
import type { Listing } from '../model/listing';
import type { Offer } from '../model/offer';
import type { TradeResult } from '../model/trade-result';
import { ALICE, BOB, CAROL, contracts, FUND, type Who, type World } from './world';
import type { FakeStub } from './fake-context';

/** Helpers the listing, trade, offer and campaign tests share. */

export const HOUR = 60 * 60;
export const DAY = 24 * HOUR;
/** The proposal time window in seconds: deadlines keep it as a margin (values/deadlines.ts). */
export const WINDOW = PROPOSAL_TIME_WINDOW_MS / 1000;

/** The ISO instant `seconds` after the stub's current transaction time. */
export function isoIn(stub: FakeStub, seconds: number): string {
  return new Date((stub.txSeconds + seconds) * 1000).toISOString();
}

/** A valid listings:Create argument: Alice sells 10 fund-1 units at 150.00 yuan. */
export function listingInput(
  stub: FakeStub,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    assetId: FUND,
    sellerId: ALICE,
    units: 10,
    pricePerUnit: 15_000,
    minPerBuyer: 1,
    maxPerBuyer: 10,
    expiresAt: isoIn(stub, 7 * DAY),
    ...overrides,
  };
}

/** A valid campaigns:Create argument: Alice offers 20 units, 12 to succeed, deadline in 10 days. */
export function campaignInput(
  stub: FakeStub,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    assetId: FUND,
    sellerId: ALICE,
    units: 20,
    targetUnits: 12,
    pricePerUnit: 10_000,
    minPerInvestor: 2,
    maxPerInvestor: 15,
    deadline: isoIn(stub, 10 * DAY),
    ...overrides,
  };
}

/** A valid offers:Create argument: Alice offers Carol (Platform2) 5 units. */
export function offerInput(stub: FakeStub, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    assetId: FUND,
    sellerId: ALICE,
    buyerId: CAROL,
    units: 5,
    pricePerUnit: 12_000,
    expiresAt: isoIn(stub, 3 * DAY),
    ...overrides,
  };
}

export const key = (...parts: string[]): string => `\u0000${parts.join('\u0000')}\u0000`;

export function json(bytes: Uint8Array | undefined): unknown {
  return JSON.parse(Buffer.from(bytes ?? []).toString('utf8'));
}

/** Stored bytes as text; an index entry reads as the protocol's INDEX_ENTRY_VALUE. */
export function storedText(bytes: Uint8Array | undefined): string | undefined {
  return bytes === undefined ? undefined : Buffer.from(bytes).toString('utf8');
}

export function holding(stub: FakeStub, assetId: string, userId: string): Holding | undefined {
  const bytes = stub.state.get(key('holding', assetId, userId));
  return bytes === undefined ? undefined : (json(bytes) as Holding);
}

export function storedListing(stub: FakeStub, listingId: string): Listing {
  return json(stub.state.get(key('listing', listingId))) as Listing;
}

/** Every public write and event payload as text. */
export function publicTexts(stub: FakeStub): string[] {
  return [
    ...stub.writes.filter((w) => w.collection === '').map((w) => Buffer.from(w.value).toString('utf8')),
    ...stub.events.map((e) => `${e.name} ${Buffer.from(e.payload).toString('utf8')}`),
  ];
}

const CALLS = {
  'listings:Create': (ctx: Context, r: string, s: string) => contracts.listings.Create(ctx, r, s),
  'listings:Cancel': (ctx: Context, r: string, s: string) => contracts.listings.Cancel(ctx, r, s),
  'trades:Buy': (ctx: Context, r: string, s: string) => contracts.trades.Buy(ctx, r, s),
  'offers:Create': (ctx: Context, r: string, s: string) => contracts.offers.Create(ctx, r, s),
  'offers:Accept': (ctx: Context, r: string, s: string) => contracts.offers.Accept(ctx, r, s),
  'offers:Cancel': (ctx: Context, r: string, s: string) => contracts.offers.Cancel(ctx, r, s),
  'campaigns:Create': (ctx: Context, r: string, s: string) => contracts.campaigns.Create(ctx, r, s),
  'campaigns:Commit': (ctx: Context, r: string, s: string) => contracts.campaigns.Commit(ctx, r, s),
  'campaigns:Withdraw': (ctx: Context, r: string, s: string) => contracts.campaigns.Withdraw(ctx, r, s),
} as const satisfies Record<ConsentAction, (ctx: Context, r: string, s: string) => Promise<unknown>>;

/** What each consent action's transaction returns. */
export type ActResult<A extends ConsentAction> = Awaited<ReturnType<(typeof CALLS)[A]>>;

/** Each test user's own platform. */
export const PLATFORM_OF: Readonly<Record<string, Who>> = {
  [ALICE]: 'platform1',
  [BOB]: 'platform1',
  [CAROL]: 'platform2',
};

/** How a consent transaction is made in a test; by default as the SDK would make it. */
export interface ActOptions {
  /** Who relays the request: the user's own platform unless given. */
  readonly as?: Who;
  /** The key that signs: the user's own unless given. */
  readonly key?: KeyObject;
  /** Fields of the request to replace (expiresAt, requestId, userId…). */
  readonly overrides?: Partial<ConsentRequest>;
}

/** A new transaction in which a platform relays the user's signed request for the act. */
export async function act<A extends ConsentAction>(
  world: World,
  action: A,
  userId: string,
  params: ConsentParams<A>,
  options: ActOptions = {},
): Promise<ActResult<A>> {
  world.nextTx();
  const request = world.request(action, userId, params, options.overrides);
  const call = CALLS[action] as (ctx: Context, r: string, s: string) => Promise<ActResult<A>>;
  return call(
    world.as(options.as ?? PLATFORM_OF[userId] ?? 'platform1'),
    ...world.sign(request, options.key),
  );
}

/** A sale input (listingInput, campaignInput, offerInput) as its seller and the params they sign. */
export function split<A extends ConsentAction>(input: Record<string, unknown>): [string, ConsentParams<A>] {
  const { sellerId, ...params } = input;
  return [String(sellerId), params as ConsentParams<A>];
}

export async function createListing(
  world: World,
  input: Record<string, unknown> = listingInput(world.stub),
  options: ActOptions = {},
): Promise<Listing> {
  return act(world, 'listings:Create', ...split<'listings:Create'>(input), options);
}

export async function createCampaign(
  world: World,
  input: Record<string, unknown> = campaignInput(world.stub),
  options: ActOptions = {},
): Promise<Listing> {
  return act(world, 'campaigns:Create', ...split<'campaigns:Create'>(input), options);
}

export async function createOffer(
  world: World,
  input: Record<string, unknown> = offerInput(world.stub),
  options: ActOptions = {},
): Promise<Offer> {
  return act(world, 'offers:Create', ...split<'offers:Create'>(input), options);
}

/** A stored record's field, or a stand-in when there is no such record (a test of an unknown ID). */
function storedNumber(stub: FakeStub, stateKey: string, field: string): number {
  const bytes = stub.state.get(stateKey);
  const value = bytes === undefined ? undefined : (json(bytes) as Record<string, unknown>)[field];
  return typeof value === 'number' ? value : 1;
}

/** The buyer's platform buys with the buyer's signature, at the listing's price unless another is signed. */
export async function buy(
  world: World,
  listingId: string,
  buyerId: string,
  units: number,
  options: ActOptions & { readonly pricePerUnit?: number } = {},
): Promise<TradeResult> {
  const pricePerUnit =
    options.pricePerUnit ?? storedNumber(world.stub, key('listing', listingId), 'pricePerUnit');
  return act(world, 'trades:Buy', buyerId, { listingId, units, pricePerUnit }, options);
}

/** The investor's platform commits with the investor's signature, at the campaign's price. */
export async function commit(
  world: World,
  listingId: string,
  buyerId: string,
  units: number,
  options: ActOptions & { readonly pricePerUnit?: number } = {},
): Promise<CommitmentResult> {
  const pricePerUnit =
    options.pricePerUnit ?? storedNumber(world.stub, key('listing', listingId), 'pricePerUnit');
  return act(world, 'campaigns:Commit', buyerId, { listingId, units, pricePerUnit }, options);
}

/** The buyer's platform accepts with the buyer's signature over the offer's stored terms. */
export async function accept(
  world: World,
  offerId: string,
  buyerId: string,
  options: ActOptions & { readonly units?: number; readonly pricePerUnit?: number } = {},
): Promise<TradeResult> {
  const stored = (field: string): number => storedNumber(world.stub, key('offer', offerId), field);
  const units = options.units ?? stored('units');
  const pricePerUnit = options.pricePerUnit ?? stored('pricePerUnit');
  return act(world, 'offers:Accept', buyerId, { offerId, units, pricePerUnit }, options);
}
