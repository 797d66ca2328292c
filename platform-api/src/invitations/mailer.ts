import type { Logger } from '@solar/common';
import nodemailer from 'nodemailer';

export interface InvitationMail {
  to: string;
  link: string;
  workspace: string;
  invitedBy: string;
  expiresAt: Date;
}

export interface Mailer {
  /** true when handed to the SMTP server; false in local mode (no SMTP_URL), where nothing is sent */
  sendInvitation(mail: InvitationMail): Promise<boolean>;
  close(): void;
}

/**
 * Outgoing mail over SMTP (nodemailer, pooled). Without SMTP_URL (local, single-machine mode) nothing is
 * sent: the caller shows the link to the inviting admin instead, and only the fact is logged — never the
 * link, which is as good as a password until it is used.
 */
export function createMailer(options: { smtpUrl: string | undefined; from: string; logger: Logger }): Mailer {
  const { smtpUrl, from, logger } = options;
  if (!smtpUrl) {
    return {
      async sendInvitation(mail) {
        logger.info(
          { event: 'invitation_created', to: maskEmail(mail.to) },
          'invitation created (no SMTP_URL: not mailed)',
        );
        return false;
      },
      close() {},
    };
  }
  const transport = nodemailer.createTransport(smtpUrl, { from });
  return {
    async sendInvitation(mail) {
      await transport.sendMail({
        to: mail.to,
        subject: `${mail.invitedBy} invited you to ${mail.workspace} on Solar CRM`,
        text: [
          `${mail.invitedBy} invited you to join ${mail.workspace} on Solar CRM.`,
          '',
          `Accept the invitation: ${mail.link}`,
          '',
          `The link works once and expires on ${mail.expiresAt.toUTCString()}.`,
          'If you did not expect this invitation, ignore this email.',
        ].join('\n'),
        html: `<p>${escapeHtml(mail.invitedBy)} invited you to join <strong>${escapeHtml(mail.workspace)}</strong> on Solar CRM.</p>
<p><a href="${escapeHtml(mail.link)}">Accept the invitation</a></p>
<p>The link works once and expires on ${escapeHtml(mail.expiresAt.toUTCString())}. If you did not expect this invitation, ignore this email.</p>`,
      });
      logger.info({ event: 'invitation_mailed', to: maskEmail(mail.to) }, 'invitation mailed');
      return true;
    },
    close: () => transport.close(),
  };
}

/** Enough of an address to tell mails apart in logs without writing it out. */
const maskEmail = (email: string) => email.replace(/^(.).*(@.*)$/, '$1…$2');

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
