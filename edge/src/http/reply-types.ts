// The edge's HTTP-shaped request and reply: what adapters build from a CloudFront event or a Node request.
import type { RejectedEvent } from '../../../contract/index.ts';

export type { RejectedEvent };

/** Read access to request headers; `name` is always lower case. */
export interface HeaderReader {
  get(name: string): string | null | undefined;
}

/**
 * One HTTP request as the core sees it. The body is handed over already read (adapters enforce the
 * as-sent size cap while reading), because re-reading it through a web `Request` stream costs more
 * than parsing it (measured: see edge/README.md).
 */
export interface EdgeRequest {
  method: string;
  /** Absolute URL; only the path matters. */
  url: string;
  headers: HeaderReader;
  body: Uint8Array | undefined;
  /** True when the adapter stopped reading (or CloudFront truncated) past the as-sent limit. */
  bodyTruncated: boolean;
  /** Request id chosen by the adapter (e.g. CloudFront's); generated when absent. */
  requestId?: string;
}

/** One HTTP answer; the body is always JSON text. */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}
