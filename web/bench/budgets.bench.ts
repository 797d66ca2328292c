/**
 * `npm run bench budgets`: the web app's performance budgets against the local stack with 100k leads
 * (scripts/budgets/budgets.ts says what is measured and how). Results in bench/results/web-budgets.json.
 */
import { recordBenchmark } from '../../scripts/bench-kit.js';
import { budgetFigures, measureBudgets } from '../../scripts/budgets/budgets.js';

const result = await measureBudgets();
recordBenchmark({
  name: 'web-budgets',
  figures: budgetFigures(result),
  details: {
    scripts: result.scripts.map((s) => ({ path: new URL(s.url).pathname, gzipBytes: s.gzipBytes })),
    lcpMs: result.lcpMs,
    routeChangeMs: result.routeChangeMs,
  },
});
process.exit(0);
