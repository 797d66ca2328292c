import { createLogger, type Logger } from '@solar/common/logger';
import { config } from './runtime-config.js';

export type { Logger };

/** The web server's pino logger (shared kit: trace ids, redaction); handle() binds request id and tenant. */
export const logger: Logger = createLogger('web', config.LOG_LEVEL);
