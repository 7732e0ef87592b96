/**
 * channels.json: the channel operations and the nicknames ari-client calls them by.
 */
import { api, body, op, path, q, type ResourceDoc } from './build.js';
import { pick } from './models.js';

const id = path('channelId');
const originateParams = [
  q('endpoint', 'string', { required: true }), q('extension'), q('context'), q('priority', 'long'), q('label'), q('app'),
  q('appArgs'), q('callerId'), q('timeout', 'int'), body('variables'), q('otherChannelId'), q('originator'), q('formats'),
];
const playParams = [q('media', 'string', { required: true, multi: true }), q('lang'), q('offsetms', 'int'), q('skipms', 'int')];
const recordParams = [
  q('name', 'string', { required: true }), q('format', 'string', { required: true }), q('maxDurationSeconds', 'int'),
  q('maxSilenceSeconds', 'int'), q('ifExists'), q('beep', 'boolean'), q('terminateOn'),
];
const snoopParams = [q('spy'), q('whisper'), q('app', 'string', { required: true }), q('appArgs')];

export const channelsDoc: ResourceDoc = {
  name: 'channels',
  apis: [
    api('/channels',
      op('GET', 'list', 'List[Channel]'),
      op('POST', 'originate', 'Channel', [...originateParams, q('channelId')])),
    api('/channels/create', op('POST', 'create', 'Channel', [
      q('endpoint', 'string', { required: true }), q('app', 'string', { required: true }), q('appArgs'), q('channelId'),
      q('otherChannelId'), q('originator'), q('formats'), body('variables'),
    ])),
    api('/channels/{channelId}',
      op('GET', 'get', 'Channel', [id]),
      op('POST', 'originateWithId', 'Channel', [id, ...originateParams]),
      op('DELETE', 'hangup', 'void', [id, q('reason_code'), q('reason')])),
    api('/channels/{channelId}/continue', op('POST', 'continueInDialplan', 'void', [id, q('context'), q('extension'), q('priority', 'int'), q('label')])),
    api('/channels/{channelId}/move', op('POST', 'move', 'void', [id, q('app', 'string', { required: true }), q('appArgs')])),
    api('/channels/{channelId}/redirect', op('POST', 'redirect', 'void', [id, q('endpoint', 'string', { required: true })])),
    api('/channels/{channelId}/answer', op('POST', 'answer', 'void', [id])),
    api('/channels/{channelId}/ring', op('POST', 'ring', 'void', [id]), op('DELETE', 'ringStop', 'void', [id])),
    api('/channels/{channelId}/dtmf', op('POST', 'sendDTMF', 'void', [
      id, q('dtmf'), q('before', 'int'), q('between', 'int'), q('duration', 'int'), q('after', 'int'),
    ])),
    api('/channels/{channelId}/mute', op('POST', 'mute', 'void', [id, q('direction')]), op('DELETE', 'unmute', 'void', [id, q('direction')])),
    api('/channels/{channelId}/hold', op('POST', 'hold', 'void', [id]), op('DELETE', 'unhold', 'void', [id])),
    api('/channels/{channelId}/moh', op('POST', 'startMoh', 'void', [id, q('mohClass')]), op('DELETE', 'stopMoh', 'void', [id])),
    api('/channels/{channelId}/silence', op('POST', 'startSilence', 'void', [id]), op('DELETE', 'stopSilence', 'void', [id])),
    api('/channels/{channelId}/play', op('POST', 'play', 'Playback', [id, ...playParams, q('playbackId')])),
    api('/channels/{channelId}/play/{playbackId}', op('POST', 'playWithId', 'Playback', [id, path('playbackId'), ...playParams])),
    api('/channels/{channelId}/record', op('POST', 'record', 'LiveRecording', [id, ...recordParams])),
    api('/channels/{channelId}/variable',
      op('GET', 'getChannelVar', 'Variable', [id, q('variable', 'string', { required: true })]),
      op('POST', 'setChannelVar', 'void', [id, q('variable', 'string', { required: true }), q('value')])),
    api('/channels/{channelId}/snoop', op('POST', 'snoopChannel', 'Channel', [id, ...snoopParams, q('snoopId')])),
    api('/channels/{channelId}/snoop/{snoopId}', op('POST', 'snoopChannelWithId', 'Channel', [id, path('snoopId'), ...snoopParams])),
    api('/channels/{channelId}/dial', op('POST', 'dial', 'void', [id, q('caller'), q('timeout', 'int')])),
  ],
  models: pick('Channel', 'CallerID', 'DialplanCEP', 'Playback', 'LiveRecording', 'Variable'),
};
