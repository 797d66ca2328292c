import { z } from 'zod';
import { activitySchema, onRecord } from '../sales/opportunity-schemas.js';

/* What the dashboard's load function accepts from the tenant API (checked, like lib/server/*-schemas). */

const dueTask = z.object({ id: z.string(), title: z.string().nullable(), dueAt: z.string(), ...onRecord });
export type DueTask = z.output<typeof dueTask>;

export const myTasksDueDataSchema = z.object({ overdue: z.array(dueTask), today: z.array(dueTask) });

export const pipelineSummaryDataSchema = z.object({
  pipeline: z.object({
    stages: z.array(
      z.object({
        stage: z.object({ id: z.string(), name: z.string(), kind: z.enum(['OPEN', 'WON', 'LOST']) }),
        count: z.number().int(),
        value: z.number(),
        weightedValue: z.number(),
      }),
    ),
    openCount: z.number().int(),
    openValue: z.number(),
    weightedValue: z.number(),
    winRate: z.number().min(0).max(1).nullable(),
  }),
});
export type PipelineSummary = z.output<typeof pipelineSummaryDataSchema>['pipeline'];

const feedActivity = activitySchema.extend({
  author: z.object({ id: z.string(), displayName: z.string() }).nullable(),
});
export type FeedActivity = z.output<typeof feedActivity>;

export const recentActivityDataSchema = z.object({ recentActivity: z.array(feedActivity) });
