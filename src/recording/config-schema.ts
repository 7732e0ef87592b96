/**
 * `recording`: where finished call recordings are kept, for how long, and who may reach them.
 * Every call is recorded and kept at least 3 years (Shangrao art. 13(9)); recordings hold
 * citizens' voices and numbers, so access is by role, with a stated reason, and audited
 * (DOMAIN.md clauses 7–8). Credentials are never in the file: it names environment variables.
 */
import { z } from 'zod';
import { ROLES } from '../config/api-tokens.js';
import { CaptureConfigSchema } from './capture/config-schema.js';

/** The law's floor (Shangrao art. 13(9)); a configuration below it refuses to start. */
export const MIN_RETENTION_YEARS = 3;

const EnvName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'the name of an environment variable, e.g. RECORDING_S3_SECRET_KEY');
const Roles = z.array(z.enum(ROLES)).min(1);

const FsStorageSchema = z
  .object({
    kind: z.literal('fs'),
    /** Audio and manifests under `<root>/YYYY/MM/DD/`; staging under `<root>/.staging` (same file system, so a rename). */
    root: z.string().min(1),
    /** Where `action: archive-tier` moves expired recordings (another disk, a slower mount). */
    archiveRoot: z.string().min(1).optional(),
  })
  .strict();

const S3StorageSchema = z
  .object({
    kind: z.literal('s3'),
    /** A bucket created with Object Lock enabled (versioned); every object gets COMPLIANCE retention. */
    bucket: z.string().min(3).max(63),
    region: z.string().min(1),
    /** An S3-compatible store (MinIO, Ceph RGW, a cloud's OSS endpoint). */
    endpoint: z.url().optional(),
    forcePathStyle: z.boolean().default(false),
    prefix: z.string().regex(/^([A-Za-z0-9!_.*'()-]+\/)*$/, 'empty or path segments each ending with /').default(''),
    /** The environment variables holding the keys; absent: the SDK's default chain (instance role …). */
    credentials: z.object({ accessKeyIdEnv: EnvName, secretAccessKeyEnv: EnvName }).strict().optional(),
    /** Where a recording is staged while its digests are computed (the PUT carries the SHA-256). */
    spoolDir: z.string().min(1).default('var/recording-spool'),
    /** The storage class `action: archive-tier` changes expired recordings to. */
    archiveStorageClass: z.enum(['STANDARD_IA', 'GLACIER', 'GLACIER_IR', 'DEEP_ARCHIVE']).default('GLACIER_IR'),
  })
  .strict();

export const RecordingStorageConfigSchema = z.discriminatedUnion('kind', [FsStorageSchema, S3StorageSchema]);

export const RecordingConfigSchema = z
  .object({
    capture: CaptureConfigSchema.prefault({}),
    storage: RecordingStorageConfigSchema,
    retention: z
      .object({
        years: z
          .number()
          .int()
          .min(MIN_RETENTION_YEARS, `call recordings are kept at least ${MIN_RETENTION_YEARS} years (Shangrao art. 13(9)); a shorter retention is refused`)
          .max(30)
          .default(MIN_RETENTION_YEARS),
        /** How often the sweeper looks for expired recordings. */
        sweepEveryMinutes: z.number().int().min(1).max(7 * 24 * 60).default(24 * 60),
        /** What happens to an expired recording that no legal hold keeps. */
        action: z.enum(['delete', 'archive-tier']).default('delete'),
      })
      .strict()
      .prefault({}),
    access: z
      .object({
        list: Roles.default(['supervisor', 'admin']),
        listen: Roles.default(['supervisor', 'admin']),
        legalHold: Roles.default(['admin']),
        /** Deleting by hand (never before retain-until, never under a hold) and verifying the access log. */
        delete: Roles.default(['admin']),
        audit: Roles.default(['admin']),
        /** Every access states why; shorter reasons are refused (400). */
        minReasonLength: z.number().int().min(1).max(200).default(8),
        /** The key of the callers' numbers' lookup digests (HMAC-SHA256), at least 32 characters. */
        numberKeyEnv: EnvName.default('RECORDING_NUMBER_KEY'),
      })
      .strict()
      .prefault({}),
    audit: z
      .object({
        /** Recordings re-hashed per integrity audit, drawn at random. */
        sampleSize: z.number().int().min(0).max(10_000).default(20),
        everyMinutes: z.number().int().min(1).max(7 * 24 * 60).default(6 * 60),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    for (const fault of recordingConfigFaults(config)) ctx.addIssue({ code: 'custom', path: fault.path, message: fault.message });
  });

export type RecordingConfig = z.infer<typeof RecordingConfigSchema>;
export type RecordingConfigInput = z.input<typeof RecordingConfigSchema>;
export type RecordingStorageConfig = z.infer<typeof RecordingStorageConfigSchema>;
export type RecordingAccessConfig = RecordingConfig['access'];

export interface RecordingFault {
  path: Array<string | number>;
  message: string;
}

/** Checks across fields: an archive tier needs somewhere to go. */
export function recordingConfigFaults(config: Pick<RecordingConfig, 'storage' | 'retention'>): RecordingFault[] {
  const faults: RecordingFault[] = [];
  if (config.retention.action === 'archive-tier' && config.storage.kind === 'fs' && !config.storage.archiveRoot) {
    faults.push({ path: ['storage', 'archiveRoot'], message: 'retention.action archive-tier on fs storage needs storage.archiveRoot (where expired recordings move)' });
  }
  return faults;
}

/** The secrets the section names, read from the environment; faults name each one missing or too short. */
export function readRecordingSecrets(config: RecordingConfig, env: Record<string, string | undefined>): { secrets: RecordingSecrets; faults: RecordingFault[] } {
  const faults: RecordingFault[] = [];
  const numberKey = env[config.access.numberKeyEnv] ?? '';
  if (numberKey.length < 32) faults.push({ path: ['env', config.access.numberKeyEnv], message: 'the recordings\' number lookup key: at least 32 characters (openssl rand -base64 48)' });
  let s3: RecordingSecrets['s3'];
  if (config.storage.kind === 's3' && config.storage.credentials) {
    const { accessKeyIdEnv, secretAccessKeyEnv } = config.storage.credentials;
    const accessKeyId = env[accessKeyIdEnv];
    const secretAccessKey = env[secretAccessKeyEnv];
    if (!accessKeyId) faults.push({ path: ['env', accessKeyIdEnv], message: 'the S3 access key id named by recording.storage.credentials' });
    if (!secretAccessKey) faults.push({ path: ['env', secretAccessKeyEnv], message: 'the S3 secret key named by recording.storage.credentials' });
    if (accessKeyId && secretAccessKey) s3 = { accessKeyId, secretAccessKey };
  }
  return { secrets: { numberKey, s3 }, faults };
}

export interface RecordingSecrets {
  numberKey: string;
  s3?: { accessKeyId: string; secretAccessKey: string };
}
