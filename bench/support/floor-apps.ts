/**
 * The two floor apps the service's cost per call is compared with, running FloorScript:
 * (a) a bare ari-client app: its REST calls built by ari-client (swagger-client) and its
 *     events parsed into ari-client's objects, client-level listeners only;
 * (b) a raw app: one WebSocket for events and plain HTTP/1.1 keep-alive requests, no
 *     client library at all.
 */
import { Agent, request } from 'node:http';
import ari from 'ari-client';
import WebSocket from 'ws';
import { FloorScript, type FloorEvent } from './floor-script.js';

export interface FloorTarget {
  url: string;
  username: string;
  password: string;
  app: string;
}

export async function startAriClientFloor(t: FloorTarget): Promise<{ close(): void }> {
  const client = await ari.connect(t.url, t.username, t.password);
  const script = new FloorScript({
    answer: (channelId) => client.channels.answer!({ channelId }),
    play: (channelId, media, playbackId) => client.channels.play!({ channelId, media, playbackId }),
    stop: (playbackId) => client.playbacks.stop!({ playbackId }),
    hangup: (channelId) => client.channels.hangup!({ channelId }),
  });
  for (const type of ['StasisStart', 'ChannelDtmfReceived', 'PlaybackFinished', 'StasisEnd']) {
    client.on(type, (event: FloorEvent) => script.handle(event));
  }
  await client.start(t.app);
  return { close: () => client.stop() };
}

export async function startRawFloor(t: FloorTarget): Promise<{ close(): void }> {
  const base = new URL(t.url);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const authorization = `Basic ${Buffer.from(`${t.username}:${t.password}`).toString('base64')}`;
  const call = (method: string, path: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const req = request({ host: base.hostname, port: base.port, method, path: `/ari${path}`, agent, headers: { authorization } }, (res) => {
        res.resume();
        res.on('end', () => ((res.statusCode ?? 500) < 300 ? resolve() : reject(new Error(`${method} ${path}: ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end();
    });
  const id = encodeURIComponent;
  const script = new FloorScript({
    answer: (channelId) => call('POST', `/channels/${id(channelId)}/answer`),
    play: (channelId, media, playbackId) => call('POST', `/channels/${id(channelId)}/play?media=${id(media)}&playbackId=${id(playbackId)}`),
    stop: (playbackId) => call('DELETE', `/playbacks/${id(playbackId)}`),
    hangup: (channelId) => call('DELETE', `/channels/${id(channelId)}`),
  });
  const ws = new WebSocket(`ws://${base.host}/ari/events?app=${id(t.app)}&api_key=${id(`${t.username}:${t.password}`)}`);
  ws.on('message', (data) => script.handle(JSON.parse(String(data)) as FloorEvent));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    close() {
      ws.close();
      agent.destroy();
    },
  };
}
