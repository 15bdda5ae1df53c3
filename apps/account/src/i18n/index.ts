import { en } from './en';

/** The messages of the page's language (only English so far). */
export const t = en;
