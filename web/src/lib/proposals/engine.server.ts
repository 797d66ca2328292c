import {
  renderProposalHtml,
  type ProposalDocumentMeta,
} from '@solar/tenant-runtime/modules/proposals/proposal-document';
import { storedProposal } from './engine.js';

/** The printable HTML of a stored version: the runtime's own document, from its stored inputs (server only). */
export function printableProposal(inputs: unknown, meta: ProposalDocumentMeta): string {
  return renderProposalHtml(storedProposal(inputs), meta);
}
