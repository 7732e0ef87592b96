/**
 * The hotline config file: what the centre decides, as data. One validated document; each
 * feature owns its section's schema and its checks, and they are combined here and only here.
 */
import { z } from 'zod';
import { AcdConfigSchema, acdConfigFaults, callbacksConfigFaults } from '../acd/index.js';
import { AuthConfigSchema } from '../auth/index.js';
import { SatisfactionCallbackConfigSchema, surveyConfigFaults } from '../callback/index.js';
import { CalendarConfigSchema } from '../calendar/index.js';
import { CallsSchema, HotlineSectionSchema, PromptsSchema, callsConfigFaults } from '../calls/index.js';
import { CrmBridgeConfigSchema } from '../crm-bridge/config-schema.js';
import { EmergencyConfigSchema, emergencyConfigFaults } from '../emergency/index.js';
import { IvrConfigSchema, ivrConfigFaults } from '../ivr/index.js';
import { SmsConfigSchema } from '../sms/config-schema.js';
import { RecordingConfigSchema } from '../recording/config-schema.js';
import { WebCallConfigSchema } from '../webcall/config-schema.js';

export const HotlineConfigSchema = z
  .object({
    hotline: HotlineSectionSchema,
    prompts: PromptsSchema,
    calls: CallsSchema.prefault({}),
    crmBridge: CrmBridgeConfigSchema.optional(),
    calendar: CalendarConfigSchema.optional(),
    ivr: IvrConfigSchema.optional(),
    acd: AcdConfigSchema.optional(),
    emergency: EmergencyConfigSchema.optional(),
    auth: AuthConfigSchema.optional(),
    satisfactionCallback: SatisfactionCallbackConfigSchema.optional(),
    sms: SmsConfigSchema.optional(),
    recording: RecordingConfigSchema.optional(),
    webCall: WebCallConfigSchema.optional(),
  })
  .superRefine((config, ctx) => {
    // Each part's cross-section checks: the calls' numbers and prompts, the menu's names and shape.
    for (const fault of [...callsConfigFaults(config), ...ivrConfigFaults(config), ...acdConfigFaults(config), ...callbacksConfigFaults(config), ...emergencyConfigFaults(config), ...surveyConfigFaults(config)]) {
      ctx.addIssue({ code: 'custom', path: fault.path, message: fault.message });
    }
  });

export type HotlineConfig = z.infer<typeof HotlineConfigSchema>;
