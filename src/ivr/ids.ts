/** The names the IVR config uses for its parts; one definition each. */
import { z } from 'zod';

const kebab = /^[a-z0-9][a-z0-9-]*$/;

export const NodeId = z.string().regex(kebab, 'node ids are kebab-case');
export const PromptId = z.string().regex(kebab, 'prompt ids are kebab-case');
export const QueueName = z.string().regex(kebab, 'queue names are kebab-case');
export const RouteName = z.string().regex(kebab, 'route names are kebab-case');
/** One DTMF key. */
export const Key = z.string().regex(/^[0-9*#]$/, 'one key: 0-9, * or #');
/** A phone number to dial out to. */
export const DialNumber = z.string().regex(/^[0-9]{3,20}$/, 'digits only, 3 to 20');
