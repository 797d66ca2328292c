/** Requests per rate-limit window (RATE_LIMIT_WINDOW_SECONDS, 60 s by default) for each key kind. */
export interface PlanLimits {
  /** all traffic of one tenant */
  tenant: number;
  /** one signed-in user (all their sessions together) */
  user: number;
  /** one client address */
  ip: number;
}

export type PlanLimitTable = Record<'starter' | 'growth' | 'enterprise', PlanLimits>;

export const DEFAULT_PLAN_LIMITS: PlanLimitTable = {
  starter: { tenant: 600, user: 120, ip: 300 },
  growth: { tenant: 3_000, user: 600, ip: 1_200 },
  enterprise: { tenant: 15_000, user: 3_000, ip: 6_000 },
};

export function scalePlanLimits(table: PlanLimitTable, factor: number): PlanLimitTable {
  const scale = (l: PlanLimits): PlanLimits => ({
    tenant: Math.ceil(l.tenant * factor),
    user: Math.ceil(l.user * factor),
    ip: Math.ceil(l.ip * factor),
  });
  return { starter: scale(table.starter), growth: scale(table.growth), enterprise: scale(table.enterprise) };
}

/** Unknown or missing plans get the smallest limits. */
export function limitsFor(
  table: PlanLimitTable,
  plan: string | undefined,
): { plan: keyof PlanLimitTable; limits: PlanLimits } {
  const known = plan === 'growth' || plan === 'enterprise' ? plan : 'starter';
  return { plan: known, limits: table[known] };
}
