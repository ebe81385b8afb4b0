import type { Holding } from '../model/holding';
import type { Listing } from '../model/listing';
import { ALICE, CAROL, FUND, KEYS } from './world';
import type { FakeStub } from './fake-context';

/** Helpers the listing, trade, offer and campaign tests share. */

export const HOUR = 60 * 60;
export const DAY = 24 * HOUR;

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

/** Every public write, event payload and error sentence as text, to search for key material. */
export function publicTexts(stub: FakeStub): string[] {
  return [
    ...stub.writes.filter((w) => w.collection === '').map((w) => Buffer.from(w.value).toString('utf8')),
    ...stub.events.map((e) => `${e.name} ${Buffer.from(e.payload).toString('utf8')}`),
  ];
}

export const ALL_KEYS = [KEYS.alice, KEYS.bob, KEYS.carol];
