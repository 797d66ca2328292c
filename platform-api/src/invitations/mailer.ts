import type { Logger } from '@solar/common';
import { createMailTransport, escapeHtml } from '@solar/common/mail';

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
 * Invitation mail. Without SMTP_URL (local, single-machine mode) nothing is sent: the caller shows the link to
 * the inviting admin instead, and only the fact is logged — never the link, which is as good as a password
 * until it is used.
 */
export function createMailer(options: { smtpUrl: string | undefined; from: string; logger: Logger }): Mailer {
  const transport = createMailTransport(options);
  return {
    sendInvitation: (mail) =>
      transport.send(
        {
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
        },
        'invitation',
      ),
    close: () => transport.close(),
  };
}
