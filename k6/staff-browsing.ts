/**
 * Staff browsing: each virtual user signs in to one tenant, then pages through leads the way a rep does in
 * the web app (first page, a search, the next pages). Run against a deployment:
 *   k6 run -e BASE_URL=https://acme.solarcrm.example -e TENANT=acme -e EMAIL=... -e PASSWORD=... k6/staff-browsing.ts
 */
import http from 'k6/http';
import { check, sleep } from 'k6';
import type { Options } from 'k6/options';

export const options: Options = {
  scenarios: {
    browsing: {
      executor: 'ramping-vus',
      stages: [
        { duration: '30s', target: 32 },
        { duration: '2m', target: 32 },
        { duration: '15s', target: 0 },
      ],
    },
  },
  thresholds: {
    http_req_failed: ['rate<0.01'],
    'http_req_duration{name:leads}': ['p(95)<25'],
  },
};

const BASE = __ENV.BASE_URL ?? 'http://127.0.0.1:4000';
const TENANT = __ENV.TENANT ?? 'acme';
const headers = { 'Content-Type': 'application/json', 'X-Tenant': TENANT };

const LEADS = `query Leads($first: Int!, $after: String, $filter: LeadFilter) {
  leads(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id fullName email phone city status source monthlyBill createdAt } }
  }
}`;

export function setup(): { token: string } {
  const res = http.post(
    `${BASE}/auth/sign-in`,
    JSON.stringify({
      email: __ENV.EMAIL ?? 'ava.admin@acme.example',
      password: __ENV.PASSWORD ?? 'SolarDemo-2026!',
    }),
    { headers: { ...headers, 'X-Session-Mode': 'bearer' } },
  );
  check(res, { 'signed in': (r) => r.status === 200 });
  return { token: (res.json('token') as string) ?? '' };
}

export default function browse(data: { token: string }): void {
  const auth = { headers: { ...headers, Authorization: `Bearer ${data.token}` }, tags: { name: 'leads' } };
  let after: string | null = null;
  for (let page = 0; page < 3; page++) {
    const res: http.RefinedResponse<'text'> = http.post(
      `${BASE}/graphql`,
      JSON.stringify({ query: LEADS, variables: { first: 50, after } }),
      auth,
    );
    check(res, { 'leads page': (r) => r.status === 200 && !(r.json('errors') as unknown) });
    after = (res.json('data.leads.pageInfo.endCursor') as string | null) ?? null;
    sleep(1);
  }
  const search = http.post(
    `${BASE}/graphql`,
    JSON.stringify({ query: LEADS, variables: { first: 50, filter: { search: 'gar' } } }),
    auth,
  );
  check(search, { search: (r) => r.status === 200 });
  sleep(2);
}
