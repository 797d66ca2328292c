import { AppError } from '@solar/common';

/** One answer for unknown email, wrong password and disabled account, so none can be told apart. */
export class InvalidCredentials extends AppError {
  readonly status = 401;
  readonly code = 'INVALID_CREDENTIALS';
  constructor() {
    super('Email or password is incorrect');
  }
}
