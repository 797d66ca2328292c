import { ConfigError, loadConfig } from '@solar/common';
import { DriverNotBuilt, startOperator } from './app.js';
import { operatorConfigSchema } from './config.js';

try {
  await startOperator(loadConfig(operatorConfigSchema));
} catch (err) {
  if (err instanceof ConfigError || err instanceof DriverNotBuilt) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}
