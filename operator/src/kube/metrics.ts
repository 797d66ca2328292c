/**
 * The operator's Prometheus metrics, kept by hand in the text exposition format (0.0.4): a handful of
 * series does not justify a metrics SDK. Names follow controller-runtime's so existing dashboards fit.
 */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export type ReconcileOutcome = 'success' | 'error' | 'requeue';

export interface OperatorMetrics {
  reconciled(outcome: ReconcileOutcome, seconds: number): void;
  error(kind: string): void;
  /** text/plain; version=0.0.4 */
  render(gauges: { queueDepth: number; inFlight: number; leader: boolean; tenants: number }): string;
}

const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export function createOperatorMetrics(controller = 'tenant'): OperatorMetrics {
  const totals = new Map<ReconcileOutcome, number>();
  const errors = new Map<string, number>();
  const buckets = DURATION_BUCKETS.map(() => 0);
  let count = 0;
  let sum = 0;
  const ctl = `controller="${escape(controller)}"`;

  return {
    reconciled(outcome, seconds) {
      totals.set(outcome, (totals.get(outcome) ?? 0) + 1);
      count++;
      sum += seconds;
      DURATION_BUCKETS.forEach((le, i) => {
        if (seconds <= le) buckets[i]!++;
      });
    },
    error(kind) {
      errors.set(kind, (errors.get(kind) ?? 0) + 1);
    },
    render(g) {
      const lines: string[] = [];
      const family = (name: string, type: string, help: string) =>
        lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      family('controller_runtime_reconcile_total', 'counter', 'Reconciles by result.');
      for (const outcome of ['success', 'error', 'requeue'] as const)
        lines.push(
          `controller_runtime_reconcile_total{${ctl},result="${outcome}"} ${totals.get(outcome) ?? 0}`,
        );
      family('controller_runtime_reconcile_errors_total', 'counter', 'Reconcile errors by kind.');
      lines.push(
        `controller_runtime_reconcile_errors_total{${ctl}} ${[...errors.values()].reduce((a, b) => a + b, 0)}`,
      );
      family('solar_operator_errors_total', 'counter', 'Reconcile errors by kind (reconcile, api, watch_*).');
      for (const [kind, n] of errors)
        lines.push(`solar_operator_errors_total{${ctl},kind="${escape(kind)}"} ${n}`);
      family('controller_runtime_reconcile_time_seconds', 'histogram', 'Time per reconcile.');
      DURATION_BUCKETS.forEach((le, i) =>
        lines.push(`controller_runtime_reconcile_time_seconds_bucket{${ctl},le="${le}"} ${buckets[i]}`),
      );
      lines.push(
        `controller_runtime_reconcile_time_seconds_bucket{${ctl},le="+Inf"} ${count}`,
        `controller_runtime_reconcile_time_seconds_sum{${ctl}} ${sum}`,
        `controller_runtime_reconcile_time_seconds_count{${ctl}} ${count}`,
      );
      family('workqueue_depth', 'gauge', 'Keys waiting in the work queue.');
      lines.push(`workqueue_depth{name="${escape(controller)}"} ${g.queueDepth}`);
      family('controller_runtime_active_workers', 'gauge', 'Reconciles running now.');
      lines.push(`controller_runtime_active_workers{${ctl}} ${g.inFlight}`);
      family('leader_election_master_status', 'gauge', '1 while this replica holds the lease.');
      lines.push(`leader_election_master_status{name="solar-crm-operator"} ${g.leader ? 1 : 0}`);
      family('solar_operator_tenants', 'gauge', 'Tenants in the informer cache.');
      lines.push(`solar_operator_tenants ${g.tenants}`);
      return `${lines.join('\n')}\n`;
    },
  };
}
