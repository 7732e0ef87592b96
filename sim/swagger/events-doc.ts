/**
 * events.json: the WebSocket operation and one model per event type the simulator emits.
 * ari-client looks every incoming event up here and turns properties typed Channel, Bridge,
 * Playback or LiveRecording into objects; a type missing from this list makes its message
 * handler throw, so every emitted type must be declared.
 */
import { api, model, op, path, q, type Model, type ResourceDoc } from './build.js';
import { pick } from './models.js';

const base = { type: 'string', application: 'string', timestamp: 'Date', asterisk_id: 'string' };
const ev = (id: string, props: Record<string, string>): Model => model(id, { ...base, ...props });

const EVENTS: Model[] = [
  ev('StasisStart', { args: 'List[string]', channel: 'Channel', replace_channel: 'Channel' }),
  ev('StasisEnd', { channel: 'Channel' }),
  ev('ChannelCreated', { channel: 'Channel' }),
  ev('ChannelDestroyed', { cause: 'int', cause_txt: 'string', tech_cause: 'int', channel: 'Channel' }),
  ev('ChannelStateChange', { channel: 'Channel' }),
  ev('ChannelDtmfReceived', { digit: 'string', duration_ms: 'int', channel: 'Channel' }),
  ev('ChannelHold', { musicclass: 'string', channel: 'Channel' }),
  ev('ChannelUnhold', { channel: 'Channel' }),
  ev('ChannelHangupRequest', { cause: 'int', tech_cause: 'int', soft: 'boolean', channel: 'Channel' }),
  ev('ChannelVarset', { variable: 'string', value: 'string', channel: 'Channel' }),
  ev('ChannelCallerId', { caller_presentation: 'int', caller_presentation_txt: 'string', channel: 'Channel' }),
  ev('ChannelConnectedLine', { channel: 'Channel' }),
  ev('ChannelDialplan', { dialplan_app: 'string', dialplan_app_data: 'string', channel: 'Channel' }),
  ev('ChannelUserevent', { eventname: 'string', userevent: 'object', channel: 'Channel', bridge: 'Bridge' }),
  ev('ChannelEnteredBridge', { bridge: 'Bridge', channel: 'Channel' }),
  ev('ChannelLeftBridge', { bridge: 'Bridge', channel: 'Channel' }),
  ev('BridgeCreated', { bridge: 'Bridge' }),
  ev('BridgeDestroyed', { bridge: 'Bridge' }),
  ev('PlaybackStarted', { playback: 'Playback' }),
  ev('PlaybackContinuing', { playback: 'Playback' }),
  ev('PlaybackFinished', { playback: 'Playback' }),
  ev('RecordingStarted', { recording: 'LiveRecording' }),
  ev('RecordingFinished', { recording: 'LiveRecording' }),
  ev('RecordingFailed', { recording: 'LiveRecording' }),
  ev('Dial', { caller: 'Channel', peer: 'Channel', forward: 'string', forwarded: 'Channel', dialstring: 'string', dialstatus: 'string' }),
  ev('ApplicationReplaced', {}),
  ev('EndpointStateChange', { endpoint: 'Endpoint' }),
  ev('PeerStatusChange', { endpoint: 'Endpoint', peer: 'Peer' }),
  ev('ContactStatusChange', { endpoint: 'Endpoint', contact_info: 'ContactInfo' }),
];

/** Every event type the simulator may send; tests check emitted types against it. */
export const EVENT_TYPES: readonly string[] = EVENTS.map((m) => m.id);

export const eventsDoc: ResourceDoc = {
  name: 'events',
  apis: [
    api('/events', op('GET', 'eventWebsocket', 'Message', [q('app', 'string', { required: true, multi: true }), q('subscribeAll', 'boolean')])),
    api('/events/user/{eventName}', op('POST', 'userEvent', 'void', [
      path('eventName'), q('application', 'string', { required: true }), q('source', 'string', { multi: true }),
    ])),
  ],
  models: {
    Message: model('Message', { type: 'string', asterisk_id: 'string' }),
    Event: model('Event', base),
    ...Object.fromEntries(EVENTS.map((m) => [m.id, m])),
    Peer: model('Peer', { peer_status: 'string', cause: 'string', address: 'string', port: 'string', time: 'string' }),
    ContactInfo: model('ContactInfo', { uri: 'string', contact_status: 'string', aor: 'string', roundtrip_usec: 'string' }),
    ...pick('Channel', 'Bridge', 'Playback', 'LiveRecording', 'CallerID', 'DialplanCEP', 'Endpoint'),
  },
};
