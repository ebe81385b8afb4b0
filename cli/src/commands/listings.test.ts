import { CrowdLedgerError, type ExpireDueReport } from '@crowdledger/client';
import type { LiveLine } from '../progress';
import { expiryJson, expiryProgress, expiryText } from './listings';

const forbidden = new CrowdLedgerError('FORBIDDEN', 'Platform9MSP may not write');

const report: ExpireDueReport = {
  expired: ['L01', 'L02'],
  skipped: [{ listingId: 'L03', code: 'LISTING_CLOSED', sentence: 'listing L03 is SOLD_OUT' }],
  failed: [{ listingId: 'L04', code: 'FORBIDDEN', sentence: 'Platform9MSP may not write', error: forbidden }],
  unsettledCampaigns: ['L05'],
  pagesRead: 2,
  examined: 120,
};

describe('expiryText', () => {
  it('counts each outcome, names every listing with its code, and says how to end the campaigns', () => {
    const text = expiryText(report, 'platform2');
    expect(text).toContain('Expired 2 listings, skipped 1, 1 failed; 120 open listings read in 2 pages.');
    expect(text).toMatch(/L01\s+expired/);
    expect(text).toMatch(/L03\s+skipped\s+LISTING_CLOSED\s+listing L03 is SOLD_OUT/);
    expect(text).toMatch(/L04\s+failed\s+FORBIDDEN\s+Platform9MSP may not write/);
    expect(text).toContain('1 campaign past the deadline: campaigns are settled, not expired');
    expect(text).toContain('  crowdledger campaigns settle L05 --org platform2');
  });

  it('says plainly when nothing was due, with no table', () => {
    const quiet = {
      ...report,
      expired: [],
      skipped: [],
      failed: [],
      unsettledCampaigns: [],
      pagesRead: 1,
      examined: 1,
    };
    expect(expiryText(quiet, 'platform1')).toBe('Nothing was due: 1 open listing read in 1 page.');
  });
});

describe('expiryJson', () => {
  it('keeps code and sentence of a failure but not the error object', () => {
    const json = expiryJson(report);
    expect(json).toEqual({
      expired: ['L01', 'L02'],
      skipped: report.skipped,
      failed: [{ listingId: 'L04', code: 'FORBIDDEN', sentence: 'Platform9MSP may not write' }],
      unsettledCampaigns: ['L05'],
      pagesRead: 2,
      examined: 120,
    });
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});

describe('expiryProgress', () => {
  it('makes each newly read page a milestone and the listings between them a passing state', () => {
    const seen: string[] = [];
    const line: LiveLine = {
      show: (text) => seen.push(`show ${text}`),
      milestone: (text) => seen.push(`milestone ${text}`),
      done: () => seen.push('done'),
    };
    const progress = expiryProgress(line);
    const at = { pagesRead: 1, examined: 100, due: 2, expired: 0, skipped: 0, failed: 0 };
    progress(at);
    progress({ ...at, expired: 1 });
    progress({ ...at, pagesRead: 2, examined: 150, expired: 2 });
    expect(seen).toEqual([
      'milestone page 1: 100 open listings read, 2 due; 0 expired, 0 skipped, 0 failed so far',
      'show page 1: 100 open listings read, 2 due; 1 expired, 0 skipped, 0 failed so far',
      'milestone page 2: 150 open listings read, 2 due; 2 expired, 0 skipped, 0 failed so far',
    ]);
  });
});
