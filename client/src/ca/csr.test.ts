import { createPrivateKey } from 'node:crypto';
import { createKeyAndCsr } from './csr';
import { x509 } from './x509';

describe('createKeyAndCsr', () => {
  it('makes a P-256 key and a CSR for it with the enrollment ID as CN', async () => {
    const made = await createKeyAndCsr('holder-1');
    const csr = new x509.Pkcs10CertificateRequest(made.csrPem);
    expect(csr.subjectName.getField('CN')).toEqual(['holder-1']);
    expect(await csr.verify()).toBe(true);
    expect(createPrivateKey(made.privateKeyPem).asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
  });

  // The attack fabric-ca-client's own key generation falls to in Node
  // (jsrsasign 10 seeds from Math.random() and the clock): whoever can
  // predict both must still not get the holder's key.
  it('draws no key from Math.random() or the clock', async () => {
    const random = jest.spyOn(Math, 'random').mockReturnValue(0.5);
    const now = jest.spyOn(Date, 'now').mockReturnValue(1_700_000_000_000);
    try {
      const first = await createKeyAndCsr('holder-1');
      const second = await createKeyAndCsr('holder-1');
      expect(first.privateKeyPem).not.toBe(second.privateKeyPem);
      expect(random).not.toHaveBeenCalled();
    } finally {
      random.mockRestore();
      now.mockRestore();
    }
  });
});
