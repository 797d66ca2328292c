import type { FieldSpec } from '$lib/record-forms/record-fields';

/** Settings › Pipeline: the stages a deal moves through, as an administrator shapes them. */
export const PIPELINE_STAGES_QUERY = `query PipelineStages { pipelineStages { id name position probability kind } }`;

export const CREATE_STAGE_MUTATION = `
  mutation CreatePipelineStage($input: CreatePipelineStageInput!) { createPipelineStage(input: $input) { id } }
`;
export const UPDATE_STAGE_MUTATION = `
  mutation UpdatePipelineStage($id: ID!, $input: UpdatePipelineStageInput!) {
    updatePipelineStage(id: $id, input: $input) { id }
  }
`;
export const REORDER_STAGES_MUTATION = `
  mutation ReorderPipelineStages($ids: [ID!]!) { reorderPipelineStages(openStageIds: $ids) { id } }
`;

const NAME: FieldSpec = {
  name: 'name',
  label: 'Name',
  required: 'Enter a name',
  hint: 'e.g. Financing approval',
};
const PROBABILITY: FieldSpec = {
  name: 'probability',
  label: 'Win probability (%)',
  kind: 'integer',
  range: [0, 100],
  required: 'Enter a probability',
  hint: 'Deals entering the stage take it',
};

/** An open stage's name and probability; won and lost keep theirs (100 % and 0 %), only the name changes. */
export const stageFields = (kind: 'OPEN' | 'WON' | 'LOST'): FieldSpec[] =>
  kind === 'OPEN' ? [NAME, PROBABILITY] : [NAME];

/** The open stages' ids with `id` moved one place up (-1) or down (+1); null when it cannot move that way. */
export function moveStage(openIds: readonly string[], id: string, by: -1 | 1): string[] | null {
  const at = openIds.indexOf(id);
  const to = at + by;
  if (at < 0 || to < 0 || to >= openIds.length) return null;
  const ids = [...openIds];
  [ids[at], ids[to]] = [ids[to]!, ids[at]!];
  return ids;
}
