import { AppError } from '@solar/common';

export class UpstreamTimeout extends AppError {
  readonly status = 504;
  readonly code = 'UPSTREAM_TIMEOUT';
  constructor() {
    super('The workspace did not answer in time');
  }
}

export class UpstreamUnavailable extends AppError {
  readonly status = 502;
  readonly code = 'UPSTREAM_UNAVAILABLE';
  constructor() {
    super('The workspace could not be reached');
  }
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/** Any failure to get an answer from the runtime: timeouts become 504, everything else 502. */
export function toUpstreamError(err: unknown): AppError {
  const code = (err as { code?: string }).code;
  return code && TIMEOUT_CODES.has(code) ? new UpstreamTimeout() : new UpstreamUnavailable();
}
