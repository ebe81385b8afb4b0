import type { Asset, CapTable, CertificateRecord, Holding } from '@crowdledger/client';
import { InvalidArgumentError } from 'commander';
import { assetListRows, capTableAtCells, capTableAtRows, parseBlockNumber } from './assets';

describe('parseBlockNumber', () => {
  it.each([
    ['0', 0n],
    ['7', 7n],
    ['1234567890123456789', 1234567890123456789n],
  ])('reads %s', (text, expected) => {
    expect(parseBlockNumber(text)).toBe(expected);
  });

  it.each(['', '-1', '01', '1e3', '12abc', '1.5', ' 3', '12345678901234567890'])('refuses %j', (text) => {
    expect(() => parseBlockNumber(text)).toThrow(InvalidArgumentError);
  });
});

const holding = (userId: string, units: number, certificate: Holding['certificate']): Holding => ({
  assetId: 'A1',
  userId,
  units,
  escrowed: userId === 'U1' ? 2 : 0,
  certificate,
});

const record = { serial: '0A1B', status: 'REVOKED' } as CertificateRecord;

describe('capTableAtRows', () => {
  it("adds each holder's certificate record to the cap table line, empty when there is none", () => {
    const table: CapTable = {
      blockNumber: 9n,
      asset: { assetId: 'A1', totalUnits: 3 } as Asset,
      holders: [
        { holding: holding('U1', 2, 'DUE'), certificate: record },
        { holding: holding('U2', 1, 'DUE') },
      ],
    };
    const rows = capTableAtRows(table);
    expect(rows).toEqual([
      {
        holder: 'U1',
        units: 2,
        sharePercent: '66.67',
        escrowed: 2,
        certificate: 'DUE',
        certificateSerial: '0A1B',
        certificateStatus: 'REVOKED',
      },
      {
        holder: 'U2',
        units: 1,
        sharePercent: '33.33',
        escrowed: 0,
        certificate: 'DUE',
        certificateSerial: null,
        certificateStatus: null,
      },
    ]);
    expect(capTableAtCells(rows)).toEqual([
      ['U1', 2, '66.67', 2, 'DUE', '0A1B', 'REVOKED'],
      ['U2', 1, '33.33', 0, 'DUE', '', ''],
    ]);
  });
});

describe('assetListRows', () => {
  const asset = {
    assetId: 'A1',
    platform: 'Platform1MSP',
    attributes: { name: '城市更新, "一期"', category: 'EQUITY', currency: 'CNY' },
    totalUnits: 1000,
    status: 'ACTIVE',
    registeredAt: '2026-01-01T00:00:00.000Z',
  } as Asset;

  it('gives a table a readable head, CSV the snake_case one, and JSON the records whole', () => {
    const row = ['A1', '城市更新, "一期"', 'EQUITY', 'CNY', 1000, 'ACTIVE', '2026-01-01T00:00:00.000Z'];
    expect(assetListRows([asset], 'table')).toEqual({
      head: ['asset', 'name', 'category', 'currency', 'total units', 'status', 'registered at'],
      rows: [row],
      json: [asset],
    });
    expect(assetListRows([asset], 'csv').head).toEqual([
      ...['asset', 'name', 'category', 'currency', 'total_units', 'status', 'registered_at'],
    ]);
  });
});
