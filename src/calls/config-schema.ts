/**
 * The parts of the hotline config that every call needs, whatever feature serves it: the
 * numbers answered and their lines, the prompt catalogue, and the calls' own limits. The
 * composition root (src/app/config-schema.ts) puts them beside the features' sections.
 */
import { z } from 'zod';

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
export type HotlineSection = z.infer<typeof HotlineSectionSchema>;

export const CallsSchema = z.object({
  /** Until the IVR is configured a call hears this prompt and is hung up. */
  welcomePrompt: z.string().default('welcome'),
  /** A prompt that never finishes (a broken file, a lost event) is cut after this long. */
  maxPromptSeconds: z.number().int().positive().default(120),
  /**
   * How long a finished call's record stays in Redis after it ended (the live record holds
   * the caller's whole number: it must not outlive its use, which is re-adoption and reconcile).
   */
  endedRecordTtlSeconds: z.number().int().min(1).max(86_400).default(300),
});
export type CallsConfig = z.infer<typeof CallsSchema>;

/** What the call registry reads of the whole config. */
export interface CallsConfigView {
  hotline: HotlineSection;
  calls: CallsConfig;
}

/** The checks that concern the calls' own sections, as (path, message) pairs for the root's superRefine. */
export function callsConfigFaults(config: { hotline: HotlineSection; prompts: PromptsConfig; calls: CallsConfig }): Array<{ path: (string | number)[]; message: string }> {
  const faults: Array<{ path: (string | number)[]; message: string }> = [];
  const lines = new Set(config.hotline.numbers.map((n) => n.line));
  if (!lines.has(config.hotline.defaultLine)) {
    faults.push({ path: ['hotline', 'defaultLine'], message: `"${config.hotline.defaultLine}" is not the line of any number in hotline.numbers` });
  }
  const seen = new Set<string>();
  config.hotline.numbers.forEach((n, i) => {
    if (seen.has(n.number)) faults.push({ path: ['hotline', 'numbers', i, 'number'], message: `${n.number} is listed twice` });
    seen.add(n.number);
  });
  if (!config.prompts.sounds[config.calls.welcomePrompt]) {
    faults.push({ path: ['calls', 'welcomePrompt'], message: `unknown prompt "${config.calls.welcomePrompt}" (not in prompts.sounds)` });
  }
  for (const [id, byLang] of Object.entries(config.prompts.sounds)) {
    if (!byLang[config.prompts.defaultLanguage]) {
      faults.push({ path: ['prompts', 'sounds', id], message: `no sound for the default language "${config.prompts.defaultLanguage}"` });
    }
  }
  return faults;
}
