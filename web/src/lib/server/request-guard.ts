/** Bodies a plain HTML form (or a no-preflight fetch) can send cross-site. */
const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)\b/i;
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * True when a state-changing form submission did not come from a page of this host: the Origin header (or,
 * failing that, Fetch Metadata) must name this very host. Schemes are not compared, because without a proxy
 * header the server cannot know its own scheme; the host is what another site cannot fake.
 */
export function isCrossSiteForm(method: string, headers: Headers, host: string): boolean {
  if (!UNSAFE_METHODS.has(method.toUpperCase())) return false;
  if (!FORM_TYPES.test(headers.get('content-type') ?? '')) return false;
  const origin = headers.get('origin');
  if (origin && origin !== 'null') {
    try {
      return new URL(origin).host.toLowerCase() !== host.toLowerCase();
    } catch {
      return true;
    }
  }
  // No Origin (old browsers, some privacy modes): fall back to Fetch Metadata when present.
  const site = headers.get('sec-fetch-site');
  return site !== null && site !== 'same-origin' && site !== 'none';
}

/**
 * adapter-node assumes https when neither ORIGIN nor PROTOCOL_HEADER is configured. Straight on a plain socket
 * with neither set (the local stack), the request was http; knowing that keeps cookies usable there, while
 * behind a TLS proxy the configured header wins.
 */
export function isPlainHttp(
  env: Record<string, string | undefined>,
  socketEncrypted: boolean | undefined,
): boolean {
  if (env['ORIGIN'] || env['PROTOCOL_HEADER']) return false;
  return socketEncrypted === false;
}
