import { ConfigError, loadConfig } from '@solar/common';
import { startOperator } from './app.js';
import { operatorConfigSchema } from './config.js';

try {
  await startOperator(loadConfig(operatorConfigSchema));
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}
