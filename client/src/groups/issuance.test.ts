import type { Holding, PersonalData, User } from '../model';
import { chaincodeEvent } from '../testing/fake-gateway';
import { type CrowdLedgerEvent, parseChaincodeEvent } from './event-types';
import { dueHoldingsIn, notIssuable, personalAttributes, revokedHoldingsIn, skipReason } from './issuance';

const ASSET = `A${'1'.repeat(32)}`;
const user = (platform: string): User => ({
  userId: `U${'2'.repeat(32)}`,
  platform,
  status: 'ACTIVE',
  commitment: 'c'.repeat(64),
  registeredAt: '2026-01-01T00:00:00.000Z',
});
const holding = (certificate: Holding['certificate'], units = 5): Holding => ({
  assetId: ASSET,
  userId: `U${'2'.repeat(32)}`,
  units,
  escrowed: 0,
  certificate,
});

describe('skipReason', () => {
  it('issues DUE, and REVOKED while units are held again (R6)', () => {
    expect(skipReason('Platform1MSP', user('Platform1MSP'), holding('DUE'))).toBeUndefined();
    expect(skipReason('Platform1MSP', user('Platform1MSP'), holding('REVOKED'))).toBeUndefined();
  });

  it('skips ISSUED unless reissuing, other platforms, and non-holders', () => {
    expect(skipReason('Platform1MSP', user('Platform1MSP'), holding('ISSUED'))).toBe('ALREADY_ISSUED');
    expect(skipReason('Platform1MSP', user('Platform1MSP'), holding('ISSUED'), true)).toBeUndefined();
    expect(skipReason('Platform1MSP', user('Platform2MSP'), holding('DUE'))).toBe('OTHER_PLATFORM');
    expect(skipReason('Platform1MSP', user('Platform1MSP'), undefined)).toBe('NOT_HOLDER');
    expect(skipReason('Platform1MSP', user('Platform1MSP'), holding('REVOKED', 0))).toBe('NOT_HOLDER');
  });

  it('never issues a PENDING holding, not even when reissuing (R13)', () => {
    expect(skipReason('Platform1MSP', user('Platform1MSP'), holding('PENDING'))).toBe('PENDING');
    expect(skipReason('Platform1MSP', user('Platform1MSP'), holding('PENDING'), true)).toBe('PENDING');
    expect(notIssuable('PENDING', 'Platform1MSP', user('Platform1MSP'), ASSET).code).toBe('HOLDING_PENDING');
  });

  it('turns each reason into a typed error for issue()', () => {
    expect(notIssuable('OTHER_PLATFORM', 'Platform1MSP', user('Platform2MSP'), ASSET).code).toBe(
      'NOT_OWN_USER',
    );
    expect(notIssuable('NOT_HOLDER', 'Platform1MSP', user('Platform1MSP'), ASSET).code).toBe('NOT_HOLDER');
    expect(notIssuable('ALREADY_ISSUED', 'Platform1MSP', user('Platform1MSP'), ASSET).code).toBe(
      'CERTIFICATE_NOT_DUE',
    );
  });
});

describe('dueHoldingsIn', () => {
  const position = { blockNumber: 3n, transactionId: 'tx' };
  it('lists the due holders of AssetRegistered and nothing for other events', () => {
    const event: CrowdLedgerEvent = {
      ...position,
      name: 'AssetRegistered',
      payload: {
        assetId: ASSET,
        platform: 'Platform1MSP',
        totalUnits: 3,
        registeredAt: '2026-01-01T00:00:00.000Z',
        holders: [
          { userId: 'U1', platform: 'Platform1MSP', units: 1, certificateDue: true, pending: false },
          { userId: 'U2', platform: 'Platform2MSP', units: 2, certificateDue: false, pending: true },
        ],
      },
    };
    expect(dueHoldingsIn(event)).toEqual([{ assetId: ASSET, holderId: 'U1' }]);
    const accepted: CrowdLedgerEvent = {
      ...position,
      name: 'HoldingAccepted',
      payload: { holding: holding('DUE'), platform: 'Platform2MSP', assetPlatform: 'Platform1MSP' },
    };
    expect(dueHoldingsIn(accepted)).toEqual([{ assetId: ASSET, holderId: `U${'2'.repeat(32)}` }]);
    expect(dueHoldingsIn({ ...position, name: 'Unknown', eventName: 'X', payload: null })).toEqual([]);
  });
});

describe('personalAttributes', () => {
  it('carries the name and the masked ID number, never the number itself', () => {
    const personal: PersonalData = {
      userId: 'U1',
      platformRef: 'li',
      name: '李小龙',
      idType: 'RESIDENT_ID',
      idNumber: '11010519491231002X',
      salt: '00'.repeat(16),
    };
    const attrs = personalAttributes(personal);
    expect(attrs).toEqual({ 'crowdledger.name': '李小龙', 'crowdledger.idmask': '110*************2X' });
    expect(JSON.stringify(attrs)).not.toContain(personal.idNumber);
  });
});

describe('revokedHoldingsIn', () => {
  const trade = {
    tradeId: `T${'9'.repeat(64)}`,
    via: 'FIXED',
    listingId: `L${'8'.repeat(64)}`,
    assetId: ASSET,
    sellerId: `U${'2'.repeat(32)}`,
    buyerId: `U${'3'.repeat(32)}`,
    sellerPlatform: 'Platform1MSP',
    buyerPlatform: 'Platform1MSP',
    units: 5,
    pricePerUnit: 100,
    amount: 500,
    executedAt: 'T',
  };
  const traded = (sellerCertificateRevoked: boolean) =>
    parseChaincodeEvent(
      chaincodeEvent(4, 'tx4', 'TradeExecuted', {
        trade,
        buyerCertificateDue: true,
        sellerCertificateRevoked,
      }),
    );

  it('names the seller whose last unit a trade sold, and nobody otherwise', () => {
    expect(revokedHoldingsIn(traded(true))).toEqual([{ assetId: ASSET, holderId: trade.sellerId }]);
    expect(revokedHoldingsIn(traded(false))).toEqual([]);
  });

  it('names the holder of a certificate revoked on the ledger directly', () => {
    const revoked = chaincodeEvent(5, 'tx5', 'CertificateRevoked', {
      assetId: ASSET,
      holderId: trade.buyerId,
      enrollmentId: 'holder-0000000000000000000000000000000000000000',
      serial: '0A',
      issuer: 'CN=assetca',
      fingerprint: 'f'.repeat(64),
      notBefore: 'T',
      notAfter: 'T',
      status: 'REVOKED',
      recordedAt: 'T',
      revokedAt: 'T',
      revocationReason: 'lost',
    });
    expect(revokedHoldingsIn(parseChaincodeEvent(revoked))).toEqual([
      { assetId: ASSET, holderId: trade.buyerId },
    ]);
  });
});
