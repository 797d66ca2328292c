import { KubeConfig } from '@kubernetes/client-node';

/** A KubeConfig for @kubernetes/client-node 1.4 that talks plain HTTP to the fixture, no auth. */
export function kubeConfigFor(server: string, namespace = 'default'): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'fixture', server, skipTLSVerify: true }],
    users: [{ name: 'fixture' }],
    contexts: [{ name: 'fixture', cluster: 'fixture', user: 'fixture', namespace }],
    currentContext: 'fixture',
  });
  return kc;
}
