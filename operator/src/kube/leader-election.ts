import {
  ApiException,
  CoordinationV1Api,
  V1MicroTime,
  type KubeConfig,
  type V1Lease,
} from '@kubernetes/client-node';
import type { Logger } from '@solar/common';

export interface LeaderElectionOptions {
  kubeConfig: KubeConfig;
  namespace: string;
  /** the Lease's name (one per operator installation) */
  leaseName: string;
  /** this replica's identity (the pod name) */
  identity: string;
  /** how long a lease stays valid without renewal */
  leaseDurationMs: number;
  logger: Logger;
  onStartedLeading(): void | Promise<void>;
  /** the lease was lost (renewals failed past the deadline or someone else holds it) */
  onStoppedLeading(): void | Promise<void>;
}

export interface LeaderElector {
  isLeader(): boolean;
  /** Stops campaigning; a leader gives the lease up at once so a standby takes over without waiting. */
  stop(opts?: { release?: boolean }): Promise<void>;
}

const isCode = (err: unknown, code: number) => err instanceof ApiException && err.code === code;

/**
 * Leader election on a coordination.k8s.io/v1 Lease, as client-go's leaderelection does it: every write is an
 * optimistic update on the Lease's resourceVersion (two candidates never both win), a lease is taken over only
 * after it went unrenewed for its full duration as observed on this replica's own clock (no cross-node clock
 * comparison), and a leader that cannot renew within the renew deadline steps down before the lease can expire.
 */
export function startLeaderElection(opts: LeaderElectionOptions): LeaderElector {
  const api = opts.kubeConfig.makeApiClient(CoordinationV1Api);
  const { namespace, leaseName: name, identity } = opts;
  const log = opts.logger.child({ lease: `${namespace}/${name}`, identity });
  const durationSeconds = Math.max(1, Math.ceil(opts.leaseDurationMs / 1000));
  const renewDeadlineMs = Math.round(opts.leaseDurationMs * (2 / 3));
  const retryMs = Math.max(50, Math.round(opts.leaseDurationMs / 4));

  let leader = false;
  let stopped = false;
  let lastRenew = 0;
  let timer: NodeJS.Timeout | undefined;
  let loop: Promise<void> = Promise.resolve();
  /** what we last saw in the Lease and when, on our clock */
  let observed: { key: string; at: number } | undefined;

  const spec = (prev: V1Lease | undefined, now: number) => {
    const taking = prev?.spec?.holderIdentity !== identity;
    return {
      holderIdentity: identity,
      leaseDurationSeconds: durationSeconds,
      renewTime: new V1MicroTime(now),
      acquireTime: taking ? new V1MicroTime(now) : prev?.spec?.acquireTime,
      leaseTransitions: (prev?.spec?.leaseTransitions ?? 0) + (taking && prev ? 1 : 0),
    };
  };

  async function tryAcquireOrRenew(): Promise<boolean> {
    const now = Date.now();
    let current: V1Lease;
    try {
      current = await api.readNamespacedLease({ name, namespace });
    } catch (err) {
      if (!isCode(err, 404)) throw err;
      try {
        await api.createNamespacedLease({
          namespace,
          body: { metadata: { name }, spec: spec(undefined, now) },
        });
        return true;
      } catch (createErr) {
        if (isCode(createErr, 409)) return false;
        throw createErr;
      }
    }
    const s = current.spec ?? {};
    const holder = s.holderIdentity ?? '';
    const key = `${holder}|${s.renewTime ? new Date(s.renewTime).getTime() : 0}|${current.metadata?.resourceVersion}`;
    if (observed?.key !== key) observed = { key, at: now };
    const validFor = (s.leaseDurationSeconds ?? durationSeconds) * 1000;
    if (holder && holder !== identity && now < observed.at + validFor) return false;
    try {
      await api.replaceNamespacedLease({
        name,
        namespace,
        body: {
          metadata: { name, resourceVersion: current.metadata?.resourceVersion },
          spec: spec(current, now),
        },
      });
      return true;
    } catch (err) {
      if (isCode(err, 409)) return false; // someone else wrote first
      throw err;
    }
  }

  async function tick(): Promise<void> {
    let ok = false;
    try {
      ok = await tryAcquireOrRenew();
    } catch (err) {
      log.warn({ err }, 'lease update failed');
    }
    if (stopped) return;
    const now = Date.now();
    if (ok) {
      lastRenew = now;
      if (!leader) {
        leader = true;
        log.info('became leader');
        await opts.onStartedLeading();
      }
    } else if (leader && (now - lastRenew > renewDeadlineMs || !(await stillHolder()))) {
      leader = false;
      log.warn('lost the lease; standing by');
      await opts.onStoppedLeading();
    }
  }

  async function stillHolder(): Promise<boolean> {
    try {
      const l = await api.readNamespacedLease({ name, namespace });
      return l.spec?.holderIdentity === identity;
    } catch {
      return true; // unknown: the renew deadline decides
    }
  }

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(
      () => {
        loop = tick().finally(schedule);
      },
      leader ? retryMs : retryMs,
    );
  };
  loop = tick().finally(schedule);

  return {
    isLeader: () => leader,
    async stop({ release = true } = {}) {
      stopped = true;
      if (timer) clearTimeout(timer);
      await loop.catch(() => undefined);
      if (!leader) return;
      leader = false;
      if (!release) return;
      try {
        const current = await api.readNamespacedLease({ name, namespace });
        if (current.spec?.holderIdentity !== identity) return;
        await api.replaceNamespacedLease({
          name,
          namespace,
          body: {
            metadata: { name, resourceVersion: current.metadata?.resourceVersion },
            spec: {
              ...current.spec,
              holderIdentity: '',
              leaseDurationSeconds: 1,
              renewTime: new V1MicroTime(Date.now()),
            },
          },
        });
        log.info('released the lease');
      } catch (err) {
        log.warn({ err }, 'could not release the lease; it expires on its own');
      }
    },
  };
}
