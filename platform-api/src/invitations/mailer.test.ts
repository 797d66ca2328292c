import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Logger } from '@solar/common';
import { createMailer } from './mailer.js';

describe('mailer without SMTP (local mode)', () => {
  it('sends nothing and logs the invitation without the link or the address', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const logger = pino({ level: 'info' }, sink) as unknown as Logger;
    const mailer = createMailer({ smtpUrl: undefined, from: 'x <x@y.test>', logger });
    const token = 'Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXg';
    const sent = await mailer.sendInvitation({
      to: 'nia@example.test',
      link: `https://acme.crm.test/invite/${token}`,
      workspace: 'Acme Solar',
      invitedBy: 'Ada',
      expiresAt: new Date(),
    });
    expect(sent).toBe(false);
    expect(lines.join('')).toContain('invitation (no SMTP_URL: not mailed)');
    expect(lines.join('')).not.toContain(token);
    expect(lines.join('')).not.toContain('nia@example.test');
  });
});
