/** The DNS TXT record that proves a tenant controls a custom domain. */
export const challengeName = (domain: string) => `_solarcrm-verify.${domain}`;
export const challengeValue = (token: string) => `solarcrm-verify=${token}`;
