/**
 * bridges.json: the bridge operations.
 */
import { api, op, path, q, type ResourceDoc } from './build.js';
import { pick } from './models.js';

const id = path('bridgeId');
const playParams = [q('media', 'string', { required: true, multi: true }), q('lang'), q('offsetms', 'int'), q('skipms', 'int')];
const channelParams = [q('channel', 'string', { required: true, multi: true })];

export const bridgesDoc: ResourceDoc = {
  name: 'bridges',
  apis: [
    api('/bridges', op('GET', 'list', 'List[Bridge]'), op('POST', 'create', 'Bridge', [q('type'), q('bridgeId'), q('name')])),
    api('/bridges/{bridgeId}',
      op('POST', 'createWithId', 'Bridge', [id, q('type'), q('name')]),
      op('GET', 'get', 'Bridge', [id]),
      op('DELETE', 'destroy', 'void', [id])),
    api('/bridges/{bridgeId}/addChannel', op('POST', 'addChannel', 'void', [
      id, ...channelParams, q('role'), q('absorbDTMF', 'boolean'), q('mute', 'boolean'), q('inhibitConnectedLineUpdates', 'boolean'),
    ])),
    api('/bridges/{bridgeId}/removeChannel', op('POST', 'removeChannel', 'void', [id, ...channelParams])),
    api('/bridges/{bridgeId}/moh', op('POST', 'startMoh', 'void', [id, q('mohClass')]), op('DELETE', 'stopMoh', 'void', [id])),
    api('/bridges/{bridgeId}/play', op('POST', 'play', 'Playback', [id, ...playParams, q('playbackId')])),
    api('/bridges/{bridgeId}/play/{playbackId}', op('POST', 'playWithId', 'Playback', [id, path('playbackId'), ...playParams])),
    api('/bridges/{bridgeId}/record', op('POST', 'record', 'LiveRecording', [
      id, q('name', 'string', { required: true }), q('format', 'string', { required: true }), q('maxDurationSeconds', 'int'),
      q('maxSilenceSeconds', 'int'), q('ifExists'), q('beep', 'boolean'), q('terminateOn'),
    ])),
  ],
  models: pick('Bridge', 'Playback', 'LiveRecording'),
};
