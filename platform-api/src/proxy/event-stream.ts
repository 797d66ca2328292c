import { PassThrough, type Readable } from 'node:stream';

/** `text/event-stream` answers (GraphQL subscriptions over SSE) are relayed, never buffered or cached. */
export const isEventStream = (contentType: string | string[] | undefined): boolean =>
  typeof contentType === 'string' && /^text\/event-stream\b/i.test(contentType);

/** A comment line: ignored by EventSource, keeps idle connections (and proxies in between) open. */
const PING = Buffer.from(': ping\n\n');

export interface EventStreamOptions {
  /** a ping after this long without data, and the caller's access re-checked */
  heartbeatMs: number;
  /** the stream ends after this long; the client reconnects and is authenticated afresh */
  maxDurationMs: number;
  /** false: the caller's session or key is gone, so the stream ends */
  stillAllowed: () => Promise<boolean>;
  /** called once when the relay ends for any reason (stops the upstream request) */
  onEnd: (reason: 'upstream-ended' | 'max-duration' | 'access-ended' | 'client-left' | 'error') => void;
}

/**
 * Relays the runtime's event stream to the client chunk by chunk. Every `heartbeatMs` it re-checks the
 * caller's access (ending the stream when the session was revoked or expired) and, if the runtime sent
 * nothing meanwhile, writes a `: ping` comment — only at a line boundary, so it never splits an event.
 * After `maxDurationMs` the stream ends; EventSource clients reconnect by themselves.
 */
export function relayEventStream(upstream: Readable, options: EventStreamOptions): Readable {
  const out = new PassThrough();
  let sentSinceTick = false;
  let atLineBoundary = true;
  let ended = false;

  const end = (reason: Parameters<EventStreamOptions['onEnd']>[0]) => {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    clearTimeout(deadline);
    upstream.off('data', onData);
    out.end();
    options.onEnd(reason);
  };
  const onData = (chunk: Buffer) => {
    sentSinceTick = true;
    atLineBoundary = chunk.length > 0 ? chunk[chunk.length - 1] === 0x0a : atLineBoundary;
    if (!out.write(chunk)) upstream.pause();
  };
  upstream.on('data', onData);
  out.on('drain', () => upstream.resume());
  upstream.once('end', () => end('upstream-ended'));
  upstream.on('error', () => end(ended ? 'client-left' : 'error'));
  out.once('close', () => end('client-left'));

  const heartbeat = setInterval(() => {
    const idle = !sentSinceTick;
    sentSinceTick = false;
    options.stillAllowed().then(
      (allowed) => {
        if (!allowed) end('access-ended');
        else if (idle && atLineBoundary && !ended) out.write(PING);
      },
      // the platform DB is unreachable: keep serving; the next tick asks again
      () => {
        if (idle && atLineBoundary && !ended) out.write(PING);
      },
    );
  }, options.heartbeatMs);
  const deadline = setTimeout(() => end('max-duration'), options.maxDurationMs);
  return out;
}
