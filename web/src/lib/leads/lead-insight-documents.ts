/** What the lead page shows beyond the lead's own fields: its score, how it was assigned, likely duplicates. */
export const LEAD_INSIGHTS_QUERY = `
  query LeadInsights($id: ID!) {
    lead(id: $id) {
      id score grade scoreMissingFacts assignmentStrategy assignmentReason mergedIntoId
      scoreExplanation { rule points reason }
      duplicates {
        confidence matchedOn reasons
        lead { id fullName email phone city status createdAt }
      }
    }
  }
`;

export const MERGE_LEADS_MUTATION = `
  mutation MergeLeads($primaryId: ID!, $duplicateIds: [ID!]!) {
    mergeLeads(primaryId: $primaryId, duplicateIds: $duplicateIds) { mergedIds lead { id } }
  }
`;

export const IMPORT_LEADS_MUTATION = `
  mutation ImportLeads($csv: String!, $options: ImportLeadsOptions) {
    importLeads(csv: $csv, options: $options) {
      importedCount totalRows unknownColumns
      rejected { line errors { field messages } }
      duplicatesWithinFile { line duplicateOfLine matchedOn }
    }
  }
`;
