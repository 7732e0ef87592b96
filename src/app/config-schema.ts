/**
 * The hotline config file: what the centre decides, as data. One validated document; each
 * feature owns its section's schema and is composed here.
 */
import { z } from 'zod';
import { CrmBridgeConfigSchema } from '../crm-bridge/config-schema.js';
import { CalendarConfigSchema } from '../calendar/config-schema.js';
import { ivrConfigFaults } from '../ivr/config-check.js';
import { IvrConfigSchema } from '../ivr/config-schema.js';

/** An Asterisk sound name without extension, e.g. `hotline/welcome` → media `sound:hotline/welcome`. */
const SoundName = z.string().regex(/^[A-Za-z0-9_./-]+$/, 'a sound name: letters, digits, _ . / -').refine(
  (s) => !s.split('/').includes('..'),
  'must not contain ..',
);

export const PromptsSchema = z.object({
  defaultLanguage: z.string().min(2).default('zh'),
  /** promptId → language → sound name. */
  sounds: z.record(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'prompt ids are kebab-case'), z.record(z.string(), SoundName)),
});
export type PromptsConfig = z.infer<typeof PromptsSchema>;

export const NumberSchema = z.object({
  /** The number dialled, as the dialplan passes it to Stasis. */
  number: z.string().regex(/^[0-9]{3,20}$/, 'digits only, 3 to 20'),
  /** Tag kept on the call record: which hotline this call was for (main, 12315, 96128 …). */
  line: z.string().regex(/^[a-z0-9-]+$/, 'lowercase letters, digits and -'),
  description: z.string().optional(),
});

export const HotlineSectionSchema = z.object({
  name: z.string().min(1),
  numbers: z.array(NumberSchema).min(1),
  /** Used when a call arrives with no number or one not listed. */
  defaultLine: z.string().regex(/^[a-z0-9-]+$/),
});

export const CallsSchema = z.object({
  /** Until the IVR is configured a call hears this prompt and is hung up. */
  welcomePrompt: z.string().default('welcome'),
  /** A prompt that never finishes (a broken file, a lost event) is cut after this long. */
  maxPromptSeconds: z.number().int().positive().default(120),
});

export const HotlineConfigSchema = z
  .object({
    hotline: HotlineSectionSchema,
    prompts: PromptsSchema,
    calls: CallsSchema.prefault({}),
    crmBridge: CrmBridgeConfigSchema.optional(),
    calendar: CalendarConfigSchema.optional(),
    ivr: IvrConfigSchema.optional(),
  })
  .superRefine((config, ctx) => {
    const lines = new Set(config.hotline.numbers.map((n) => n.line));
    if (!lines.has(config.hotline.defaultLine)) {
      ctx.addIssue({
        code: 'custom',
        path: ['hotline', 'defaultLine'],
        message: `"${config.hotline.defaultLine}" is not the line of any number in hotline.numbers`,
      });
    }
    const seen = new Set<string>();
    config.hotline.numbers.forEach((n, i) => {
      if (seen.has(n.number)) {
        ctx.addIssue({ code: 'custom', path: ['hotline', 'numbers', i, 'number'], message: `${n.number} is listed twice` });
      }
      seen.add(n.number);
    });
    if (!config.prompts.sounds[config.calls.welcomePrompt]) {
      ctx.addIssue({
        code: 'custom',
        path: ['calls', 'welcomePrompt'],
        message: `unknown prompt "${config.calls.welcomePrompt}" (not in prompts.sounds)`,
      });
    }
    for (const [id, byLang] of Object.entries(config.prompts.sounds)) {
      if (!byLang[config.prompts.defaultLanguage]) {
        ctx.addIssue({
          code: 'custom',
          path: ['prompts', 'sounds', id],
          message: `no sound for the default language "${config.prompts.defaultLanguage}"`,
        });
      }
    }
    // The menu's names (nodes, prompts, queues, routes, schedules) and its shape.
    for (const fault of ivrConfigFaults(config)) ctx.addIssue({ code: 'custom', path: fault.path, message: fault.message });
  });

export type HotlineConfig = z.infer<typeof HotlineConfigSchema>;
