import { gzipSync } from 'node:zlib';
import { MAX_BODY_BYTES } from '../../../src/server.js';
import { aMessage, SAM, startBotDriver, type BotDriver } from '../../helpers/bot-driver.js';
import { rawPost, type RawAnswer } from '../../helpers/raw-post.js';
import { watchTempUploads } from '../../helpers/temp-uploads.js';

/**
 * What the messaging endpoint does with bodies that are not one small JSON activity: refused on
 * their headers where it can be (415 for another type or a compressed body, 413 for a stated
 * length over the limit), counted as they arrive where it cannot (413 for a chunked body over the
 * limit, 408 for one that trickles in), and never written to disk: no upload file appears in the
 * temp folder.
 */

const BODY_TIMEOUT_MS = 400;

describe('request bodies on /api/messages', () => {
  let bot: BotDriver;
  let endpoint: string;
  const uploads = watchTempUploads();

  beforeAll(async () => {
    bot = await startBotDriver({ members: [SAM], bodyTimeoutMs: BODY_TIMEOUT_MS });
    endpoint = `${bot.url}/api/messages`;
  });
  afterAll(async () => {
    await bot.close();
  });
  beforeEach(() => {
    bot.connector.clear();
  });
  afterEach(() => {
    // Whatever a test sent, nothing of it is on disk.
    expect(uploads.created()).toEqual([]);
  });

  const activity = () =>
    JSON.stringify({ ...aMessage({ from: SAM, text: 'help' }), serviceUrl: bot.connector.url });
  const statusOf = (answer: RawAnswer) => answer.status;

  it('refuses a 3 MB multipart upload with 415, before reading it, and writes no file', async () => {
    const boundary = 'x-boundary';
    const part = `--${boundary}\r\nContent-Disposition: form-data; name="f"; filename="a.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`;
    const file = Buffer.alloc(3 * 1024 * 1024, 0x61);
    const end = `\r\n--${boundary}--\r\n`;
    const answer = await rawPost(endpoint, {
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': Buffer.byteLength(part) + file.length + Buffer.byteLength(end),
      },
      chunks: [part, file, end],
    });
    expect(answer).toMatchObject({ status: 415, connection: 'close' });
    expect(JSON.parse((answer as { body: string }).body)).toEqual({
      error:
        'The messaging endpoint accepts only application/json (a Bot Framework activity in UTF-8).',
    });
  });

  it.each([
    ['application/octet-stream', 'application/octet-stream'],
    ['text/plain', 'text/plain'],
    ['a form', 'application/x-www-form-urlencoded'],
    ['JSON in Latin-1', 'application/json; charset=iso-8859-1'],
    ['JSON-like but not JSON', 'application/jsonx'],
  ])('refuses %s with 415', async (_, type) => {
    const answer = await rawPost(endpoint, {
      headers: { 'content-type': type },
      chunks: [activity()],
    });
    expect(statusOf(answer)).toBe(415);
    expect(bot.connector.requests).toEqual([]);
  });

  it('refuses a body with no content type with 415', async () => {
    expect(statusOf(await rawPost(endpoint, { chunks: [activity()] }))).toBe(415);
  });

  it.each(['gzip', 'deflate', 'br', 'GZIP'])(
    'refuses a body compressed with %s with 415, without inflating it',
    async (encoding) => {
      const answer = await rawPost(endpoint, {
        headers: { 'content-type': 'application/json', 'content-encoding': encoding },
        // 10 MB of JSON in about 10 KB: inflating it would pass the limit many times over.
        chunks: [gzipSync(`{"type":"message","text":"${'a'.repeat(10 * 1024 * 1024)}"}`)],
      });
      expect(answer).toMatchObject({ status: 415 });
      expect((answer as { body: string }).body).toContain('does not accept compressed bodies');
    },
  );

  it('refuses a stated length over the limit with 413 before reading the body', async () => {
    const answer = await rawPost(endpoint, {
      headers: { 'content-type': 'application/json', 'content-length': MAX_BODY_BYTES + 1 },
      // Only the first piece is ever sent: the answer comes on the headers alone.
      chunks: ['{"type":"message",', ...Array<string>(50).fill(' '.repeat(64 * 1024))],
      pauseMs: 50,
    });
    expect(answer).toMatchObject({ status: 413, connection: 'close' });
  });

  it('counts a chunked body as it arrives and refuses it with 413 once past the limit', async () => {
    const piece = ' '.repeat(256 * 1024);
    const answer = await rawPost(endpoint, {
      headers: { 'content-type': 'application/json' },
      // 5 MB in pieces, with no content-length: far past the limit if it were all read.
      chunks: ['{"type":"message","text":"', ...Array<string>(20).fill(piece), '"}'],
    });
    expect(answer).toMatchObject({ status: 413, connection: 'close' });
  });

  it('answers a chunked body within the limit as usual', async () => {
    const body = activity();
    const answer = await rawPost(endpoint, {
      headers: { 'content-type': 'application/json; charset=utf-8' },
      chunks: [body.slice(0, 10), body.slice(10)],
    });
    expect(statusOf(answer)).toBe(200);
  });

  it('refuses a body whose content-length is more than it sends with 408, once it stops', async () => {
    const body = activity();
    const answer = await rawPost(endpoint, {
      headers: { 'content-type': 'application/json', 'content-length': body.length + 100 },
      chunks: [body, ...Array<string>(40).fill(' ')],
      pauseMs: 100,
    });
    expect(answer).toMatchObject({ status: 408, connection: 'close' });
  });

  it('refuses a body that trickles in with 408', async () => {
    const body = activity();
    const answer = await rawPost(endpoint, {
      headers: { 'content-type': 'application/json' },
      chunks: body.match(/.{1,40}/g)!,
      pauseMs: 100,
    });
    expect(answer).toMatchObject({ status: 408, connection: 'close' });
    expect(bot.connector.requests).toEqual([]);
  });

  it('still answers afterwards', async () => {
    expect((await bot.send(aMessage({ from: SAM, text: 'help' }))).status).toBe(200);
  });
});
