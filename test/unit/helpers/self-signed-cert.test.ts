import { X509Certificate } from 'node:crypto';
import { selfSignedCert } from '../../helpers/self-signed-cert';

describe('the self-signed certificate the https tests use', () => {
  // Random serials start with a zero byte now and then; each of these once made a certificate
  // OpenSSL refused ("illegal padding"), failing whichever test drew it.
  it.each([
    ['all zero', [0, 0, 0, 0, 0, 0, 0, 0]],
    ['a zero byte, then one below 0x80', [0x00, 0x05, 1, 2, 3, 4, 5, 6]],
    ['all ones', [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]],
  ])('reads back with a serial drawn %s', (_, bytes) => {
    const cert = selfSignedCert('localhost', 2, () => Buffer.from(bytes));
    const x509 = new X509Certificate(cert.cert);
    expect(x509.subject).toBe('CN=localhost');
    expect(x509.checkIP('127.0.0.1')).toBe('127.0.0.1');
    const first = parseInt(x509.serialNumber.slice(0, 2), 16);
    expect(first).toBeGreaterThanOrEqual(0x01);
    expect(first).toBeLessThanOrEqual(0x7f);
  });
});
