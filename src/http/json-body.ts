import type { IncomingMessage } from 'node:http';
import getRawBody from 'raw-body';

/**
 * Reading the body of a POST to the messaging endpoint, before anything else looks at it.
 *
 * Teams (through the Bot Connector) and the Agents Playground send one small JSON activity per
 * request, so that is all the endpoint accepts, and it is refused as early and as cheaply as
 * possible otherwise:
 *
 * - only `application/json` (in UTF-8): any other type is 415 before a byte of the body is read,
 *   so nothing is ever parsed as a form or as multipart, and nothing is written to disk;
 * - no `Content-Encoding` but identity: a compressed body is 415 rather than inflated (a small
 *   gzip can inflate to gigabytes, and no Bot Framework channel compresses its requests);
 * - at most `maxBytes`: a `Content-Length` over it is 413 before reading, and a body sent without
 *   one (chunked) is counted as it arrives and refused with 413 the moment it passes the limit;
 * - within `timeoutMs` from the first byte read: a body that trickles in is 408, so a slow sender
 *   cannot hold a connection and a buffer open.
 *
 * raw-body does the counting (with and without a length, and a length the body does not match);
 * this adds the checks on the headers, the timeout and the JSON parsing.
 */
export interface JsonBodyLimits {
  readonly maxBytes: number;
  readonly timeoutMs: number;
}

export type JsonBody =
  | { readonly ok: true; readonly body: unknown }
  | {
      readonly ok: false;
      readonly status: 400 | 408 | 413 | 415;
      readonly message: string;
      /**
       * Whether the body was left unread (refused on its headers, or part-way): the connection
       * must then be closed after the answer, as what is left of it cannot be told from the next
       * request.
       */
      readonly unread: boolean;
    };

export const NOT_JSON_TYPE =
  'The messaging endpoint accepts only application/json (a Bot Framework activity in UTF-8).';
export const COMPRESSED =
  'The messaging endpoint does not accept compressed bodies: send the activity as plain JSON.';
export const TIMED_OUT = 'The request body took too long to arrive.';
export const NOT_JSON = 'The request body is not valid JSON.';

export const tooLarge = (maxBytes: number): string =>
  `The request body is larger than ${maxBytes.toLocaleString('en-GB')} bytes, far more than any Bot Framework activity.`;

/** Reads and parses the JSON body of `request`, or says why it was refused. Never rejects. */
export async function readJsonBody(
  request: IncomingMessage,
  limits: JsonBodyLimits,
): Promise<JsonBody> {
  const refused = (status: 400 | 408 | 413 | 415, message: string, unread = true): JsonBody => ({
    ok: false,
    status,
    message,
    unread,
  });

  const encoding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== '') return refused(415, COMPRESSED);
  if (!isJsonUtf8(request.headers['content-type'])) return refused(415, NOT_JSON_TYPE);

  const lengthHeader = request.headers['content-length'];
  const length = lengthHeader === undefined ? undefined : Number(lengthHeader);
  if (length !== undefined && !(Number.isSafeInteger(length) && length >= 0)) {
    return refused(400, 'The Content-Length header is not a number of bytes.');
  }
  if (length !== undefined && length > limits.maxBytes) {
    return refused(413, tooLarge(limits.maxBytes));
  }

  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<JsonBody>((resolve) => {
    timer = setTimeout(() => resolve(refused(408, TIMED_OUT)), limits.timeoutMs);
  });
  const read = getRawBody(request, {
    limit: limits.maxBytes,
    ...(length === undefined ? {} : { length }),
    encoding: 'utf-8',
  }).then(
    (text): JsonBody => parse(text),
    (error: unknown): JsonBody => {
      const type = (error as { type?: unknown }).type;
      if (type === 'entity.too.large') return refused(413, tooLarge(limits.maxBytes));
      if (type === 'request.size.invalid') {
        return refused(400, 'The request body is not as long as its Content-Length says.');
      }
      return refused(400, 'The request body could not be read.');
    },
  );
  try {
    return await Promise.race([read, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

function parse(text: string): JsonBody {
  if (text.trim() === '') return { ok: true, body: undefined };
  try {
    return { ok: true, body: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, status: 400, message: NOT_JSON, unread: false };
  }
}

/** `application/json`, with no charset or UTF-8 (RFC 8259: JSON between systems is UTF-8). */
function isJsonUtf8(header: string | undefined): boolean {
  if (!header) return false;
  const [type, ...parameters] = header.split(';').map((part) => part.trim().toLowerCase());
  if (type !== 'application/json') return false;
  return parameters.every((p) => {
    const [name, value] = p.split('=').map((s) => s.trim().replace(/^"|"$/g, ''));
    return name !== 'charset' || value === 'utf-8' || value === 'utf8';
  });
}
