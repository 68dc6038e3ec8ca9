import { request } from 'node:http';

/** What a raw POST got back: the status and body, or how the connection failed. */
export type RawAnswer =
  | { readonly status: number; readonly body: string; readonly connection?: string }
  | { readonly status: 'no answer'; readonly error: string };

export interface RawPostOptions {
  readonly headers?: Record<string, string | number>;
  /** The body, written in these pieces; without a content-length header it goes chunked. */
  readonly chunks?: readonly (string | Buffer)[];
  /** A pause before each piece after the first (a slow sender). */
  readonly pauseMs?: number;
}

/**
 * A POST over plain node:http, with control that fetch does not give: a body sent chunked or
 * slowly, a content-length that lies, any content type or encoding. Resolves with the answer as
 * soon as the server gives one, even while the body is still being sent, and with 'no answer'
 * when the server closes the connection without one.
 */
export function rawPost(url: string, options: RawPostOptions = {}): Promise<RawAnswer> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (answer: RawAnswer) => {
      if (settled) return;
      settled = true;
      resolve(answer);
    };
    const req = request(url, { method: 'POST', headers: options.headers ?? {} }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () =>
        settle({
          status: res.statusCode ?? 0,
          body: Buffer.concat(parts).toString('utf8'),
          ...(res.headers.connection ? { connection: res.headers.connection } : {}),
        }),
      );
      res.on('error', (error) => settle({ status: 'no answer', error: error.message }));
    });
    req.on('error', (error) => settle({ status: 'no answer', error: error.message }));
    const chunks = options.chunks ?? [];
    void (async () => {
      for (const [i, chunk] of chunks.entries()) {
        if (settled || req.destroyed) return;
        if (i > 0 && options.pauseMs) await new Promise((r) => setTimeout(r, options.pauseMs));
        if (settled || req.destroyed) return;
        const flushed = req.write(chunk);
        if (!flushed) {
          await new Promise<void>((done) => {
            const go = () => {
              req.off('drain', go).off('close', go);
              done();
            };
            req.on('drain', go).on('close', go);
          });
        }
      }
      if (!req.destroyed) req.end();
    })();
  });
}
