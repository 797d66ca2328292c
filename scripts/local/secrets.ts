import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { generateInternalKeys } from '@solar/common';

/**
 * Secrets for local single-machine mode, made once and kept in .data/ (gitignored, mode 0600):
 * the platform key that seals tenant DB passwords, and the key pair platform-api signs internal tokens with.
 * In a cluster these come from Kubernetes Secrets instead.
 */
export interface LocalSecrets {
  platformSecretKey: string;
  internalPrivateJwk: string;
  internalPublicJwk: string;
}

export async function loadOrCreateLocalSecrets(
  path: string,
): Promise<{ secrets: LocalSecrets; created: boolean }> {
  try {
    return { secrets: JSON.parse(await readFile(path, 'utf8')) as LocalSecrets, created: false };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const { privateJwk, publicJwk } = await generateInternalKeys();
  const secrets: LocalSecrets = {
    platformSecretKey: randomBytes(32).toString('base64'),
    internalPrivateJwk: JSON.stringify(privateJwk),
    internalPublicJwk: JSON.stringify(publicJwk),
  };
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  await chmod(path, 0o600);
  return { secrets, created: true };
}
