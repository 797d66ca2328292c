import { request } from 'undici';

export interface BrowserResponse {
  url: string;
  status: number;
  /** absolute, resolved against the request URL */
  location: string | undefined;
  setCookies: string[];
  text: string;
}

interface StoredCookie {
  value: string;
  path: string;
}

/**
 * Just enough of a browser for OIDC redirects: a cookie jar per host (paths honoured, Max-Age=0 deletes),
 * no automatic redirects (the test follows them one by one), and `*.localhost` names dialled on 127.0.0.1 with
 * the name in the Host header, so tenant hosts resolve without DNS. Every response is kept in `seen`.
 */
export class TestBrowser {
  readonly jar = new Map<string, Map<string, StoredCookie>>();
  readonly seen: BrowserResponse[] = [];

  async get(url: string): Promise<BrowserResponse> {
    return this.send('GET', url);
  }

  async postForm(url: string, form: Record<string, string>): Promise<BrowserResponse> {
    return this.send('POST', url, new URLSearchParams(form).toString());
  }

  cookie(host: string, name: string): string | undefined {
    return this.jar.get(host)?.get(name)?.value;
  }

  setCookie(host: string, name: string, value: string, path = '/'): void {
    this.hostJar(host).set(name, { value, path });
  }

  private async send(method: 'GET' | 'POST', url: string, body?: string): Promise<BrowserResponse> {
    const target = new URL(url);
    const dial = new URL(url);
    if (target.hostname.endsWith('.localhost')) dial.hostname = '127.0.0.1';
    const cookies = [...(this.jar.get(target.hostname) ?? new Map<string, StoredCookie>())]
      .filter(([, c]) => target.pathname.startsWith(c.path))
      .map(([name, c]) => `${name}=${c.value}`)
      .join('; ');
    const res = await request(dial, {
      method,
      headers: {
        host: target.host,
        'user-agent': 'sso-test-browser',
        ...(cookies ? { cookie: cookies } : {}),
        ...(body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: body ?? null,
    });
    const raw = res.headers['set-cookie'];
    const setCookies = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    for (const line of setCookies) this.store(target.hostname, line);
    const location = res.headers.location;
    const out: BrowserResponse = {
      url,
      status: res.statusCode,
      location: typeof location === 'string' ? new URL(location, target).href : undefined,
      setCookies,
      text: await res.body.text(),
    };
    this.seen.push(out);
    return out;
  }

  private store(host: string, line: string): void {
    const [pair = '', ...attributes] = line.split(';').map((p) => p.trim());
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    const attr = (key: string) =>
      attributes.find((a) => a.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1);
    const expired =
      attr('max-age') === '0' || (attr('expires') !== undefined && Date.parse(attr('expires')!) < Date.now());
    if (expired || value === '') this.hostJar(host).delete(name);
    else this.hostJar(host).set(name, { value, path: attr('path') ?? '/' });
  }

  private hostJar(host: string): Map<string, StoredCookie> {
    let jar = this.jar.get(host);
    if (!jar) this.jar.set(host, (jar = new Map()));
    return jar;
  }
}

/**
 * Plays the person at the provider: follows its redirects from the authorization URL, signs in on the
 * development login form as `accountId` and approves the consent form, until the provider redirects back to
 * the client. Returns that redirect (the callback URL with code and state) without following it.
 */
export async function approveAtProvider(
  browser: TestBrowser,
  authorizationUrl: string,
  accountId: string,
): Promise<string> {
  const providerOrigin = new URL(authorizationUrl).origin;
  let res = await browser.get(authorizationUrl);
  for (let step = 0; step < 12; step++) {
    if (res.location) {
      if (new URL(res.location).origin !== providerOrigin) return res.location;
      res = await browser.get(res.location);
      continue;
    }
    const action = /<form[^>]*action="([^"]+)"/.exec(res.text)?.[1];
    const prompt = /name="prompt" value="([a-z]+)"/.exec(res.text)?.[1];
    if (res.status !== 200 || !action || !prompt)
      throw new Error(`provider answered ${res.status} without a form: ${res.text.slice(0, 300)}`);
    const form: Record<string, string> =
      prompt === 'login' ? { prompt, login: accountId, password: 'any' } : { prompt };
    res = await browser.postForm(new URL(action, res.url).href, form);
  }
  throw new Error('provider never redirected back');
}
