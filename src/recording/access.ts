/**
 * Access to recordings, for the HTTP routes: each action is open to the roles the config
 * names, needs a stated reason, and every attempt — allowed, refused, or for a recording
 * that does not exist — is appended to the hash-chained access log before any byte or
 * manifest is handed out. A log that cannot be written means no access.
 */
import type { Readable } from 'node:stream';
import { maskNumber, maskPhoneNumbers } from '../log/mask.js';
import type { AccessLog, AccessLogEntry, AccessResult, ChainVerdict } from './access-log.js';
import type { RecordingArchive } from './archive.js';
import { rangeAnswer, type RangeAnswer } from './byte-range.js';
import type { RecordingAccessConfig } from './config-schema.js';
import type { HoldRequest, RecordingDisposal } from './disposal.js';
import { RecordingError } from './errors.js';
import type { RecordingIndex } from './index-store.js';
import type { AuditCheck, IntegrityAudit } from './integrity-audit.js';
import type { Manifest } from './manifest.js';
import type { RecordingMetrics } from './metrics.js';
import type { RecordingStorage } from './ports/recording-storage.js';

export type AccessAction = 'list' | 'manifest' | 'listen' | 'legal-hold.place' | 'legal-hold.clear' | 'delete' | 'integrity-check' | 'access-log.verify';

/** Which roles list of the config opens each action. */
const ROLE_LIST: Record<AccessAction, keyof Pick<RecordingAccessConfig, 'list' | 'listen' | 'legalHold' | 'delete' | 'audit'>> = {
  list: 'list',
  manifest: 'list',
  listen: 'listen',
  'legal-hold.place': 'legalHold',
  'legal-hold.clear': 'legalHold',
  delete: 'delete',
  'integrity-check': 'audit',
  'access-log.verify': 'audit',
};

/** Pure: may this role do this? */
export function roleMay(access: RecordingAccessConfig, role: string, action: AccessAction): boolean {
  return (access[ROLE_LIST[action]] as readonly string[]).includes(role);
}

export interface Accessor {
  name: string;
  role: string;
  via: string;
}

export interface ListQuery {
  callId?: string;
  ticket?: string;
  number?: string;
  from?: Date;
  to?: Date;
  limit: number;
}

export interface AudioAnswer {
  manifest: Manifest;
  range: RangeAnswer;
  /** Absent for 416. */
  body?: Readable;
}

export interface RecordingAccessDeps {
  config: RecordingAccessConfig;
  archive: RecordingArchive;
  storage: RecordingStorage;
  index: RecordingIndex;
  disposal: RecordingDisposal;
  audit: IntegrityAudit;
  log: AccessLog;
  metrics: RecordingMetrics;
}

export class RecordingAccess {
  constructor(private readonly deps: RecordingAccessDeps) {}

  get minReasonLength(): number {
    return this.deps.config.minReasonLength;
  }

  async list(who: Accessor, reason: string, query: ListQuery): Promise<Manifest[]> {
    const described = describeQuery(query);
    return this.gate(who, 'list', null, reason, described, async () => {
      const window = { from: query.from, to: query.to, limit: query.limit };
      const { index, archive } = this.deps;
      let ids: string[];
      if (query.callId) ids = [await index.byCall(query.callId)].filter((id): id is string => id !== null);
      else if (query.ticket) ids = await index.byTicket(query.ticket, window);
      else if (query.number) ids = await index.byNumber(archive.numberDigest(query.number), window);
      else ids = await index.byDate(window);
      const manifests = await Promise.all(ids.map((id) => archive.manifest(id)));
      return manifests.filter((m): m is Manifest => m !== null);
    });
  }

  manifest(who: Accessor, reason: string, recordingId: string): Promise<Manifest> {
    return this.gate(who, 'manifest', recordingId, reason, null, () => this.deps.archive.requireManifest(recordingId));
  }

