import { createSign, generateKeyPairSync, randomBytes } from 'node:crypto';

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made with node:crypto alone (no openssl
 * on the test machine needed): for https servers in tests (Azurite with OAuth, a fake Application
 * Insights ingestion endpoint). A client trusts it through `ca` or NODE_EXTRA_CA_CERTS.
 */
export interface SelfSignedCert {
  /** PEM certificate. */
  readonly cert: string;
  /** PEM private key (PKCS#8). */
  readonly key: string;
}

export function selfSignedCert(
  commonName = 'localhost',
  validForDays = 2,
  random: (size: number) => Buffer = randomBytes,
): SelfSignedCert {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const sha256WithRsa = seq(oid('1.2.840.113549.1.1.11'), tlv(0x05, Buffer.alloc(0)));
  const name = seq(set(seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from(commonName, 'utf8')))));
  const now = Date.now();
  const validity = seq(
    utcTime(new Date(now - 60_000)),
    utcTime(new Date(now + validForDays * 86_400_000)),
  );
  const subjectAltName = seq(
    tlv(0x87, Buffer.from([127, 0, 0, 1])), // iPAddress
    tlv(0x82, Buffer.from('localhost', 'ascii')), // dNSName
  );
  const extensions = tlv(
    0xa3,
    seq(
      seq(
        oid('2.5.29.19'),
        tlv(0x01, Buffer.from([0xff])),
        octets(seq(tlv(0x01, Buffer.from([0xff])))),
      ), // basicConstraints: CA, critical
      seq(oid('2.5.29.17'), octets(subjectAltName)),
    ),
  );
  const serial = random(8);
  // A positive INTEGER in DER's shortest form: a first byte of 0x00 followed by one below 0x80
  // is padding, which OpenSSL refuses ("illegal padding"), so the first byte is 0x01 to 0x7f.
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  const tbs = seq(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))), // version 3
    tlv(0x02, serial),
    sha256WithRsa,
    name,
    validity,
    name,
    spki,
    extensions,
  );
  const signature = createSign('sha256').update(tbs).sign(privateKey);
  const der = seq(tbs, sha256WithRsa, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  return {
    cert: pem('CERTIFICATE', der),
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/* A little DER: tag, length, value. */
function tlv(tag: number, value: Buffer): Buffer {
  const n = value.length;
  const length =
    n < 0x80
      ? Buffer.from([n])
      : n < 0x100
        ? Buffer.from([0x81, n])
        : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, value]);
}
const seq = (...parts: Buffer[]): Buffer => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]): Buffer => tlv(0x31, Buffer.concat(parts));
const octets = (value: Buffer): Buffer => tlv(0x04, value);

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const bytes = [a! * 40 + b!];
  for (const n of rest) {
    const base128 = [n & 0x7f];
    for (let v = n >> 7; v > 0; v >>= 7) base128.unshift((v & 0x7f) | 0x80);
    bytes.push(...base128);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function utcTime(d: Date): Buffer {
  const text = d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z'; // YYMMDDHHMMSSZ
  return tlv(0x17, Buffer.from(text, 'ascii'));
}

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
