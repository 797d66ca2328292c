import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

/** Leads is the home screen for now. */
export const load: PageServerLoad = () => redirect(307, '/leads');
