import { AsyncLocalStorage } from 'node:async_hooks';
import type { RateLimiter } from './rate-limiter.js';

/**
 * The HTTP client under the Bot Framework connector for proactive sends: every request Teams
 * receives from the notifier, the SDK's own retries included, goes through here. That is where the
 * rate limits can really be kept (a retry is a request too) and where every answer can be counted
 * (the SDK waits out a 429's Retry-After and retries 5xx by itself, and would otherwise hide them).
 *
 * It implements the small part of `@azure/core-http`'s HttpClient that botbuilder's
 * ServiceClientContext calls (`sendRequest(WebResourceLike) → HttpOperationResponse`), over
 * Node's fetch, with a time limit on each request. Which send a request belongs to is carried in
 * an AsyncLocalStorage set by the notifier, so concurrent sends never mix their counts.
 */

/** What the notifier knows about the send under way, and what this client learns of it. */
export interface SendTrace {
  readonly tenant: string;
  readonly conversation: string;
  attempts: number;
  throttled: number;
  lastStatus?: number;
  /** The last Retry-After Teams gave, in ms. */
  retryAfterMs?: number;
}

export const sendTraces = new AsyncLocalStorage<SendTrace>();

/** The request as botbuilder hands it over (a WebResourceLike). */
interface OutgoingRequest {
  readonly url: string;
  readonly method: string;
  readonly body?: unknown;
  readonly headers: { toJson(options?: { preserveCase?: boolean }): Record<string, string> };
  readonly abortSignal?: AbortSignal;
}

/** What it expects back (an HttpOperationResponse). */
interface IncomingResponse {
  readonly request: OutgoingRequest;
  readonly status: number;
  readonly headers: ResponseHeaders;
  readonly bodyAsText: string;
}

export interface ConnectorHttpClient {
  sendRequest(request: OutgoingRequest): Promise<IncomingResponse>;
}

export interface ConnectorHttpClientOptions {
  readonly limiter: RateLimiter;
  /** Give up on one request after this long (Teams answers in well under a second). */
  readonly requestTimeoutMs: number;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
}

export function connectorHttpClient(options: ConnectorHttpClientOptions): ConnectorHttpClient {
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  return {
    async sendRequest(request) {
      const trace = sendTraces.getStore();
      if (trace) await options.limiter.acquire(trace.tenant, trace.conversation);
      const timeout = AbortSignal.timeout(options.requestTimeoutMs);
      const signal = request.abortSignal
        ? AbortSignal.any([request.abortSignal, timeout])
        : timeout;
      const response = await doFetch(request.url, {
        method: request.method,
        headers: request.headers.toJson({ preserveCase: true }),
        ...(request.body === undefined || request.body === null
          ? {}
          : {
              body: typeof request.body === 'string' ? request.body : JSON.stringify(request.body),
            }),
        signal,
      });
      const bodyAsText = await response.text();
      const headers = new ResponseHeaders();
      response.headers.forEach((value, name) => headers.set(name, value));
      if (trace) {
        trace.attempts++;
        trace.lastStatus = response.status;
        const retryAfter = retryAfterMs(headers.get('retry-after'), now());
        if (retryAfter !== undefined) trace.retryAfterMs = retryAfter;
        if (response.status === 429) {
          trace.throttled++;
          options.limiter.pause(trace.tenant, now() + (retryAfter ?? 1000));
        }
      }
      return { request, status: response.status, headers, bodyAsText };
    },
  };
}

/** Retry-After as seconds ("2") or an HTTP date, in ms from now. */
export function retryAfterMs(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The HttpHeadersLike that botbuilder reads a response's headers from. */
class ResponseHeaders {
  private readonly map = new Map<string, { name: string; value: string }>();

  set(name: string, value: string | number): void {
    this.map.set(name.toLowerCase(), { name, value: String(value) });
  }
  get(name: string): string | undefined {
    return this.map.get(name.toLowerCase())?.value;
  }
  contains(name: string): boolean {
    return this.map.has(name.toLowerCase());
  }
  remove(name: string): boolean {
    return this.map.delete(name.toLowerCase());
  }
  rawHeaders(): Record<string, string> {
    return Object.fromEntries([...this.map].map(([k, v]) => [k, v.value]));
  }
  headersArray(): { name: string; value: string }[] {
    return [...this.map.values()];
  }
  headerNames(): string[] {
    return [...this.map.values()].map((h) => h.name);
  }
  headerValues(): string[] {
    return [...this.map.values()].map((h) => h.value);
  }
  clone(): ResponseHeaders {
    const copy = new ResponseHeaders();
    for (const h of this.map.values()) copy.set(h.name, h.value);
    return copy;
  }
  toJson(options?: { preserveCase?: boolean }): Record<string, string> {
    return options?.preserveCase
      ? Object.fromEntries([...this.map.values()].map((h) => [h.name, h.value]))
      : this.rawHeaders();
  }
}
