import type { CertificateRecord, IssuedCertificate, RevokeResult } from '@crowdledger/client';
import type { HolderFiles } from '../certificate-files';
import type { IssueDueProgress, IssueDueReport } from '@crowdledger/client';
import {
  issuedJson,
  issuedText,
  issueProgress,
  progressText,
  replacedText,
  reportJson,
  reportText,
} from './certificates';

const record = (serial: string, status: CertificateRecord['status']): CertificateRecord => ({
  assetId: 'A01',
  holderId: 'U01',
  enrollmentId: `holder-${'0'.repeat(40)}`,
  serial,
  issuer: 'CN=assetca',
  fingerprint: 'ab'.repeat(32),
  notBefore: '2026-01-01T00:00:00Z',
  notAfter: '2027-01-01T00:00:00Z',
  status,
  recordedAt: '2026-01-01T00:00:00Z',
  ...(status === 'REVOKED'
    ? { revokedAt: '2026-02-01T00:00:00Z', revocationReason: 'superseded by a reissued certificate' }
    : {}),
});

const replaced = (revokedSerials: readonly string[], newlyRevoked = true): RevokeResult => ({
  record: record('0A11', 'REVOKED'),
  atCa: {
    assetId: 'A01',
    holderId: 'U01',
    serial: '0A11',
    newlyRevoked,
    revokedSerials,
    enrollmentId: 'e1',
    crlPem: '-----BEGIN X509 CRL-----',
  },
});

const files: HolderFiles = {
  folder: 'out/A01/U01',
  certificate: 'out/A01/U01/cert.pem',
  privateKey: 'out/A01/U01/key.pem',
  caChain: 'out/A01/U01/ca-chain.pem',
};

const issued = (replacedBy?: RevokeResult): IssuedCertificate => ({
  assetId: 'A01',
  holderId: 'U01',
  enrollmentId: 'e1',
  certificatePem: '-----BEGIN CERTIFICATE-----',
  privateKeyPem: '-----BEGIN PRIVATE KEY-----',
  caChainPem: '-----BEGIN CERTIFICATE-----',
  record: record('0B22', 'ACTIVE'),
  ...(replacedBy === undefined ? {} : { replaced: replacedBy }),
  pkcs12: () => Promise.resolve(Buffer.alloc(0)),
});

describe('replacedText', () => {
  it('names the replaced serial, the reason, and that the ledger already refuses it', () => {
    const text = replacedText(replaced(['0A11']));
    expect(text).toContain('Replaced serial 0A11: revoked at the asset CA and on the ledger');
    expect(text).toContain('(superseded by a reissued certificate)');
    expect(text).toContain('Every node refuses it from the revoking block on');
    expect(text).not.toContain('publish-crl');
    expect(text).not.toContain('Also revoked');
  });

  it('lists siblings revoked with it, and says when the CA had revoked it already', () => {
    const text = replacedText(replaced(['0C33'], false));
    expect(text).toContain('revoked (the CA had already) and on the ledger');
    expect(text).toContain('Also revoked at the CA, same holding: 0C33.');
  });
});

describe('issuedText and issuedJson', () => {
  it('begin with what a reissue replaced, and say nothing of it on a first issue', () => {
    const reissued = issuedText(issued(replaced(['0A11'])), files);
    expect(reissued.split('\n')[0]).toBe(
      'Replaced serial 0A11: revoked at the asset CA and on the ledger (superseded by a reissued certificate); the ledger refuses it from now on.',
    );
    expect(reissued).toContain('Issued U01 the certificate of A01: serial 0B22');
    const first = issuedText(issued(), files);
    expect(first).not.toContain('Replaced');
    expect(first).not.toContain('refuses it');
  });

  it('put the replaced record in JSON, and never the key or the CRL', () => {
    const json = issuedJson(issued(replaced(['0A11'])), files);
    expect(json).toMatchObject({
      record: { serial: '0B22', status: 'ACTIVE' },
      replaced: {
        record: { serial: '0A11', status: 'REVOKED' },
        newlyRevokedAtCa: true,
        revokedSerialsAtCa: ['0A11'],
      },
    });
    expect(JSON.stringify(json)).not.toContain('PRIVATE KEY');
    expect(JSON.stringify(json)).not.toContain('X509 CRL');
    expect(issuedJson(issued(), files)).not.toHaveProperty('replaced');
  });
});

describe('issue-due progress and report', () => {
  const progress = (issued: number, blockNumber?: bigint): IssueDueProgress => ({
    issued,
    revoked: 0,
    skipped: 3,
    failed: 1,
    recovered: 0,
    eventsRead: 0,
    inFlight: 40,
    blockNumber,
    lastBlock: 1_100n,
  });

  it('shows count, rate and, from the blocks read so far, the time left', () => {
    expect(progressText(progress(500, 600n), 20, 100n)).toBe(
      '500 issued (25.0/s), 3 skipped, 1 failed, 40 in flight; block 600 of 1100, ~20 s left',
    );
    expect(progressText(progress(5_000, 200n), 600, 100n)).toBe(
      '5000 issued (8.3/s), 3 skipped, 1 failed, 40 in flight; block 200 of 1100, ~1.5 h left',
    );
    expect(progressText(progress(0), 0, undefined)).toBe(
      '0 issued (0.0/s), 3 skipped, 1 failed, 40 in flight',
    );
  });

  it('rewrites the line on a terminal and logs a line every 10 seconds elsewhere', () => {
    let clock = 0;
    const shown: string[] = [];
    const logged: string[] = [];
    const update = issueProgress(
      { show: (t) => shown.push(t), milestone: (t) => logged.push(t), done: () => undefined },
      () => clock,
    );
    for (let i = 1; i <= 30; i += 1) {
      clock = i * 1_000;
      update(progress(i * 25, BigInt(100 + i)));
    }
    expect(shown).toHaveLength(30);
    expect(logged).toHaveLength(3);
    expect(logged[0]).toMatch(/^250 issued \(25\.0\/s\)/);
  });

  it('reports the totals, the time and the rate, and lists only what it kept', () => {
    const report: IssueDueReport = {
      issued: [],
      revoked: [],
      skipped: [],
      failed: [],
      recovered: 0,
      eventsRead: 4,
      counts: { issued: 2_000, revoked: 0, skipped: 0, failed: 0, recovered: 0 },
    };
    const text = reportText({ report, written: [], seconds: 80 });
    expect(text).toBe('2000 issued, 0 skipped, 0 failed, 4 events read in 80.0 s (25.0 certificates/s).');
    expect(reportJson({ report, written: [], seconds: 80 })).toMatchObject({
      counts: report.counts,
      seconds: 80,
      issued: [],
    });
  });
});
