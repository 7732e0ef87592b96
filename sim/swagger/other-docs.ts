/**
 * The smaller resource documents: asterisk, endpoints, recordings, sounds, playbacks,
 * deviceStates, mailboxes, applications.
 */
import { api, op, path, q, type ResourceDoc } from './build.js';
import { pick } from './models.js';

const rec = path('recordingName');

export const otherDocs: ResourceDoc[] = [
  {
    name: 'asterisk',
    apis: [
      api('/asterisk/info', op('GET', 'getInfo', 'AsteriskInfo', [q('only', 'string', { multi: true })])),
      api('/asterisk/ping', op('GET', 'ping', 'AsteriskPing')),
      api('/asterisk/variable',
        op('GET', 'getGlobalVar', 'Variable', [q('variable', 'string', { required: true })]),
        op('POST', 'setGlobalVar', 'void', [q('variable', 'string', { required: true }), q('value')])),
    ],
    models: pick('AsteriskInfo', 'AsteriskPing', 'Variable'),
  },
  {
    name: 'endpoints',
    apis: [
      api('/endpoints', op('GET', 'list', 'List[Endpoint]')),
      api('/endpoints/{tech}', op('GET', 'listByTech', 'List[Endpoint]', [path('tech')])),
      api('/endpoints/{tech}/{resource}', op('GET', 'get', 'Endpoint', [path('tech'), path('resource')])),
    ],
    models: pick('Endpoint'),
  },
  {
    name: 'recordings',
    apis: [
      api('/recordings/stored', op('GET', 'listStored', 'List[StoredRecording]')),
      api('/recordings/stored/{recordingName}', op('GET', 'getStored', 'StoredRecording', [rec]), op('DELETE', 'deleteStored', 'void', [rec])),
      api('/recordings/stored/{recordingName}/file', op('GET', 'getStoredFile', 'binary', [rec])),
      api('/recordings/stored/{recordingName}/copy', op('POST', 'copyStored', 'StoredRecording', [
        rec, q('destinationRecordingName', 'string', { required: true }),
      ])),
      api('/recordings/live/{recordingName}', op('GET', 'getLive', 'LiveRecording', [rec]), op('DELETE', 'cancel', 'void', [rec])),
      api('/recordings/live/{recordingName}/stop', op('POST', 'stop', 'void', [rec])),
      api('/recordings/live/{recordingName}/pause', op('POST', 'pause', 'void', [rec]), op('DELETE', 'unpause', 'void', [rec])),
      api('/recordings/live/{recordingName}/mute', op('POST', 'mute', 'void', [rec]), op('DELETE', 'unmute', 'void', [rec])),
    ],
    models: pick('StoredRecording', 'LiveRecording'),
  },
  {
    name: 'sounds',
    apis: [
      api('/sounds', op('GET', 'list', 'List[Sound]', [q('lang'), q('format')])),
      api('/sounds/{soundId}', op('GET', 'get', 'Sound', [path('soundId')])),
    ],
    models: pick('Sound', 'FormatLangPair'),
  },
  {
    name: 'playbacks',
    apis: [
      api('/playbacks/{playbackId}', op('GET', 'get', 'Playback', [path('playbackId')]), op('DELETE', 'stop', 'void', [path('playbackId')])),
      api('/playbacks/{playbackId}/control', op('POST', 'control', 'void', [path('playbackId'), q('operation', 'string', { required: true })])),
    ],
    models: pick('Playback'),
  },
  { name: 'deviceStates', apis: [api('/deviceStates', op('GET', 'list', 'List[DeviceState]'))], models: pick('DeviceState') },
  { name: 'mailboxes', apis: [api('/mailboxes', op('GET', 'list', 'List[Mailbox]'))], models: pick('Mailbox') },
  {
    name: 'applications',
    apis: [
      api('/applications', op('GET', 'list', 'List[Application]')),
      api('/applications/{applicationName}', op('GET', 'get', 'Application', [path('applicationName')])),
      api('/applications/{applicationName}/subscription',
        op('POST', 'subscribe', 'Application', [path('applicationName'), q('eventSource', 'string', { required: true, multi: true })]),
        op('DELETE', 'unsubscribe', 'Application', [path('applicationName'), q('eventSource', 'string', { required: true, multi: true })])),
    ],
    models: pick('Application'),
  },
];
