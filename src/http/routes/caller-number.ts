/**
 * The `:number` of the operator routes: a citizen's number, checked strictly (digits, the
 * shape of a mobile or a fixed line, no service number) and normalised; the hotline's own
 * numbers (`hotline.numbers` of the config) are refused too, whatever their length.
 */
import { z } from 'zod';
import { CallerNumberSchema, normaliseNumber } from '../../ivr/index.js';

export function callerNumberParams(hotlineNumbers: readonly string[]) {
  const own = new Set(hotlineNumbers.map(normaliseNumber));
  return z.object({
    number: CallerNumberSchema.refine((n) => !own.has(n), "one of the hotline's own numbers (hotline.numbers), not a citizen's"),
  });
}
