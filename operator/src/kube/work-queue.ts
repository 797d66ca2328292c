/**
 * The controller work queue (client-go's workqueue, in small): keys, not objects, so a reconcile always reads
 * the latest state. A key is queued at most once (de-duplication); a key being processed is never handed to a
 * second worker (per-key serialisation) — if it is added meanwhile it runs again right after; failures come
 * back after an exponential delay with jitter, reset by `forget` once a pass succeeds.
 */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  /** 0..1: the delay is drawn from [d·(1−jitter), d] so retries of many keys spread out */
  jitter: number;
}

export interface WorkQueue {
  add(key: string): void;
  /** Adds after `ms` (a requeue the reconciler asked for, or a resync). Keeps the earliest pending time. */
  addAfter(key: string, ms: number): void;
  /** Adds after the key's next backoff delay; returns that delay. */
  addRateLimited(key: string): number;
  /** The key converged: its failure count starts over. */
  forget(key: string): void;
  failures(key: string): number;
  /** keys waiting to run (not counting ones in flight or waiting on a timer) */
  depth(): number;
  inFlight(): number;
  /** Runs `worker` on up to `concurrency` keys at once until shutdown. */
  run(worker: (key: string) => Promise<void>, concurrency: number): void;
  /** Stops handing out keys; resolves once every running worker returned or `graceMs` passed (→ false). */
  shutdown(graceMs?: number): Promise<boolean>;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 500, maxMs: 5 * 60_000, jitter: 0.2 };

export function backoffDelay(policy: BackoffPolicy, failures: number, random = Math.random): number {
  const exp = Math.min(policy.baseMs * 2 ** Math.max(0, failures - 1), policy.maxMs);
  return Math.round(exp * (1 - policy.jitter * random()));
}

export function createWorkQueue(policy: BackoffPolicy = defaultBackoff): WorkQueue {
  const queue: string[] = [];
  const queued = new Set<string>();
  const processing = new Set<string>();
  /** added while processing: runs again once the current pass finishes */
  const dirty = new Set<string>();
  const timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  const failureCount = new Map<string, number>();
  const running = new Set<Promise<void>>();
  let worker: ((key: string) => Promise<void>) | undefined;
  let concurrency = 1;
  let stopped = false;

  const pump = () => {
    while (!stopped && worker && running.size < concurrency && queue.length > 0) {
      const key = queue.shift()!;
      queued.delete(key);
      processing.add(key);
      const job = worker(key)
        .catch(() => undefined) // the worker reports its own errors; the queue only schedules
        .finally(() => {
          processing.delete(key);
          running.delete(job);
          if (dirty.delete(key)) add(key);
          pump();
        });
      running.add(job);
    }
  };

  function add(key: string): void {
    if (stopped) return;
    if (processing.has(key)) {
      dirty.add(key);
      return;
    }
    if (queued.has(key)) return;
    queued.add(key);
    queue.push(key);
    pump();
  }

  function addAfter(key: string, ms: number): void {
    if (stopped) return;
    if (ms <= 0) return add(key);
    const at = Date.now() + ms;
    const pending = timers.get(key);
    if (pending && pending.at <= at) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      timers.delete(key);
      add(key);
    }, ms);
    timer.unref();
    timers.set(key, { at, timer });
  }

  return {
    add,
    addAfter,
    addRateLimited(key) {
      const n = (failureCount.get(key) ?? 0) + 1;
      failureCount.set(key, n);
      const delay = backoffDelay(policy, n);
      addAfter(key, delay);
      return delay;
    },
    forget: (key) => void failureCount.delete(key),
    failures: (key) => failureCount.get(key) ?? 0,
    depth: () => queue.length,
    inFlight: () => running.size,
    run(fn, n) {
      worker = fn;
      concurrency = Math.max(1, n);
      pump();
    },
    async shutdown(graceMs = 30_000) {
      stopped = true;
      for (const { timer } of timers.values()) clearTimeout(timer);
      timers.clear();
      queue.length = 0;
      queued.clear();
      dirty.clear();
      if (running.size === 0) return true;
      let timer: NodeJS.Timeout | undefined;
      const drained = await Promise.race([
        Promise.allSettled([...running]).then(() => true),
        new Promise<boolean>((r) => {
          timer = setTimeout(() => r(false), graceMs);
        }),
      ]);
      clearTimeout(timer);
      return drained;
    },
  };
}
