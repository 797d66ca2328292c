import { describe, expect, it } from 'vitest';
import { tenantFromHost } from './tenant-from-host.js';

describe('tenantFromHost', () => {
  it('takes the workspace from the sub-domain of the base domain, ignoring port and case', () => {
    expect(tenantFromHost('acme.localhost:3000', 'localhost')).toBe('acme');
    expect(tenantFromHost('Sun-Co.SolarCRM.io', 'solarcrm.io')).toBe('sun-co');
    expect(tenantFromHost('acme.solarcrm.io.', 'solarcrm.io')).toBe('acme');
  });

  it('falls back to the default workspace when the host names none', () => {
    expect(tenantFromHost('localhost:3000', 'localhost', 'acme')).toBe('acme');
    expect(tenantFromHost('127.0.0.1:3000', 'localhost', 'acme')).toBe('acme');
    expect(tenantFromHost('[::1]:3000', 'localhost', 'acme')).toBe('acme');
  });

  it('prefers the host over the default workspace', () => {
    expect(tenantFromHost('beta.localhost:3000', 'localhost', 'acme')).toBe('beta');
  });

  it('answers null (unknown workspace) with neither a tenant host nor a default', () => {
    expect(tenantFromHost('localhost:3000', 'localhost')).toBeNull();
    expect(tenantFromHost('solarcrm.io', 'solarcrm.io')).toBeNull();
    expect(tenantFromHost('evil.example.com', 'solarcrm.io')).toBeNull();
  });

  it('never treats platform sub-domains, nested labels or malformed labels as workspaces', () => {
    expect(tenantFromHost('www.solarcrm.io', 'solarcrm.io')).toBeNull();
    expect(tenantFromHost('api.solarcrm.io', 'solarcrm.io')).toBeNull();
    expect(tenantFromHost('a.b.solarcrm.io', 'solarcrm.io')).toBeNull();
    expect(tenantFromHost('x.solarcrm.io', 'solarcrm.io')).toBeNull();
    expect(tenantFromHost('-acme.solarcrm.io', 'solarcrm.io')).toBeNull();
    // a look-alike domain is not a sub-domain of the base
    expect(tenantFromHost('acme.notsolarcrm.io', 'solarcrm.io')).toBeNull();
  });
});
