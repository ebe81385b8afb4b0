import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { isLowS } from './ecdsa';
import { authToken, tokenPayload } from './token';

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const certPem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const request = {
  method: 'POST',
  uri: '/api/v1/register?ca=assetca',
  body: '{"id":"holder.A-1.U-1"}',
  certPem,
};

function b64(text: string): string {
  return Buffer.from(text).toString('base64');
}

describe('Fabric CA token', () => {
  it('signs METHOD.b64(uri).b64(body).b64(cert)', () => {
    expect(tokenPayload(request)).toBe(
      `POST.${b64('/api/v1/register?ca=assetca')}.${b64('{"id":"holder.A-1.U-1"}')}.${b64(certPem)}`,
    );
    expect(tokenPayload({ ...request, method: 'GET', body: '' })).toMatch(/^GET\.[^.]+\.\.[^.]+$/);
  });

  it('is b64(cert) "." b64(low-S DER signature over SHA-256 of the payload)', () => {
    const parts = authToken(request, privateKey).split('.');
    expect(parts).toHaveLength(2);
    const [cert = '', signature = ''] = parts;
    expect(Buffer.from(cert, 'base64').toString()).toBe(certPem);
    const der = Buffer.from(signature, 'base64');
    expect(der[0]).toBe(0x30);
    expect(isLowS(der)).toBe(true);
    const publicKey = createPublicKey(privateKey);
    expect(
      verify('sha256', Buffer.from(tokenPayload(request)), { key: publicKey, dsaEncoding: 'der' }, der),
    ).toBe(true);
  });

  it('covers the URI: a token for one path does not verify for another', () => {
    const [, signature = ''] = authToken(request, privateKey).split('.');
    const other = tokenPayload({ ...request, uri: '/api/v1/revoke?ca=assetca' });
    const publicKey = createPublicKey(privateKey);
    expect(
      verify(
        'sha256',
        Buffer.from(other),
        { key: publicKey, dsaEncoding: 'der' },
        Buffer.from(signature, 'base64'),
      ),
    ).toBe(false);
  });
});
