import { AppError } from '@solar/common';

/** The caller's membership in this workspace has been disabled by an administrator. */
export class MemberDisabled extends AppError {
  readonly status = 403;
  readonly code = 'MEMBER_DISABLED';
  constructor(message = 'Your access to this workspace has been disabled') {
    super(message);
  }
}
