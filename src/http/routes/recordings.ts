/**
 * Call recordings as an API. Every route states why (`reason`, at least
 * recording.access.minReasonLength characters) and is open to the roles recording.access
 * names; every access — allowed, refused (403, also logged) or not found — is appended to
 * the recordings' hash-chained access log before anything is handed out.
 *   GET    /recordings?reason=&callId= | ticket= | number= | from=&to=&limit=    list
 *   GET    /recordings/:recordingId?reason=                                     list (the manifest)
 *   GET    /recordings/:recordingId/audio?reason=     (Range: bytes=…)          listen
 *   POST   /recordings/:recordingId/legal-hold        { reason, until? }        legalHold
 *   DELETE /recordings/:recordingId/legal-hold?reason=                          legalHold
 *   DELETE /recordings/:recordingId?reason=   (409 before retain-until / held)  delete
 *   POST   /recordings/:recordingId/integrity-check   { reason }                audit
 *   GET    /recordings/access-log/verify?reason=                                audit
 * The number of `?number=` is digested for the look-up and never logged whole.
 */
import type { Readable } from 'node:stream';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '../../config/api-tokens.js';
import { TicketNumberSchema } from '../../crm-bridge/inbound-events.js';
import { ManifestSchema, RecordingError, RecordingIdSchema, type Manifest, type RangeAnswer, type RecordingAccess } from '../../recording/index.js';
import { actorOf, type ApiAuth } from '../auth.js';
import { HttpProblem } from '../errors.js';

export interface RecordingRouteOptions {
  access: RecordingAccess;
  auth: Pick<ApiAuth, 'require'>;
}

const Params = z.object({ recordingId: RecordingIdSchema });
const Phone = z.string().regex(/^\+?[0-9]{3,20}$/, 'a phone number: digits, optionally a leading +');
const IsoDateTime = z.iso.datetime({ offset: true });
const CODES = '403 `recording:forbidden` (role not in recording.access; logged); 404 `recording:no-such-recording`; 409 `recording:retained` / `recording:legal-hold`; 410 `recording:disposed`; 416 for a range past the end.';

