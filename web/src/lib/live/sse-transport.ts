import type { ExecutionResult, SubscriptionForwarder } from '@urql/core';
import { reportSessionEnded } from '$lib/auth/session-ended.svelte';
import { eventStreamParser } from './event-stream.js';

/** Waits between reconnects: the stream ends by design (platform-api re-authenticates at intervals). */
const RECONNECT_MS = [500, 2_000, 5_000, 15_000];

/**
 * urql's subscriptionExchange transport: GraphQL over Server-Sent Events (distinct-connection mode), a POST to
 * same-origin /graphql with `Accept: text/event-stream`, read with fetch so the session cookie goes along.
 * Each `next` event is one result; when the stream ends (server deadline, network) it reconnects, until the
 * screen unsubscribes or the server says `complete`.
 */
export const forwardOverSse: SubscriptionForwarder = (request) => ({
  subscribe(sink) {
    const controller = new AbortController();
    let attempt = 0;
    let stopped = false;

    const run = async () => {
      while (!stopped) {
        let completed = false;
        try {
          const response = await fetch('/graphql', {
            method: 'POST',
            credentials: 'same-origin',
            headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
            body: JSON.stringify(request),
            signal: controller.signal,
          });
          if (response.status === 401) {
            // the session ended: say so, as every other call does, and stop following
            reportSessionEnded();
            return;
          }
          if (!response.ok || !response.body) throw new Error(`subscription refused (${response.status})`);
          attempt = 0;
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          const feed = eventStreamParser();
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            for (const e of feed(value)) {
              if (e.event === 'next' && e.data) sink.next(JSON.parse(e.data) as ExecutionResult);
              else if (e.event === 'complete') completed = true;
            }
          }
        } catch (err) {
          if (stopped) return;
          if (!(err instanceof Error) || err.name !== 'AbortError') console.warn('live updates paused', err);
        }
        if (completed || stopped) break;
        const wait = RECONNECT_MS[Math.min(attempt++, RECONNECT_MS.length - 1)]!;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
      if (!stopped) sink.complete();
    };
    void run();
    return {
      unsubscribe() {
        stopped = true;
        controller.abort();
      },
    };
  },
});
