import type { Logger } from '@solar/common';

export interface OutageLog {
  /** Redis refused or is disconnected: logged once, when an outage starts. */
  failed(err?: unknown): void;
  /** Redis answered: logs the end of an outage, if one was under way. */
  succeeded(): void;
  readonly down: boolean;
}

/** One warning per Redis outage and one line when it ends, however many requests pass meanwhile. */
export function outageLog(logger: Logger, what: string): OutageLog {
  let down = false;
  return {
    get down() {
      return down;
    },
    failed(err) {
      if (down) return;
      down = true;
      const reason = err instanceof Error ? { err: { message: err.message } } : {};
      logger.warn(
        { ...reason, component: 'edge-cache' },
        `${what}: redis unavailable, serving without cache`,
      );
    },
    succeeded() {
      if (!down) return;
      down = false;
      logger.info({ component: 'edge-cache' }, `${what}: redis reachable again`);
    },
  };
}
