import { AppError } from '@solar/common';
import { Repeater } from 'graphql-yoga';
import type { RequestContext } from '../context.js';
import type { ChangeFeed } from './change-feed.js';
import { changeKindOf, latestEvent, type ChangeKind, type RecordSource } from './record-source.js';
import { viewerContext, type ViewerContextDeps } from './viewer-context.js';

/** One change as a subscriber sees it. `record` is null (and actor unknown) when it left their view. */
export interface RecordChange {
  type: string;
  id: string;
  kind: ChangeKind;
  /** the domain event behind the change (lead.assigned…); null when removed */
  event: string | null;
  changedAt: Date;
  actorId: string | null;
  record: object | null;
}

/** Ids a long subscription remembers as shown; the oldest are forgotten beyond this (Sets keep order). */
const MAX_REMEMBERED = 10_000;

function remember(shown: Set<string>, id: string): void {
  shown.delete(id);
  shown.add(id);
  if (shown.size > MAX_REMEMBERED) shown.delete(shown.values().next().value!);
}

/** A change with the request context it was read under; nested resolvers must use that context. */
export interface ChangeEvent {
  rc: RequestContext;
  change: RecordChange;
}

export interface RecordChangesDeps extends ViewerContextDeps {
  feed: ChangeFeed;
  /** bursts of changes within this window are read and sent once (default 50 ms) */
  coalesceMs?: number;
}

export interface WatchOptions {
  source: RecordSource;
  /** one record (recordChanged); otherwise every record of the type (recordsChanged) */
  id?: string;
  /** ids the client already shows; those visible now are reported as REMOVED should they leave view */
  showing?: readonly string[];
}

/**
 * The changes `rc`'s viewer may see, as an async iterator that ends when the client goes away (returning
 * it releases the feed listener, and with the last listener the Redis channel).
 *
 * For every burst the viewer's context is rebuilt (tenant state and permissions re-read) and each changed
 * record re-read through its module's service under the viewer's row scope. A visible record is sent; a
 * record that is not visible is sent as REMOVED only if this subscription already knew it as visible (it
 * sent it, or it was visible when the subscription started); otherwise nothing is sent, so a viewer never
 * learns a hidden row's id. A member disabled or a workspace gone ends the subscription.
 */
export function watchRecordChanges(
  deps: RecordChangesDeps,
  rc: RequestContext,
  options: WatchOptions,
): Repeater<ChangeEvent> {
  const { source } = options;
  const coalesceMs = deps.coalesceMs ?? 50;
  return new Repeater<ChangeEvent>(async (push, stop) => {
    const shown = new Set<string>();
    for (const id of options.id !== undefined ? [options.id] : (options.showing ?? []))
      if (await source.load(rc, id)) shown.add(id);

    const pending = new Set<string>();
    let timer: NodeJS.Timeout | undefined;
    let sending = Promise.resolve();

    const send = async (ids: readonly string[]) => {
      let viewer: RequestContext;
      try {
        viewer = await viewerContext(deps, rc);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        // disabled member, workspace blocked or gone: the subscription ends (the client sees `complete`)
        rc.log.info({ code: err.code }, 'subscription ended: viewer may no longer read');
        stop();
        return;
      }
      for (const id of ids) {
        const record = await source.load(viewer, id);
        if (!record && !shown.has(id)) continue;
        const event = record ? await latestEvent(viewer, source.typeName, id) : undefined;
        if (record) remember(shown, id);
        else shown.delete(id);
        await push({
          rc: viewer,
          change: {
            type: source.recordType,
            id,
            kind: changeKindOf(event?.type, record !== null),
            event: event?.type ?? null,
            changedAt: event?.occurredAt ?? new Date(),
            actorId: record ? (event?.actorId ?? null) : null,
            record,
          },
        });
      }
    };

    const flush = () => {
      timer = undefined;
      const ids = [...pending];
      pending.clear();
      sending = sending
        .then(() => send(ids))
        .catch((err: unknown) => rc.log.warn({ err }, 'subscription: a burst of changes was not sent'));
    };

    const unlisten = await deps.feed.listen(rc.tenant.id, (changes) => {
      for (const c of changes)
        if (c.type === source.typeName && (options.id === undefined || c.id === options.id))
          pending.add(c.id);
      if (pending.size && !timer) timer = setTimeout(flush, coalesceMs);
    });
    try {
      await stop;
    } finally {
      clearTimeout(timer);
      await unlisten();
    }
  });
}
