import type { Knex } from '@solar/common';
import type { PlatformConfig } from '../config.js';
import type { SignInThrottle } from '../security/sign-in-throttle.js';

/** What every /auth route needs, wired once in app.ts. */
export interface AuthDeps {
  db: Knex;
  config: PlatformConfig;
  /** HS256 key for access tokens (derived from PLATFORM_SECRET_KEY) */
  accessKey: Uint8Array;
  /** the platform key that seals MFA secrets */
  secretKey: Buffer;
  throttle: SignInThrottle;
}
