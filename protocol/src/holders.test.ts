import {
  HOLDER_QUERY_PURPOSE,
  type HolderQueryRequest,
  holderQueryBytes,
  isHolderEnrollmentId,
} from './holders';

const request: HolderQueryRequest = {
  assetId: `A${'1'.repeat(32)}`,
  fingerprint: 'f'.repeat(64),
  requestedAt: '2026-12-05T10:00:00.000Z',
  nonce: '0'.repeat(32),
};

describe('holderQueryBytes', () => {
  it('is the sorted-key JSON of the request with its purpose, whatever order it was built in', () => {
    expect(Buffer.from(holderQueryBytes(request)).toString('utf8')).toBe(
      `{"assetId":"${request.assetId}","fingerprint":"${'f'.repeat(64)}","nonce":"${'0'.repeat(32)}","purpose":"${HOLDER_QUERY_PURPOSE}","requestedAt":"2026-12-05T10:00:00.000Z"}`,
    );
    const reordered: HolderQueryRequest = {
      nonce: request.nonce,
      requestedAt: request.requestedAt,
      fingerprint: request.fingerprint,
      assetId: request.assetId,
    };
    expect(holderQueryBytes(reordered)).toEqual(holderQueryBytes(request));
  });

  it('changes with every field and ignores fields it does not know', () => {
    for (const field of ['assetId', 'fingerprint', 'requestedAt', 'nonce'] as const) {
      expect(holderQueryBytes({ ...request, [field]: 'x' })).not.toEqual(holderQueryBytes(request));
    }
    const more = { ...request, purpose: 'something else' } as HolderQueryRequest;
    expect(holderQueryBytes(more)).toEqual(holderQueryBytes(request));
  });
});

describe('isHolderEnrollmentId', () => {
  it.each([
    [`holder-${'a'.repeat(40)}`, true],
    [`holder-${'A'.repeat(40)}`, false],
    [`holder-${'a'.repeat(39)}`, false],
    [`holder-${'a'.repeat(40)}-2`, false],
    ['zhang-wei', false],
  ])('%s → %s', (id, expected) => {
    expect(isHolderEnrollmentId(id)).toBe(expected);
  });
});
