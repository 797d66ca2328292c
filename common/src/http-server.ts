import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';

export interface Lifecycle {
  /** false once shutdown has begun, so /readyz fails and load balancers stop sending traffic */
  readonly accepting: boolean;
}

export interface ServeOptions {
  port: number;
  host?: string;
  logger: Logger;
  /** How long to wait for in-flight requests after SIGTERM. */
  graceMs: number;
  /** Closes pools and clients after the server has drained. */
  onClose?: () => Promise<void>;
  /** Handle SIGTERM/SIGINT (true in programs, false in tests). */
  handleSignals?: boolean;
}

export interface Served {
  server: Server;
  port: number;
  lifecycle: Lifecycle;
  /** Stop accepting, drain in-flight requests (up to graceMs), then run onClose. */
  close(): Promise<void>;
}

/**
 * Serves a request handler with graceful shutdown: on SIGTERM the server stops accepting connections,
 * readiness turns false, idle keep-alive sockets are closed, in-flight requests finish (up to graceMs),
 * then pools are closed.
 */
export async function serve(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  options: ServeOptions,
): Promise<Served> {
  const state = { accepting: true };
  const server = createServer(handler);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      state.accepting = false;
      options.logger.info({ graceMs: options.graceMs }, 'shutting down: draining requests');
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), options.graceMs);
      timer.unref();
      await drained;
      clearTimeout(timer);
      await options.onClose?.();
      options.logger.info('shut down cleanly');
    })());

  if (options.handleSignals ?? true) {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        close().then(
          () => process.exit(0),
          (err: unknown) => {
            options.logger.error({ err }, 'shutdown failed');
            process.exit(1);
          },
        );
      });
    }
  }
  return {
    server,
    port,
    lifecycle: {
      get accepting() {
        return state.accepting;
      },
    },
    close,
  };
}
