import { z } from 'zod';
import { pipelineStageSchema } from '$lib/sales/opportunity-schemas';
import { PIPELINE_STAGES_QUERY } from '$lib/sales/pipeline-settings';
import { serverGraphql } from '$lib/server/graphql';
import { requireManager } from '../require-manager';
import type { PageServerLoad } from './$types';

/** The pipeline's stages, in order (won and lost always last). */
export const load: PageServerLoad = async (event) => {
  await requireManager(event);
  const { pipelineStages } = await serverGraphql(
    event,
    PIPELINE_STAGES_QUERY,
    {},
    z.object({ pipelineStages: z.array(pipelineStageSchema) }),
  );
  return { stages: [...pipelineStages].sort((a, b) => a.position - b.position) };
};
