/** "Firefox on Linux" from a User-Agent, for the session list; unknown parts stay generic. */
export function describeDevice(userAgent: string | null): string {
  if (!userAgent) return 'Unknown device';
  const browser =
    [
      [/Edg\//, 'Edge'],
      [/OPR\/|Opera/, 'Opera'],
      [/Firefox\//, 'Firefox'],
      [/Chrome\//, 'Chrome'],
      [/Safari\//, 'Safari'],
      [/curl\//, 'curl'],
      [/undici|node/i, 'Node.js client'],
    ].find(([re]) => (re as RegExp).test(userAgent))?.[1] ?? 'Unknown browser';
  const os = [
    [/iPhone|iPad/, 'iOS'],
    [/Android/, 'Android'],
    [/Windows/, 'Windows'],
    [/Mac OS X|Macintosh/, 'macOS'],
    [/Linux/, 'Linux'],
  ].find(([re]) => (re as RegExp).test(userAgent))?.[1];
  return os ? `${String(browser)} on ${String(os)}` : String(browser);
}
