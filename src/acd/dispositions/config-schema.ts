/**
 * `acd.dispositions`: how an agent classifies a call while wrapping it up (话后小结), as
 * data. Each code has its words in both languages of the desk; the ticket backend receives
 * the code (`call.disposition`). The default list is the classification 12345 centres use
 * for a call's matter (GB/T 33358-2016's service types, and the centres' own "invalid call"
 * and "forwarded" entries).
 */
import { z } from 'zod';

/** The longest note an agent may add to a disposition: a line, not the ticket's text (that is the ticket backend's). */
export const MAX_DISPOSITION_NOTE_LENGTH = 200;

export const DispositionSchema = z
  .object({
    code: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'disposition codes are kebab-case, at most 40 characters'),
    zh: z.string().min(1).max(20),
    en: z.string().min(1).max(40),
  })
  .strict();
export type Disposition = z.infer<typeof DispositionSchema>;

export const DEFAULT_DISPOSITIONS: readonly Disposition[] = [
  { code: 'consultation', zh: '咨询', en: 'Consultation' },
  { code: 'help', zh: '求助', en: 'Request for help' },
  { code: 'complaint', zh: '投诉', en: 'Complaint' },
  { code: 'report', zh: '举报', en: 'Report' },
  { code: 'suggestion', zh: '建议', en: 'Suggestion' },
  { code: 'praise', zh: '表扬', en: 'Praise' },
  { code: 'forwarded', zh: '转办', en: 'Forwarded to a unit' },
  { code: 'resolved-on-call', zh: '直接办结', en: 'Resolved on the call' },
  { code: 'follow-up', zh: '催办', en: 'Chasing an open ticket' },
  { code: 'invalid', zh: '无效来电', en: 'No matter (silent, prank, wrong number)' },
];

export const DispositionsSchema = z
  .array(DispositionSchema)
  .min(1)
  .max(50)
  .refine((list) => new Set(list.map((d) => d.code)).size === list.length, 'disposition codes must be unique')
  .default(() => DEFAULT_DISPOSITIONS.map((d) => ({ ...d })));
