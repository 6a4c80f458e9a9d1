import { randomBytes } from 'node:crypto';

/** A random id with a prefix that tells what it names (tm_, st_). */
export const newId = (prefix: string): string => `${prefix}_${randomBytes(9).toString('base64url')}`;
