import { describe, expect, it } from 'vitest';
import { backoffDelay, createWorkQueue } from './work-queue.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('work queue', () => {
  it('runs a key once however often it is added before a worker takes it', async () => {
    const q = createWorkQueue();
    const seen: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    q.run(async (key) => {
      seen.push(key);
      if (key === 'block') await gate;
    }, 1);
    q.add('block'); // occupies the only worker
    for (let i = 0; i < 5; i++) q.add('acme');
    q.add('globex');
    expect(q.depth()).toBe(2);
    release();
    await sleep(20);
    expect(seen).toEqual(['block', 'acme', 'globex']);
    await q.shutdown();
  });

  it('never runs one key on two workers at once, and reruns it if it changed meanwhile', async () => {
    const q = createWorkQueue();
    let running = 0;
    let overlap = false;
    let runs = 0;
    q.run(async () => {
      runs++;
      if (++running > 1) overlap = true;
      await sleep(30);
      running--;
    }, 4);
    q.add('acme');
    await sleep(5);
    q.add('acme'); // arrives mid-pass: one more pass afterwards, not a parallel one
    q.add('acme');
    await sleep(100);
    expect(overlap).toBe(false);
    expect(runs).toBe(2);
    await q.shutdown();
  });

  it('backs off exponentially with jitter and starts over after forget', () => {
    const policy = { baseMs: 100, maxMs: 1000, jitter: 0.5 };
    expect(backoffDelay(policy, 1, () => 0)).toBe(100);
    expect(backoffDelay(policy, 3, () => 0)).toBe(400);
    expect(backoffDelay(policy, 3, () => 1)).toBe(200); // jitter only ever shortens, never exceeds the cap
    expect(backoffDelay(policy, 10, () => 0)).toBe(1000);
    const q = createWorkQueue(policy);
    const d1 = q.addRateLimited('acme');
    const d2 = q.addRateLimited('acme');
    expect(d1).toBeGreaterThanOrEqual(50);
    expect(d1).toBeLessThanOrEqual(100);
    expect(d2).toBeGreaterThanOrEqual(100);
    expect(q.failures('acme')).toBe(2);
    q.forget('acme');
    expect(q.failures('acme')).toBe(0);
    void q.shutdown();
  });

  it('shutdown reports whether the work in flight finished within the grace period', async () => {
    const q = createWorkQueue();
    q.run(() => new Promise<void>(() => {}), 1); // a pass that never ends (a hung dependency)
    q.add('stuck');
    await sleep(5);
    expect(await q.shutdown(50)).toBe(false);
    const idle = createWorkQueue();
    expect(await idle.shutdown(50)).toBe(true);
  });
});
