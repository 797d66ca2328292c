import { env } from '$env/dynamic/private';
import { parseWebConfig, type WebConfig } from './config.js';

/** Read once at start; a bad variable stops the server with every problem named. */
export const config: WebConfig = parseWebConfig(env);
