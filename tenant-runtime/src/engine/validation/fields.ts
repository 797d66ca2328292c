import { z } from 'zod';
import { ISO_COUNTRY_CODES } from './country-codes.js';

/*
 * Field schemas every module's input validation reuses, so "a phone number" means the same thing everywhere.
 * Optional text treats blank as absent (forms send ''), and every length matches its column.
 */

export const requiredText = (max: number) =>
  z.string().trim().min(1, 'Required').max(max, `At most ${max} characters`);

export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `At most ${max} characters`)
    .nullish()
    .transform((v) => (v ? v : null));

export const optionalEmail = z
  .string()
  .trim()
  .max(254, 'At most 254 characters')
  .nullish()
  .transform((v) => (v ? v.toLowerCase() : null))
  .pipe(z.email('Must be a valid email address').nullable());

/** International or national format: digits with optional +, spaces, dots, dashes, parentheses; 7–15 digits. */
export const optionalPhone = z
  .string()
  .trim()
  .max(32, 'At most 32 characters')
  .nullish()
  .transform((v) => (v ? v : null))
  .refine(
    (v) => v === null || (/^\+?[0-9 ().-]+$/.test(v) && /^\d{7,15}$/.test(v.replace(/\D/g, ''))),
    'Must be a phone number of 7 to 15 digits, e.g. +1 415 555 0100',
  );

export const countryCode = z
  .string()
  .trim()
  .transform((v) => v.toUpperCase())
  .refine((v) => ISO_COUNTRY_CODES.has(v), 'Must be an ISO 3166-1 alpha-2 country code, e.g. US');

/** A money amount within [min, max], kept to cents. */
export const optionalAmount = (min: number, max: number) =>
  z
    .number()
    .min(min, `Must be at least ${min}`)
    .max(max, `Must be at most ${max}`)
    .nullish()
    .transform((v) => (v === null || v === undefined ? null : Math.round(v * 100) / 100));

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
