// @peculiar/x509 makes the PKCS#10 request and reads certificates, their
// extensions and CRLs: node:crypto can do neither (no CSR, no arbitrary
// extensions). It is small, typed, maintained, and runs on WebCrypto, which
// Node ships. It resolves its algorithms through tsyringe, which needs the
// Reflect metadata API, so the polyfill must load first.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto);

export { x509 };
