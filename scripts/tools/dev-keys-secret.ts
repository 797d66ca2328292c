/**
 * Prints the Kubernetes Secret the chart's dev values expect (solar-crm-dev-keys) for the Tilt loop.
 * The keys are local mode's own (.data/local-secrets.json, created once, 0600): the dev cluster talks to
 * the same local MariaDB, so tenant DB passwords sealed by either must open with the same platform key.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { loadOrCreateLocalSecrets } from '../local/secrets.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const name = process.argv[2] ?? 'solar-crm-dev-keys';
const namespace = process.argv[3] ?? 'solar';
const { secrets } = await loadOrCreateLocalSecrets(resolve(repoRoot, '.data/local-secrets.json'));

process.stdout.write(
  stringify({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace, labels: { 'app.kubernetes.io/part-of': 'solar-crm' } },
    type: 'Opaque',
    stringData: {
      PLATFORM_SECRET_KEY: secrets.platformSecretKey,
      INTERNAL_TOKEN_PRIVATE_KEY: secrets.internalPrivateJwk,
      INTERNAL_TOKEN_PUBLIC_KEY: secrets.internalPublicJwk,
    },
  }),
);
