import { CONSENT_ACTIONS, consentBytes, type ConsentRequest } from './consent';
import { TRANSACTIONS } from './names';

const request: ConsentRequest = {
  action: 'trades:Buy',
  params: { units: 5, listingId: 'L'.padEnd(33, '0') },
  userId: 'U'.padEnd(33, 'a'),
  requestId: 'r-1',
  expiresAt: '2026-12-05T10:00:00.000Z',
};

describe('consentBytes', () => {
  it('is the sorted-key JSON of the request, whatever order it was built in', () => {
    const text = Buffer.from(consentBytes(request)).toString('utf8');
    expect(text).toBe(
      `{"action":"trades:Buy","expiresAt":"2026-12-05T10:00:00.000Z","params":{"listingId":"${request.params['listingId'] as string}","units":5},"requestId":"r-1","userId":"${request.userId}"}`,
    );
    const reordered: ConsentRequest = {
      expiresAt: request.expiresAt,
      userId: request.userId,
      requestId: 'r-1',
      params: { listingId: request.params['listingId'] as string, units: 5 },
      action: 'trades:Buy',
    };
    expect(consentBytes(reordered)).toEqual(consentBytes(request));
  });

  it('changes when any parameter changes', () => {
    const altered = { ...request, params: { ...request.params, units: 6 } };
    expect(consentBytes(altered)).not.toEqual(consentBytes(request));
  });
});

describe('CONSENT_ACTIONS', () => {
  it.each(CONSENT_ACTIONS)('%s is a transaction the protocol names', (action) => {
    const [contract, transaction] = action.split(':') as [keyof typeof TRANSACTIONS, string];
    expect(TRANSACTIONS[contract] as readonly string[]).toContain(transaction);
  });
});
