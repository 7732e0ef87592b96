/**
 * Pausing a call's recording while the caller gives what must not be kept (a card number
 * and the like), and resuming it. The agent on the call or a supervisor; every pause is
 * logged and kept in the recording's manifest (who, when, why); paused audio is not in the
 * file.
 *
 *   POST /recording/calls/:callId/pause    { reason? }   → 200 the recording's state and pauses
 *   POST /recording/calls/:callId/resume                → 200
 *
 * 404 `recording:unknown-call`: no such call here; 409 `recording:not-recording` (not
 * recorded, or not yet / no longer), `recording:already-paused`, `recording:not-paused`;
 * 403 for an agent on someone else's call.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CAPTURE_ERROR_STATUS, CaptureError, type CallRecorder, type RecordingStatus } from '../../recording/capture/index.js';
import { actorOf, type ApiAuth } from '../auth.js';
import { HTTP_ERRORS, HttpProblem } from '../errors.js';

const Params = z.object({ callId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'a call id') });
const PauseBody = z.object({ reason: z.string().trim().min(1).max(200).optional() }).strict();
const Status = z.object({
  callId: z.string(),
  state: z.enum(['starting', 'recording', 'paused', 'failed', 'stopping']),
  asteriskName: z.string(),
  pauses: z.array(z.object({ pausedAt: z.string(), resumedAt: z.string().nullable(), by: z.string(), reason: z.string().nullable() })),
});
const CODES = '404 `recording:unknown-call`; 409 `recording:not-recording`, `recording:already-paused`, `recording:not-paused`; 403 an agent on another agent\'s call.';

export function recordingPauseRoutes(options: { recorder: Pick<CallRecorder, 'pause' | 'resume' | 'agentOn'>; auth: Pick<ApiAuth, 'require'> }): FastifyPluginAsync {
  const guard = options.auth.require('agent', 'supervisor');
  const { recorder } = options;

  /** An agent acts on the call they answered only; supervisors (and admins) on any. */
  async function onCall(request: FastifyRequest, callId: string, work: (by: string) => Promise<RecordingStatus>): Promise<RecordingStatus> {
    const actor = actorOf(request);
    if (actor.role === 'agent' && recorder.agentOn(callId) !== actor.name) {
      throw new HttpProblem(HTTP_ERRORS.forbidden, 'an agent pauses the recording of their own call only');
    }
    try {
      return await work(actor.name);
    } catch (err) {
      if (err instanceof CaptureError) throw new HttpProblem({ status: CAPTURE_ERROR_STATUS[err.code], errorId: err.code, message: err.message }, err.message);
      throw err;
    }
  }

  return async (app) => {
    const typed = app.withTypeProvider<ZodTypeProvider>();
    typed.post(
      '/recording/calls/:callId/pause',
      { onRequest: guard, schema: { params: Params, body: PauseBody.optional(), response: { 200: Status }, description: `Pause the call's recording (paused audio is not kept). ${CODES}` }, config: { audit: 'recording.pause' } },
      (request) => onCall(request, request.params.callId, (by) => recorder.pause(request.params.callId, by, request.body?.reason ?? null)),
    );
    typed.post(
      '/recording/calls/:callId/resume',
      { onRequest: guard, schema: { params: Params, response: { 200: Status }, description: `Resume the call's recording. ${CODES}` }, config: { audit: 'recording.resume' } },
      (request) => onCall(request, request.params.callId, (by) => recorder.resume(request.params.callId, by)),
    );
  };
}
