/**
 * The supervision API behind the real guard and audit trail: supervisors (a static token,
 * a person's JWT) start, list and stop supervisions; agents are refused; bad input is 400;
 * refusals carry their codes as `error_id`; every request's audit line names the actor.
 * The supervision itself is a stand-in here (supervision.test.ts runs the real one).
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { AcdError } from '../../src/acd/index.js';
import { SupervisionError, type StartSupervision, type SupervisionActor, type SupervisionMode, type SupervisionRecord } from '../../src/acd/supervision/index.js';
import { AuthConfigSchema, createUserDirectory } from '../../src/auth/index.js';
import { ApiAuth } from '../../src/http/auth.js';
import { JwtSignIn } from '../../src/http/jwt-sign-in.js';
import { acdSupervisionRoutes } from '../../src/http/routes/acd-supervision.js';
import { buildHttpServer } from '../../src/http/server.js';
import { AUDIENCE, ISSUER, claims, makeKey, signJwt } from '../http/support/idp.js';
import { createTestLogger } from '../support/test-logger.js';

const key = makeKey('supervision-key');
const SUPERVISOR_TOKEN = 'sup-ops-desk-token-0001';
const person = (name: string, role: 'agent' | 'supervisor') => signJwt(key, claims({ sub: name, roles: [role] }));
type LogLine = Record<string, unknown> & { msg: string };

/** Answers like the real one: agent 1001 is on call 'c1', 1002 is not, others unknown. */
class FakeSupervision {
  readonly started: StartSupervision[] = [];
  readonly stopped: Array<{ id: string; actor: SupervisionActor }> = [];
  readonly switched: Array<{ id: string; mode: SupervisionMode; actor: SupervisionActor }> = [];
  readonly records = new Map<string, SupervisionRecord>();

  async start(request: StartSupervision): Promise<SupervisionRecord> {
    if (request.agentId === '1002') throw new SupervisionError('agentNotOnCall', 'agent 1002 is ready, not on a call');
    if (request.agentId !== '1001') throw new AcdError('noSuchAgent', `no agent ${request.agentId}`);
    this.started.push(request);
    const record: SupervisionRecord = {
      id: `s${this.started.length}`,
      mode: request.mode,
      agentId: request.agentId,
      callId: 'c1',
      supervisorEndpoint: request.supervisorEndpoint,
      actor: request.actor.name,
      actorRole: request.actor.role,
      phase: 'ringing',
      app: 'hotline',
      startedAt: Date.UTC(2026, 11, 2, 9, 0, 0),
    };
    this.records.set(record.id, record);
    return record;
  }

  async switchMode(id: string, mode: SupervisionMode, actor: SupervisionActor): Promise<SupervisionRecord> {
    const record = this.records.get(id);
    if (!record) throw new SupervisionError('noSuchSupervision', `no supervision ${id}`);
    if (id === 'elsewhere') throw new SupervisionError('runsElsewhere', 'runs on the instance of app hotline-2');
    this.switched.push({ id, mode, actor });
    record.mode = mode;
    return { ...record, phase: 'active' };
  }

  async stop(id: string, actor: SupervisionActor): Promise<void> {
    if (!this.records.delete(id)) throw new SupervisionError('noSuchSupervision', `no supervision ${id}`);
    this.stopped.push({ id, actor });
  }

  async list(): Promise<SupervisionRecord[]> {
    return [...this.records.values()];
  }
}

let running: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of running.splice(0)) await app.close();
});

async function startApi() {
  const lines: LogLine[] = [];
  const log = createTestLogger({ stream: { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) }, level: 'debug' });
  const signIn = new JwtSignIn({
    config: AuthConfigSchema.parse({ identityProvider: { issuer: ISSUER, audience: AUDIENCE, publicKey: key.publicKey.export({ type: 'spki', format: 'pem' }).toString() } }),
    users: createUserDirectory([]),
    log,
  });
  const auth = new ApiAuth([{ name: 'ops-desk', role: 'supervisor', token: SUPERVISOR_TOKEN }], log, { signIn });
  const supervision = new FakeSupervision();
  const app = await buildHttpServer({ log, signIn, plugins: [acdSupervisionRoutes({ supervision, auth })] });
  running.push(app);
  const call = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, who: string | null, body?: unknown) => {
    const res = await app.inject({ method, url, headers: who ? { authorization: `Bearer ${who}` } : {}, ...(body !== undefined ? { payload: body as object } : {}) });
    return { status: res.statusCode, body: res.body ? (JSON.parse(res.body) as Record<string, unknown>) : {} };
  };
  const audits = () => lines.filter((l) => l.audit === true && l.msg === 'operator API access').map((l) => ({ actor: l.actor, action: l.action, status: l.status }));
  return { app, supervision, call, audits };
}

