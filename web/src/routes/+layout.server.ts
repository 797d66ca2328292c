import type { LayoutServerLoad } from './$types';

// Only the theme here: an error thrown in the root layout would skip our error page (see require-tenant.ts).
export const load: LayoutServerLoad = ({ locals }) => ({ theme: locals.theme });
