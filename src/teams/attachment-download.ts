import { ActionPlanError } from '../domain/errors.js';
import { megabytes } from '../domain/file-size.js';
import type { DownloadFile } from '../ports/file-download.js';

/**
 * The client that fetches a file sent to the bot in a personal chat. Teams puts the file in the
 * sender's OneDrive for Business and hands the bot a `downloadUrl`: a pre-authorised link, valid
 * for a few minutes, fetched with a plain GET (no token of the bot's goes with it).
 *
 * The address comes inside an activity, so it is treated as untrusted:
 * - https only, to a host on the allow-list (`FILE_DOWNLOAD_HOSTS`, by default SharePoint, where
 *   OneDrive for Business lives): the bot never becomes a way to reach other addresses (SSRF).
 *   Plain http to this machine (127.0.0.1, localhost, [::1]) is allowed only when the bot runs
 *   without an app id — a local run, where nothing is authenticated and the bot listens on
 *   127.0.0.1 alone — so the loopback stand-ins of tests and demos work and production never.
 * - redirects are followed by hand, at most three, each address checked like the first;
 * - at most `maxBytes`: a Content-Length over it is refused before reading, and the body is
 *   counted as it arrives and dropped the moment it passes the cap;
 * - within `timeoutMs` for the whole download, headers and body.
 */
export interface DownloadPolicy {
  readonly maxBytes: number;
  readonly timeoutMs: number;
  /** Host names a file may come from; each also allows its subdomains ("sharepoint.com"). */
  readonly hosts: readonly string[];
  /** Also plain http to this machine: local runs without an app id, and their tests. */
  readonly allowLoopback: boolean;
}

const MAX_REDIRECTS = 3;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

const refused = (): ActionPlanError =>
  new ActionPlanError(
    'invalid_input',
    "I only fetch files from where Teams keeps them (OneDrive and SharePoint), and this link points somewhere else, so I haven't opened it.",
  );

const failed = (why: string): ActionPlanError =>
  new ActionPlanError(
    'invalid_input',
    `I couldn't download the file from Teams (${why}), so nothing has been imported. Send it to me again: the link Teams gives me lasts only a few minutes.`,
  );

/** Whether `url` may be fetched under `policy`. */
export function mayFetch(url: URL, policy: DownloadPolicy): boolean {
  if (url.username || url.password) return false;
  const host = url.hostname.toLowerCase();
  if (url.protocol === 'http:' || url.protocol === 'https:') {
    if (policy.allowLoopback && LOOPBACK.has(host)) return true;
  }
  if (url.protocol !== 'https:') return false;
  return policy.hosts.some((allowed) => {
    const a = allowed.toLowerCase().replace(/^\*?\./, '');
    return host === a || host.endsWith(`.${a}`);
  });
}

/** A DownloadFile that keeps to `policy` (`fetchFile` is the global fetch unless given). */
export function createAttachmentDownloader(
  policy: DownloadPolicy,
  fetchFile: typeof fetch = fetch,
): DownloadFile {
  const tooBig = (size: number, atLeast: boolean): ActionPlanError =>
    new ActionPlanError(
      'invalid_input',
      `The file is ${atLeast ? 'over ' : ''}${megabytes(size)}; the largest plan file I take is ${megabytes(policy.maxBytes)}, so I haven't read it. Is this the right file?`,
    );

  return async (address) => {
    const signal = AbortSignal.timeout(policy.timeoutMs);
    try {
      let url = parse(address);
      for (let hop = 0; ; hop++) {
        if (!mayFetch(url, policy)) throw refused();
        const res = await fetchFile(url, { redirect: 'manual', signal });
        if (REDIRECTS.has(res.status)) {
          await res.body?.cancel();
          const next = res.headers.get('location');
          if (!next || hop >= MAX_REDIRECTS) throw failed('it sent me round in circles');
          url = parse(next, url);
          continue;
        }
        if (!res.ok) {
          await res.body?.cancel();
          throw failed(`Teams answered ${res.status}`);
        }
        const declared = Number(res.headers.get('content-length') ?? NaN);
        if (Number.isFinite(declared) && declared > policy.maxBytes) {
          await res.body?.cancel();
          throw tooBig(declared, false);
        }
        return await readCapped(res, policy.maxBytes, (n) => tooBig(n, true));
      }
    } catch (error) {
      if (error instanceof ActionPlanError) throw error;
      if (signal.aborted) {
        const seconds = Math.max(1, Math.round(policy.timeoutMs / 1000));
        throw new ActionPlanError(
          'invalid_input',
          `Downloading the file took longer than ${seconds} second${seconds === 1 ? '' : 's'}, so I gave up and nothing has been imported. Send it to me again, or ask the KIM team to import it with the command line.`,
        );
      }
      throw failed('the connection failed');
    }
  };
}

function parse(address: string, base?: URL): URL {
  try {
    return new URL(address, base);
  } catch {
    throw refused();
  }
}

/** The body, counted as it arrives; cancelled the moment it passes `max`. */
async function readCapped(
  res: Response,
  max: number,
  tooBig: (n: number) => ActionPlanError,
): Promise<Uint8Array> {
  if (!res.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > max) {
      await reader.cancel();
      throw tooBig(max);
    }
    chunks.push(value);
  }
  return new Uint8Array(Buffer.concat(chunks));
}
