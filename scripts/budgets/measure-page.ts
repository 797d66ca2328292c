import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';

/**
 * What a first visit to `url` costs: every script the page loads (modules and their preloads), gzipped the
 * way the server sends them, and the Largest Contentful Paint the browser reports.
 */
export async function firstVisit(
  page: Page,
  url: string,
): Promise<{ scripts: { url: string; gzipBytes: number }[]; lcpMs: number }> {
  const pending: Promise<{ url: string; gzipBytes: number } | null>[] = [];
  const onResponse = (response: import('playwright-core').Response) => {
    const type = response.request().resourceType();
    const isScript = type === 'script' || /\.m?js(\?|$)/.test(new URL(response.url()).pathname);
    if (!isScript || response.status() !== 200) return;
    pending.push(
      response
        .body()
        .then((body) => ({ url: response.url(), gzipBytes: gzipSync(body).byteLength }))
        .catch(() => null),
    );
  };
  page.on('response', onResponse);
  await page.goto(url, { waitUntil: 'networkidle' });
  const lcpMs = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        let last = 0;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) last = entry.startTime;
        }).observe({ type: 'largest-contentful-paint', buffered: true });
        // LCP is final once the page has settled; buffered entries arrive in the first callback
        setTimeout(() => resolve(last), 300);
      }),
  );
  page.off('response', onResponse);
  const scripts = (await Promise.all(pending)).filter(
    (s): s is { url: string; gzipBytes: number } => s !== null,
  );
  return { scripts, lcpMs };
}

/**
 * A client-side route change as a person sees it: from the click on a navigation link to the new page's
 * heading and content painted (checked every animation frame, measured inside the page).
 */
export async function routeChange(
  page: Page,
  href: string,
  heading: string,
  content: string,
): Promise<number> {
  // a string, not a function: the TypeScript runner's helpers (__name) do not exist inside the page
  const script = `(async () => {
    const link = document.querySelector('nav a[href="${href}"]');
    if (!link) throw new Error('no navigation link to ${href}');
    const started = performance.now();
    link.click();
    await new Promise((resolve, reject) => {
      const give = setTimeout(() => reject(new Error('${href} did not show within 10 s')), 10000);
      const check = () => {
        const h1 = document.querySelector('main h1, h1');
        if (h1 && h1.textContent.trim() === ${JSON.stringify(heading)} && document.querySelector(${JSON.stringify(content)})) {
          clearTimeout(give);
          resolve();
        } else requestAnimationFrame(check);
      };
      check();
    });
    // the frame with the new content has been produced
    await new Promise((r) => requestAnimationFrame(r));
    return performance.now() - started;
  })()`;
  return (await page.evaluate(script)) as number;
}
