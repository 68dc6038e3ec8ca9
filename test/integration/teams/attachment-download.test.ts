import { randomBytes } from 'node:crypto';
import { isActionPlanError } from '../../../src/domain/errors.js';
import {
  createAttachmentDownloader,
  mayFetch,
  type DownloadPolicy,
} from '../../../src/teams/attachment-download.js';
import { startFakeConnector, type FakeConnector } from '../../helpers/fake-connector.js';
import { forAllTests } from '../../helpers/for-all-tests.js';

/**
 * The client that fetches a file sent to the bot, against a loopback server standing in for
 * Teams' download links (the fake connector's /files route): the bytes as sent, and each way a
 * download goes wrong said plainly.
 */

const connector: FakeConnector = forAllTests(startFakeConnector, (c) => c.close());

const LOCAL: DownloadPolicy = {
  maxBytes: 1024,
  timeoutMs: 500,
  hosts: ['sharepoint.com'],
  allowLoopback: true,
};

async function failureOf(download: Promise<unknown>): Promise<string> {
  const error = await download.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isActionPlanError(error, 'invalid_input')) throw new Error(`not refused: ${String(error)}`);
  return error.message;
}

it('downloads the file byte for byte', async () => {
  const bytes = new Uint8Array(randomBytes(1000));
  const url = connector.serveFile('plan.docx', { bytes });
  const got = await createAttachmentDownloader(LOCAL)(url);
  expect(Buffer.from(got).equals(Buffer.from(bytes))).toBe(true);
});

it('refuses a file whose Content-Length is over the cap, and one that streams past it', async () => {
  const big = new Uint8Array(2048);
  const declared = connector.serveFile('big.docx', { bytes: big });
  const streamed = connector.serveFile('streamed.docx', { bytes: big, chunked: true });
  const download = createAttachmentDownloader(LOCAL);
  expect(await failureOf(download(declared))).toMatch(
    /^The file is 0\.0 MB; the largest plan file I take is 0\.0 MB/,
  );
  expect(await failureOf(download(streamed))).toMatch(/^The file is over 0\.0 MB/);
});

it('says when Teams refuses the download, and when it never finishes', async () => {
  const download = createAttachmentDownloader(LOCAL);
  const refused = connector.serveFile('gone.docx', { status: 403 });
  expect(await failureOf(download(refused))).toContain('Teams answered 403');
  const hung = connector.serveFile('slow.docx', { bytes: new Uint8Array(100), hang: true });
  const started = Date.now();
  expect(await failureOf(download(hung))).toMatch(/took longer than 1 second, so I gave up/);
  expect(Date.now() - started).toBeLessThan(5000);
});

it('fetches only https from the allowed hosts, and plain http to this machine only in a local run', () => {
  const production = { ...LOCAL, allowLoopback: false };
  const ok = (u: string, p = production) => mayFetch(new URL(u), p);
  expect(ok('https://contoso-my.sharepoint.com/personal/x/download.aspx?tempauth=1')).toBe(true);
  expect(ok('https://sharepoint.com/x')).toBe(true);
  expect(ok('http://contoso-my.sharepoint.com/x')).toBe(false);
  expect(ok('https://contoso-my.sharepoint.com.evil.example/x')).toBe(false);
  expect(ok('https://evilsharepoint.com/x')).toBe(false);
  expect(ok('https://user:pw@contoso.sharepoint.com/x')).toBe(false);
  expect(ok('https://169.254.169.254/metadata')).toBe(false);
  expect(ok('http://127.0.0.1:8080/files/x')).toBe(false);
  expect(ok('http://127.0.0.1:8080/files/x', LOCAL)).toBe(true);
  expect(ok('http://localhost/files/x', LOCAL)).toBe(true);
  expect(ok('http://10.0.0.1/files/x', LOCAL)).toBe(false);
  expect(ok('file:///etc/passwd', LOCAL)).toBe(false);
});

it('refuses an address it may not fetch, before asking anything of it, redirects included', async () => {
  connector.clear();
  const production = createAttachmentDownloader({ ...LOCAL, allowLoopback: false });
  const url = connector.serveFile('plan.docx', { bytes: new Uint8Array(10) });
  expect(await failureOf(production(url))).toMatch(
    /^I only fetch files from where Teams keeps them/,
  );
  expect(await failureOf(production('not a url'))).toMatch(/^I only fetch files/);
  expect(connector.fileDownloads).toEqual([]);

  const elsewhere = connector.serveFile('moved.docx', { redirectTo: 'https://example.org/x' });
  expect(await failureOf(createAttachmentDownloader(LOCAL)(elsewhere))).toMatch(
    /^I only fetch files/,
  );
  const hop = connector.serveFile('hop.docx', { redirectTo: url });
  const got = await createAttachmentDownloader(LOCAL)(hop);
  expect(got).toHaveLength(10);
});
