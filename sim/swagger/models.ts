/**
 * The resource models (Channel, Bridge, Playback, LiveRecording, …) the documents refer to.
 */
import { model, type Model } from './build.js';

export const MODELS: Record<string, Model> = {
  CallerID: model('CallerID', { name: 'string', number: 'string' }),
  DialplanCEP: model('DialplanCEP', { context: 'string', exten: 'string', priority: 'long', app_name: 'string', app_data: 'string' }),
  Channel: model('Channel', {
    id: 'string', name: 'string', state: 'string', protocol_id: 'string', caller: 'CallerID', connected: 'CallerID',
    accountcode: 'string', dialplan: 'DialplanCEP', creationtime: 'Date', language: 'string', channelvars: 'object',
  }),
  Bridge: model('Bridge', {
    id: 'string', technology: 'string', bridge_type: 'string', bridge_class: 'string', creator: 'string', name: 'string',
    channels: 'List[string]', video_mode: 'string', creationtime: 'Date',
  }),
  Playback: model('Playback', { id: 'string', media_uri: 'string', next_media_uri: 'string', target_uri: 'string', language: 'string', state: 'string' }),
  LiveRecording: model('LiveRecording', {
    name: 'string', format: 'string', target_uri: 'string', state: 'string', duration: 'int', talking_duration: 'int',
    silence_duration: 'int', cause: 'string',
  }),
  StoredRecording: model('StoredRecording', { name: 'string', format: 'string' }),
  Variable: model('Variable', { value: 'string' }),
  Application: model('Application', {
    name: 'string', channel_ids: 'List[string]', bridge_ids: 'List[string]', endpoint_ids: 'List[string]', device_names: 'List[string]',
  }),
  AsteriskInfo: model('AsteriskInfo', { build: 'object', system: 'object', config: 'object', status: 'object' }),
  AsteriskPing: model('AsteriskPing', { asterisk_id: 'string', ping: 'string', timestamp: 'string' }),
  Endpoint: model('Endpoint', { technology: 'string', resource: 'string', state: 'string', channel_ids: 'List[string]' }),
  Sound: model('Sound', { id: 'string', text: 'string', formats: 'List[FormatLangPair]' }),
  FormatLangPair: model('FormatLangPair', { language: 'string', format: 'string' }),
  DeviceState: model('DeviceState', { name: 'string', state: 'string' }),
  Mailbox: model('Mailbox', { name: 'string', old_messages: 'int', new_messages: 'int' }),
};

export function pick(...names: string[]): Record<string, Model> {
  const out: Record<string, Model> = {};
  for (const n of names) out[n] = MODELS[n]!;
  return out;
}