describe('the supervision API', () => {
  it('a supervisor starts (202, ringing), lists and stops a supervision; each request audited with the actor', async () => {
    const api = await startApi();
    const lead = person('li-na', 'supervisor');
    const started = await api.call('POST', '/acd/agents/1001/supervise', lead, { mode: 'whisper', endpoint: 'PJSIP/1101' });
    expect(started).toEqual({
      status: 202,
      body: { supervisionId: 's1', mode: 'whisper', agentId: '1001', callId: 'c1', supervisorEndpoint: 'PJSIP/1101', actor: 'li-na', phase: 'ringing', startedAt: '2026-12-02T09:00:00.000Z' },
    });
    expect(api.supervision.started).toEqual([{ mode: 'whisper', agentId: '1001', supervisorEndpoint: 'PJSIP/1101', actor: { name: 'li-na', role: 'supervisor' } }]);

    expect(await api.call('GET', '/acd/supervisions', SUPERVISOR_TOKEN)).toMatchObject({ status: 200, body: { supervisions: [{ supervisionId: 's1', actor: 'li-na' }] } });
    expect(await api.call('PATCH', '/acd/supervisions/s1', lead, { mode: 'barge' })).toMatchObject({ status: 200, body: { supervisionId: 's1', mode: 'barge', phase: 'active' } });
    expect(api.supervision.switched).toEqual([{ id: 's1', mode: 'barge', actor: { name: 'li-na', role: 'supervisor' } }]);
    expect(await api.call('DELETE', '/acd/supervisions/s1', SUPERVISOR_TOKEN)).toEqual({ status: 204, body: {} });
    expect(api.supervision.stopped).toEqual([{ id: 's1', actor: { name: 'ops-desk', role: 'supervisor' } }]);
    expect(api.audits()).toEqual([
      { actor: 'li-na', action: 'acd.supervision.start', status: 202 },
      { actor: 'ops-desk', action: 'acd.supervision.list', status: 200 },
      { actor: 'li-na', action: 'acd.supervision.switch', status: 200 },
      { actor: 'ops-desk', action: 'acd.supervision.stop', status: 204 },
    ]);
  });

  it('refusals carry their codes: 404 unknown agent or supervision, 409 agent not on a call', async () => {
    const api = await startApi();
    const problem = async (res: Promise<{ status: number; body: Record<string, unknown> }>) => {
      const { status, body } = await res;
      return { status, error_id: body.error_id };
    };
    expect(await problem(api.call('POST', '/acd/agents/1002/supervise', SUPERVISOR_TOKEN, { mode: 'listen', endpoint: 'PJSIP/1101' }))).toEqual({ status: 409, error_id: 'acd:agent-not-on-call' });
    expect(await problem(api.call('POST', '/acd/agents/9999/supervise', SUPERVISOR_TOKEN, { mode: 'listen', endpoint: 'PJSIP/1101' }))).toEqual({ status: 404, error_id: 'acd:no-such-agent' });
    expect(await problem(api.call('DELETE', '/acd/supervisions/nope', SUPERVISOR_TOKEN))).toEqual({ status: 404, error_id: 'acd:no-such-supervision' });
    expect(await problem(api.call('PATCH', '/acd/supervisions/nope', SUPERVISOR_TOKEN, { mode: 'listen' }))).toEqual({ status: 404, error_id: 'acd:no-such-supervision' });
    api.supervision.records.set('elsewhere', { ...(await api.supervision.start({ mode: 'listen', agentId: '1001', supervisorEndpoint: 'PJSIP/1101', actor: { name: 'x', role: 'supervisor' } })), id: 'elsewhere' });
    expect(await problem(api.call('PATCH', '/acd/supervisions/elsewhere', SUPERVISOR_TOKEN, { mode: 'barge' }))).toEqual({ status: 409, error_id: 'acd:supervision-elsewhere' });
    expect(await problem(api.call('PATCH', '/acd/supervisions/s1', SUPERVISOR_TOKEN, { mode: 'shout' }))).toEqual({ status: 400, error_id: 'invalid-request' });
  });

  it('bad input is 400 and nothing starts: an unknown mode, an endpoint that is not a seat (a number, a dial string out, a Local channel), extra fields', async () => {
    const api = await startApi();
    const bodies = [
      { mode: 'spy', endpoint: 'PJSIP/1101' },
      { mode: 'listen', endpoint: '13800138000' },
      { mode: 'listen', endpoint: 'PJSIP/13800138000@callback-trunk' },
      { mode: 'listen', endpoint: 'Local/12345@incoming' },
      { mode: 'listen', endpoint: 'PJSIP/1101', record: true },
      { mode: 'listen' },
    ];
    for (const body of bodies) {
      expect(await api.call('POST', '/acd/agents/1001/supervise', SUPERVISOR_TOKEN, body)).toMatchObject({ status: 400, body: { error_id: 'invalid-request' } });
    }
    expect(api.supervision.started).toEqual([]);
  });

  it('no token is 401; an agent is 403, even on its own call', async () => {
    const api = await startApi();
    const body = { mode: 'listen', endpoint: 'PJSIP/1101' };
    expect(await api.call('POST', '/acd/agents/1001/supervise', null, body)).toMatchObject({ status: 401, body: { error_id: 'unauthorized' } });
    expect(await api.call('POST', '/acd/agents/1001/supervise', person('1001', 'agent'), body)).toMatchObject({ status: 403, body: { error_id: 'forbidden' } });
    expect(await api.call('GET', '/acd/supervisions', person('1001', 'agent'))).toMatchObject({ status: 403 });
    expect(api.supervision.started).toEqual([]);
  });
});