  /** The audio, whole or one range; logged once the recording and the range are known, before a byte goes out. */
  audio(who: Accessor, reason: string, recordingId: string, rangeHeader: string | undefined): Promise<AudioAnswer> {
    return this.gate(who, 'listen', recordingId, reason, rangeHeader ? `range ${rangeHeader.slice(0, 40)}` : null, async () => {
      const manifest = await this.deps.archive.requireManifest(recordingId);
      if (manifest.disposition?.action === 'deleted') throw new RecordingError('disposed', `recording ${recordingId} was deleted at ${manifest.disposition.at}`);
      const range = rangeAnswer(rangeHeader, manifest.sizeBytes);
      if (range.kind === 'unsatisfiable') return { manifest, range };
      const body = await this.deps.storage.get(manifest.key, range.kind === 'partial' ? { start: range.start, end: range.end } : undefined);
      return { manifest, range, body };
    });
  }

  placeHold(who: Accessor, reason: string, recordingId: string, until: string | null): Promise<Manifest> {
    const request: HoldRequest = { reason: maskPhoneNumbers(reason), by: who.name, until };
    return this.gate(who, 'legal-hold.place', recordingId, reason, null, () => this.deps.disposal.placeHold(recordingId, request));
  }

  clearHold(who: Accessor, reason: string, recordingId: string): Promise<Manifest> {
    return this.gate(who, 'legal-hold.clear', recordingId, reason, null, () => this.deps.disposal.clearHold(recordingId));
  }

  delete(who: Accessor, reason: string, recordingId: string): Promise<Manifest> {
    return this.gate(who, 'delete', recordingId, reason, null, () => this.deps.disposal.delete(recordingId, who.name));
  }

  integrityCheck(who: Accessor, reason: string, recordingId: string): Promise<AuditCheck> {
    return this.gate(who, 'integrity-check', recordingId, reason, null, () => this.deps.audit.verify(recordingId));
  }

  verifyLog(who: Accessor, reason: string): Promise<ChainVerdict & { last: AccessLogEntry[] }> {
    return this.gate(who, 'access-log.verify', null, reason, null, async () => ({ ...(await this.deps.log.verify()), last: await this.deps.log.tail(20) }));
  }

  /**
   * The one way in: the role, then the work, then the log entry with the result, then the
   * answer. A refusal by role is logged before anything is looked at.
   */
  private async gate<T>(who: Accessor, action: AccessAction, recordingId: string | null, reason: string, query: string | null, work: () => Promise<T>): Promise<T> {
    const record = (result: AccessResult, status: number) =>
      this.deps.log.append({ actor: who.name, role: who.role, via: who.via, action, recordingId, query, reason: maskPhoneNumbers(reason), result, status });
    if (!roleMay(this.deps.config, who.role, action)) {
      await record('refused', 403);
      this.deps.metrics.access(action, 'refused');
      throw new RecordingError('forbidden', `role ${who.role} may not ${action} recordings (recording.access)`);
    }
    let answer: T;
    try {
      answer = await work();
    } catch (err) {
      if (err instanceof RecordingError) {
        const result: AccessResult = err.which === 'noSuchRecording' ? 'not-found' : 'refused';
        await record(result, err.status);
        this.deps.metrics.access(action, result);
      }
      throw err;
    }
    try {
      await record('allowed', 200);
    } catch (err) {
      // Not written down: not handed out.
      (answer as Partial<AudioAnswer> | undefined)?.body?.destroy();
      throw err;
    }
    this.deps.metrics.access(action, 'allowed');
    return answer;
  }
}

function describeQuery(query: ListQuery): string {
  const window = [query.from && `from ${query.from.toISOString()}`, query.to && `to ${query.to.toISOString()}`].filter(Boolean).join(' ');
  const by = query.callId ? `call ${query.callId}` : query.ticket ? `ticket ${query.ticket}` : query.number ? `number ${String(maskNumber(query.number))}` : 'date';
  return [by, window].filter(Boolean).join(' ');
}
