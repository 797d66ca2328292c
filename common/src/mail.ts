import nodemailer from 'nodemailer';
import type { Logger } from './logger.js';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface MailTransport {
  /**
   * Hands `mail` to the SMTP server and answers true; without SMTP_URL answers false and sends nothing.
   * `kind` names the mail in logs (invitation, task_reminder); the address is logged masked, never the body.
   */
  send(mail: Mail, kind: string): Promise<boolean>;
  close(): void;
}

/**
 * Outgoing mail over SMTP (nodemailer, pooled), shared by every program that mails. Without an SMTP URL
 * (local, single-machine mode) nothing is sent and only the fact is logged: bodies can hold links that are
 * as good as a password until used.
 */
export function createMailTransport(options: {
  smtpUrl: string | undefined;
  from: string;
  logger: Logger;
}): MailTransport {
  const { smtpUrl, from, logger } = options;
  if (!smtpUrl) {
    return {
      async send(mail, kind) {
        logger.info(
          { event: `${kind}_not_mailed`, to: maskEmail(mail.to) },
          `${kind} (no SMTP_URL: not mailed)`,
        );
        return false;
      },
      close() {},
    };
  }
  const transport = nodemailer.createTransport(smtpUrl, { from });
  return {
    async send(mail, kind) {
      await transport.sendMail(mail);
      logger.info({ event: `${kind}_mailed`, to: maskEmail(mail.to) }, `${kind} mailed`);
      return true;
    },
    close: () => transport.close(),
  };
}

/** Enough of an address to tell mails apart in logs without writing it out. */
export const maskEmail = (email: string) => email.replace(/^(.).*(@.*)$/, '$1…$2');

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
