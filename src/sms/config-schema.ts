/**
 * The `sms` section of the hotline config: which gateway carries the texts (an SMSC over
 * SMPP, Aliyun's or Tencent Cloud's SMS API), the texts themselves as templates, the
 * promised time limits per ticket category, and the limits that protect citizens (a daily
 * cap per number, the opt-out list). Secrets are never in the file: each is named by the
 * environment variable that holds it and read at start (see readSmsSecrets).
 */
import { z } from 'zod';

const EnvName = z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'an environment variable name (A-Z, 0-9, _)');
const HttpUrl = z.url({ protocol: /^https?$/ });

export const SMS_PURPOSES = ['acceptance', 'survey', 'notice'] as const;
export type SmsPurpose = (typeof SMS_PURPOSES)[number];

const BackoffSchema = z.object({
  firstMs: z.number().int().min(1).default(1000),
  maxMs: z.number().int().min(1).default(60_000),
});

export const SmppGatewaySchema = z.object({
  kind: z.literal('smpp'),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(2775),
  systemId: z.string().min(1).max(15),
  passwordEnv: EnvName,
  systemType: z.string().max(12).default(''),
  /** The sender shown to the citizen (the hotline's number). */
  sourceAddress: z.string().min(1).max(20).default('12345'),
  /** enquire_link every this long keeps the bind alive through NATs and tells a dead link early. */
  enquireLinkMs: z.number().int().min(100).default(30_000),
  /** A submit_sm without its response after this long counts as a transient failure. */
  responseTimeoutMs: z.number().int().min(50).default(10_000),
  /** Waits between rebinds after a drop: doubling from firstMs to maxMs. */
  rebind: BackoffSchema.prefault({}),
});

/** Template-based gateways send a template id and its parameters, not free text. */
const TemplateRefSchema = z.object({
  id: z.string().min(1),
  /** The template's parameters, in order (Tencent numbers them, Aliyun names them). */
  params: z.array(z.string().regex(/^[a-zA-Z]+$/)).default([]),
});

export const AliyunGatewaySchema = z.object({
  kind: z.literal('aliyun'),
  endpoint: HttpUrl.default('https://dysmsapi.aliyuncs.com/'),
  accessKeyIdEnv: EnvName,
  accessKeySecretEnv: EnvName,
  regionId: z.string().default('cn-hangzhou'),
  signName: z.string().min(1),
  templates: z.partialRecord(z.enum(SMS_PURPOSES), TemplateRefSchema),
  timeoutMs: z.number().int().min(50).default(5000),
  /**
   * Names the secret that makes the webhook path of this provider's pushes (delivery reports,
   * citizens' texts): POST /webhooks/sms/<secret>/report and …/reply. Pushes are unsigned, so
   * the path is the secret; without it no push is taken.
   */
  pushTokenEnv: EnvName.optional(),
});

export const TencentGatewaySchema = z.object({
  kind: z.literal('tencent'),
  endpoint: HttpUrl.default('https://sms.tencentcloudapi.com/'),
  secretIdEnv: EnvName,
  secretKeyEnv: EnvName,
  region: z.string().default('ap-guangzhou'),
  smsSdkAppId: z.string().min(1),
  signName: z.string().min(1),
  templates: z.partialRecord(z.enum(SMS_PURPOSES), TemplateRefSchema),
  timeoutMs: z.number().int().min(50).default(5000),
  /**
   * Names the secret that makes the webhook path of this provider's pushes (delivery reports,
   * citizens' texts): POST /webhooks/sms/<secret>/report and …/reply. Pushes are unsigned, so
   * the path is the secret; without it no push is taken.
   */
  pushTokenEnv: EnvName.optional(),
});

export const SmsGatewayConfigSchema = z.discriminatedUnion('kind', [SmppGatewaySchema, AliyunGatewaySchema, TencentGatewaySchema]);
export type SmsGatewayConfig = z.infer<typeof SmsGatewayConfigSchema>;

export const SmsConfigSchema = z.object({
  gateway: SmsGatewayConfigSchema,
  /** Keys the digests numbers are stored under (opt-out list, daily caps): whole numbers stay out of Redis indexes. */
  numberDigestSecretEnv: EnvName,
  /** Texts per purpose; {ticketNumber}, {handlingUnit}, {workingDays}, {dueDate} and the caller's own params are filled in. */
  templates: z
    .partialRecord(z.enum(SMS_PURPOSES), z.string().min(1).max(1000))
    .default({
      acceptance: '【12345】您的诉求已受理,工单号{ticketNumber},已交{handlingUnit}办理,将在{workingDays}个工作日内({dueDate}前)答复。',
      survey: '【12345】工单{ticketNumber}已办结,请回复1-5评价:1非常满意,2满意,3基本满意,4不满意,5非常不满意。',
    }),
  acceptance: z
    .object({
      enabled: z.boolean().default(true),
      /** Shown when the ticket names no handling unit. */
      defaultHandlingUnit: z.string().default('相关单位'),
      /** Working days promised per ticket category (Shangrao art. 14). */
      timeLimits: z.record(z.string(), z.number().int().min(1).max(60)).default({ consult: 2, help: 5, suggestion: 5, complaint: 10, report: 10 }),
      /** For a category not listed, or none given. */
      defaultTimeLimit: z.number().int().min(1).max(60).default(5),
    })
    .prefault({}),
  /** Texts one number may be sent per day (all purposes together); beyond it they are suppressed. */
  dailyCapPerNumber: z.number().int().min(1).max(1000).default(5),
  /** The day of the cap, in this time zone. */
  timeZone: z.string().default('Asia/Shanghai'),
  retry: z
    .object({
      /** Sends tried at most for one text before it is given up as failed (transient failures only). */
      attempts: z.number().int().min(1).max(100).default(8),
      firstMs: z.number().int().min(1).default(2000),
      maxMs: z.number().int().min(1).default(300_000),
    })
    .prefault({}),
  /** A text claimed by an instance that died is sent again after this long. */
  leaseMs: z.number().int().min(100).default(30_000),
  /** How often the sender looks for due texts when not woken by a new one. */
  pollMs: z.number().int().min(10).default(1000),
  /** Texts submitted at the same time. */
  concurrency: z.number().int().min(1).max(256).default(8),
  /** A reply within this long after a survey text is matched to its ticket. */
  replyWindowHours: z.number().min(1).max(24 * 30).default(72),
});
export type SmsConfig = z.infer<typeof SmsConfigSchema>;
export type SmsConfigInput = z.input<typeof SmsConfigSchema>;

/** Every environment variable the section names. */
export function smsSecretEnvNames(config: SmsConfig): string[] {
  const g = config.gateway;
  const gateway = g.kind === 'smpp' ? [g.passwordEnv] : g.kind === 'aliyun' ? [g.accessKeyIdEnv, g.accessKeySecretEnv] : [g.secretIdEnv, g.secretKeyEnv];
  const push = g.kind !== 'smpp' && g.pushTokenEnv ? [g.pushTokenEnv] : [];
  return [...new Set([config.numberDigestSecretEnv, ...gateway, ...push])];
}
