import { ACTIVITY_FIELDS } from '../sales/sales-documents.js';

/** The GraphQL operations of the dashboard's tasks, pipeline and activity cards (see lead-documents.ts). */

/** Who is working on which record, for an activity shown away from that record. */
const ON_RECORD = 'subjectType subjectId subjectName parentId';

/** The viewer's open tasks that are overdue or due later today, soonest first in each group. */
export const MY_TASKS_DUE_QUERY = `
  query MyTasksDue {
    overdue: myTasks(due: OVERDUE, first: 20) { id title dueAt ${ON_RECORD} }
    today: myTasks(due: TODAY, first: 20) { id title dueAt ${ON_RECORD} }
  }
`;

/** Open and weighted value per stage and the win rate, over the opportunities the viewer can see. */
export const PIPELINE_SUMMARY_QUERY = `
  query PipelineSummary {
    pipeline {
      stages { stage { id name kind } count value weightedValue }
      openCount openValue weightedValue winRate
    }
  }
`;

/** The newest activities on records the viewer can see, with who logged them and on what. */
export const RECENT_ACTIVITY_QUERY = `
  query RecentActivity($first: Int!) {
    recentActivity(first: $first) { ${ACTIVITY_FIELDS} author { id displayName } }
  }
`;