export function recordingRoutes(options: RecordingRouteOptions): FastifyPluginAsync {
  const { access } = options;
  // Any signed-in actor passes the guard: the role check is recording.access's, so a refusal is logged in the chain too.
  const signedIn = options.auth.require(...ROLES);
  const Reason = z.string().trim().min(access.minReasonLength, `state why (at least ${access.minReasonLength} characters)`).max(500);
  const ReasonQuery = z.object({ reason: Reason });
  const ReasonBody = z.object({ reason: Reason }).strict();
  const ListQuery = z
    .object({
      reason: Reason,
      callId: z.string().min(1).max(200).optional(),
      ticket: TicketNumberSchema.optional(),
      number: Phone.optional(),
      from: IsoDateTime.optional(),
      to: IsoDateTime.optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    })
    .refine((q) => [q.callId, q.ticket, q.number].filter(Boolean).length <= 1, { message: 'one of callId, ticket, number at most' });
  const HoldBody = z.object({ reason: Reason, until: IsoDateTime.nullable().default(null) }).strict();
  const DigestsView = z.object({ sha256: z.string(), sm3: z.string(), sizeBytes: z.number() });
  const AuditCheckView = z.object({ recordingId: z.string(), result: z.enum(['ok', 'mismatch', 'missing', 'failed', 'skipped']), expected: DigestsView.optional(), actual: DigestsView.optional(), why: z.string().optional() });

  return async (app) => {
    app.addHook('onRequest', signedIn);
    const typed = app.withTypeProvider<ZodTypeProvider>();

    typed.get(
      '/recordings',
      { config: { audit: 'recording.list' }, schema: { querystring: ListQuery, summary: 'Recordings by call, ticket, caller number or date range (newest first)', description: CODES, tags: ['recordings'], response: { 200: z.object({ recordings: z.array(ManifestSchema) }) } } },
      async (request) => {
        const { reason, from, to, ...query } = request.query;
        return { recordings: await answer(() => access.list(who(request), reason, { ...query, from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined })) };
      },
    );

    typed.get(
      '/recordings/access-log/verify',
      { config: { audit: 'recording.access-log.verify' }, schema: { querystring: ReasonQuery, summary: "Verifies the recordings' hash-chained access log", description: CODES, tags: ['recordings'] } },
      async (request) => answer(() => access.verifyLog(who(request), request.query.reason)),
    );

    typed.get(
      '/recordings/:recordingId',
      { config: { audit: 'recording.manifest', errors: ['notFound'] }, schema: { params: Params, querystring: ReasonQuery, summary: "A recording's manifest", description: CODES, tags: ['recordings'], response: { 200: ManifestSchema } } },
      async (request) => answer(() => access.manifest(who(request), request.query.reason, request.params.recordingId)),
    );

    typed.get(
      '/recordings/:recordingId/audio',
      {
        // No automatic HEAD: it would log a listen and open the audio for nothing.
        exposeHeadRoute: false,
        config: { audit: 'recording.listen', errors: ['notFound'] },
        schema: { params: Params, querystring: ReasonQuery, summary: 'The audio, whole (200) or one byte range (206, `Range: bytes=…`)', description: CODES, tags: ['recordings'] },
      },
      async (request, reply) => {
        const range = typeof request.headers.range === 'string' ? request.headers.range : undefined;
        const audio = await answer(() => access.audio(who(request), request.query.reason, request.params.recordingId, range));
        return sendAudio(reply, audio.manifest, audio.range, audio.body);
      },
    );

    typed.post(
      '/recordings/:recordingId/legal-hold',
      { config: { audit: 'recording.legal-hold.place', errors: ['notFound'] }, schema: { params: Params, body: HoldBody, summary: 'Places a legal hold (kept past retain-until until cleared or `until`)', description: CODES, tags: ['recordings'], response: { 200: ManifestSchema } } },
      async (request) => answer(() => access.placeHold(who(request), request.body.reason, request.params.recordingId, request.body.until)),
    );

    typed.delete(
      '/recordings/:recordingId/legal-hold',
      { config: { audit: 'recording.legal-hold.clear', errors: ['notFound'] }, schema: { params: Params, querystring: ReasonQuery, summary: 'Clears the legal hold', description: CODES, tags: ['recordings'], response: { 200: ManifestSchema } } },
      async (request) => answer(() => access.clearHold(who(request), request.query.reason, request.params.recordingId)),
    );

    typed.delete(
      '/recordings/:recordingId',
      { config: { audit: 'recording.delete', errors: ['notFound', 'conflict'] }, schema: { params: Params, querystring: ReasonQuery, summary: 'Deletes the audio (never before retain-until, never under a legal hold); the manifest stays', description: CODES, tags: ['recordings'], response: { 200: ManifestSchema } } },
      async (request) => answer(() => access.delete(who(request), request.query.reason, request.params.recordingId)),
    );

    typed.post(
      '/recordings/:recordingId/integrity-check',
      { config: { audit: 'recording.integrity-check', errors: ['notFound'] }, schema: { params: Params, body: ReasonBody, summary: 'Re-hashes one recording and compares it with its manifest', description: CODES, tags: ['recordings'], response: { 200: AuditCheckView } } },
      async (request) => answer(() => access.integrityCheck(who(request), request.body.reason, request.params.recordingId)),
    );
  };
}

function who(request: FastifyRequest) {
  const actor = actorOf(request);
  return { name: actor.name, role: actor.role, via: actor.via };
}

/** The archive's refusals as HTTP problems with their codes. */
async function answer<T>(task: () => Promise<T>): Promise<T> {
  try {
    return await task();
  } catch (err) {
    if (err instanceof RecordingError) throw new HttpProblem({ status: err.status, errorId: err.code, message: err.message }, err.message);
    throw err;
  }
}

function sendAudio(reply: FastifyReply, manifest: Manifest, range: RangeAnswer, body: Readable | undefined) {
  reply.header('accept-ranges', 'bytes').header('cache-control', 'no-store');
  if (range.kind === 'unsatisfiable') {
    return reply
      .status(416)
      .header('content-range', `bytes */${manifest.sizeBytes}`)
      .type('application/json')
      .send(JSON.stringify({ error_id: 'recording:range-not-satisfiable', message: `the recording has ${manifest.sizeBytes} bytes` }));
  }
  reply.header('content-type', manifest.contentType);
  reply.header('content-disposition', `inline; filename="${manifest.recordingId}.${manifest.format === 'wav16' ? 'wav' : manifest.format}"`);
  if (range.kind === 'partial') {
    return reply.status(206).header('content-range', `bytes ${range.start}-${range.end}/${manifest.sizeBytes}`).header('content-length', range.end - range.start + 1).send(body);
  }
  return reply.status(200).header('content-length', manifest.sizeBytes).send(body);
}
