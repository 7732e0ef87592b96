/**
 * `npm run demo` as a newcomer meets it: it prints the simulator's login, and that login
 * works on the documented control API; the ports are theirs to choose; a port already taken
 * stops it with one clear line, not a stack.
 */
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { freePort } from '../../bench/support/private-redis.js';
import { useDemoProcesses } from './support/demo-process.js';

const startDemo = useDemoProcesses('demo-test');

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((resolve) => s.close(resolve));
});

describe('npm run demo', () => {
  it('prints the simulator login, which works on the control API, on the ports it was given', async () => {
    const [simPort, backendPort, httpPort] = [await freePort(), await freePort(), await freePort()];
    const demo = startDemo({ SIM_PORT: String(simPort), DEMO_TICKET_BACKEND_PORT: String(backendPort), HTTP_PORT: String(httpPort), HTTP_HOST: '127.0.0.1' });
    const start = await vi.waitFor(
      () => {
        expect(demo.child.exitCode, demo.stderr.join('')).toBeNull();
        const line = demo.lines().find((l) => typeof l.simulatorLogin === 'string');
        expect(line).toBeDefined();
        return line!;
      },
      { timeout: 30_000, interval: 100 },
    );
    expect(start.simulator).toBe(`http://127.0.0.1:${simPort}`);
    expect(start.serviceUrl).toBe(`http://127.0.0.1:${httpPort}`);
    const login = Buffer.from(start.simulatorLogin as string).toString('base64');

    // The documented control API, with the printed credentials: place a call, see it.
    const placed = await fetch(`http://127.0.0.1:${simPort}/sim/calls`, {
      method: 'POST',
      headers: { authorization: `Basic ${login}`, 'content-type': 'application/json' },
      body: JSON.stringify({ from: '13912345678', dialled: '12345' }),
    });
    expect(placed.status).toBeLessThan(300);
    const { id } = (await placed.json()) as { id: string };
    const channels = await fetch(`http://127.0.0.1:${simPort}/sim/channels`, { headers: { authorization: `Basic ${login}` } });
    expect(channels.status).toBe(200);
    expect(((await channels.json()) as Array<{ id: string }>).map((c) => c.id)).toContain(id);
    const refused = await fetch(`http://127.0.0.1:${simPort}/sim/channels`, { headers: { authorization: `Basic ${Buffer.from('hotline:wrong').toString('base64')}` } });
    expect(refused.status).toBe(401);

    // The service answered that call (the summary line comes from the service's own events).
    await vi.waitFor(() => expect(demo.lines().some((l) => l.msg === 'call in')).toBe(true), { timeout: 10_000, interval: 100 });
    // The ticket backend listens where it was told, and the service found it.
    expect((await fetch(`http://127.0.0.1:${httpPort}/readyz`)).status).toBe(200);
  }, 60_000);

  it('a port already taken: one line naming it and the variable that moves it, exit code 1', async () => {
    const busy = createServer();
    servers.push(busy);
    const port = await new Promise<number>((resolve) => busy.listen(0, '127.0.0.1', () => resolve((busy.address() as { port: number }).port)));
    const demo = startDemo({ SIM_PORT: String(port), DEMO_TICKET_BACKEND_PORT: String(await freePort()), HTTP_PORT: String(await freePort()) });
    expect(await demo.exited).toBe(1);
    const stderr = demo.stderr.join('').trim();
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toBe(`port ${port} is already in use (the ARI simulator): stop what holds it, or set SIM_PORT to another port`);
  }, 30_000);
});
