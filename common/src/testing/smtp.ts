import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A mail as the server received it: its envelope recipients and the raw message. */
export interface CapturedMail {
  to: string;
  raw: string;
}

export interface TestSmtp {
  /** smtp://127.0.0.1:<port>, for SMTP_URL */
  url: string;
  /** every mail received, oldest first (clear it with `mails.length = 0`) */
  mails: CapturedMail[];
  close(): Promise<void>;
}

/**
 * A real SMTP server on a local port (a free one unless `port` is given, e.g. to come back where a closed
 * one was), for tests of what programs mail (no auth, no TLS). `mails` may be shared with an earlier server.
 */
export async function startTestSmtp(port = 0, mails: CapturedMail[] = []): Promise<TestSmtp> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    mails,
    close: () => new Promise<void>((resolve) => server.close(resolve)),
  };
}
