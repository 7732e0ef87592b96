/**
 * What the adapter does with ari-client's answers and arguments: results parsed with the
 * resources' zod schemas once ari-client's own members are dropped, and query parameters
 * without the undefined ones.
 */
import { z } from 'zod';

/** Drops ari-client's own members (`_client`, `_generatedId`) and methods before parsing. */
export function plain(raw: unknown): unknown {
  if (Array.isArray(raw)) return raw.map(plain);
  if (typeof raw !== 'object' || raw === null || Buffer.isBuffer(raw)) return raw;
  return Object.fromEntries(
    Object.entries(raw).filter(([key, value]) => !key.startsWith('_') && typeof value !== 'function'),
  );
}

export const parseWith = <T>(schema: z.ZodType<T>) => (raw: unknown): T => schema.parse(plain(raw));
export const ignore = (): void => {};

/** Query parameters without the undefined ones (swagger-client would send "undefined"). */
export function params(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

export const VariableSchema = z.object({ value: z.string() });
