/**
 * What Asterisk 22 modules read and need, for the modules the hotline loads (and the few it
 * must not): the configuration file each reads at load, the modules each declares in its
 * AST_MODULE_INFO `.requires`, and modules that cannot load together. Taken from Asterisk's
 * source (e.g. res_pjsip.c `.requires = "dnsmgr,res_pjproject,res_sorcery_config,
 * res_sorcery_memory,res_sorcery_astdb"`, chan_pjsip.c `"res_pjsip,res_pjsip_session,
 * res_pjsip_pubsub"`, res_mwi_external.c `<conflict>app_voicemail</conflict>`); `requires`
 * lists only what matters here, never core parts such as `http` or `dnsmgr`.
 *
 * A module missing from this table fails the test: add it with the files it reads.
 */
export interface ModuleFacts {
  reads?: readonly string[];
  requires?: readonly string[];
  conflicts?: readonly string[];
}

const ARI = ['res_ari.so', 'res_stasis.so'];

export const MODULES: Readonly<Record<string, ModuleFacts>> = {
  'res_timing_timerfd.so': {},
  'res_sorcery_config.so': {},
  'res_sorcery_memory.so': {},
  'res_sorcery_astdb.so': {},
  'res_pjproject.so': { reads: ['pjproject.conf'] },
  'res_rtp_asterisk.so': { reads: ['rtp.conf'] },
  'res_srtp.so': {},
  'codec_alaw.so': {},
  'codec_ulaw.so': {},
  'codec_a_mu.so': {},
  'codec_g722.so': {},
  'codec_gsm.so': {},
  'codec_resample.so': {},
  'codec_opus.so': { reads: ['codecs.conf'] },
  'res_format_attr_opus.so': {},
  'format_wav.so': {},
  'format_gsm.so': {},
  'format_pcm.so': {},
  'format_sln.so': {},
  'format_g722.so': {},
  'res_pjsip.so': { reads: ['pjsip.conf'], requires: ['res_pjproject.so', 'res_sorcery_config.so', 'res_sorcery_memory.so', 'res_sorcery_astdb.so'] },
  'res_pjsip_session.so': { requires: ['res_pjsip.so'] },
  'res_pjsip_pubsub.so': { requires: ['res_pjsip.so'] },
  'chan_pjsip.so': { requires: ['res_pjsip.so', 'res_pjsip_session.so', 'res_pjsip_pubsub.so'] },
  'res_pjsip_sdp_rtp.so': { requires: ['res_pjsip.so', 'res_pjsip_session.so'] },
  'res_pjsip_authenticator_digest.so': { requires: ['res_pjsip.so'] },
  'res_pjsip_endpoint_identifier_ip.so': { requires: ['res_pjsip.so'] },
  'res_pjsip_endpoint_identifier_user.so': { requires: ['res_pjsip.so'] },
  'res_pjsip_registrar.so': { requires: ['res_pjproject.so', 'res_pjsip.so'] },
  'res_pjsip_transport_websocket.so': { reads: ['http.conf'], requires: ['res_pjsip.so', 'res_http_websocket.so'] },
  'res_pjsip_caller_id.so': { requires: ['res_pjsip.so', 'res_pjsip_session.so'] },
  'res_pjsip_nat.so': { requires: ['res_pjsip.so'] },
  'res_pjsip_dtmf_info.so': { requires: ['res_pjsip.so', 'res_pjsip_session.so'] },
  'res_pjsip_rfc3326.so': { requires: ['res_pjsip.so', 'res_pjsip_session.so'] },
  'res_pjsip_logger.so': { requires: ['res_pjsip.so'] },
  'res_pjsip_outbound_authenticator_digest.so': { requires: ['res_pjsip.so'] },
  'res_http_websocket.so': { reads: ['http.conf'] },
  'res_stasis.so': {},
  'res_stasis_answer.so': { requires: ['res_stasis.so'] },
  'res_stasis_device_state.so': { requires: ['res_stasis.so'] },
  'res_stasis_playback.so': { requires: ['res_stasis.so', 'res_stasis_recording.so'] },
  'res_stasis_recording.so': { requires: ['res_stasis.so'] },
  'res_stasis_snoop.so': { requires: ['res_stasis.so'] },
  'res_stasis_mailbox.so': { requires: ['res_stasis.so', 'res_mwi_external.so'] },
  'res_mwi_external.so': { conflicts: ['app_voicemail.so'] },
  'res_ari.so': { reads: ['ari.conf', 'http.conf'], requires: ['res_stasis.so'] },
  'res_ari_model.so': {},
  'res_ari_applications.so': { requires: ARI },
  'res_ari_asterisk.so': { requires: ARI },
  'res_ari_bridges.so': { requires: [...ARI, 'res_stasis_playback.so', 'res_stasis_recording.so'] },
  'res_ari_channels.so': { requires: [...ARI, 'res_stasis_answer.so', 'res_stasis_playback.so', 'res_stasis_recording.so', 'res_stasis_snoop.so'] },
  'res_ari_device_states.so': { requires: [...ARI, 'res_stasis_device_state.so'] },
  'res_ari_endpoints.so': { requires: ARI },
  'res_ari_events.so': { requires: [...ARI, 'res_http_websocket.so'] },
  'res_ari_mailboxes.so': { requires: [...ARI, 'res_stasis_mailbox.so'] },
  'res_ari_playbacks.so': { requires: [...ARI, 'res_stasis_playback.so'] },
  'res_ari_recordings.so': { requires: [...ARI, 'res_stasis_recording.so'] },
  'res_ari_sounds.so': { requires: ARI },
  'chan_bridge_media.so': {},
  'bridge_simple.so': {},
  'bridge_softmix.so': {},
  'bridge_holding.so': {},
  'bridge_native_rtp.so': {},
  'bridge_builtin_features.so': { reads: ['features.conf'] },
  'pbx_config.so': { reads: ['extensions.conf'] },
  'app_stasis.so': { requires: ['res_stasis.so'] },
  'app_dial.so': {},
  'app_playback.so': {},
  'app_queue.so': { reads: ['queues.conf', 'queuerules.conf'] },
  'app_voicemail.so': { reads: ['voicemail.conf'] },
  'app_stack.so': {},
  'app_exec.so': {},
  'func_callerid.so': {},
  'func_logic.so': {},
  'func_strings.so': {},
  'func_cut.so': {},
  'func_rand.so': {},
  'res_musiconhold.so': { reads: ['musiconhold.conf'] },
  'cdr_csv.so': { reads: ['cdr.conf'] },
};

/**
 * What the core reads at every start whatever modules load; a missing one is an ERROR
 * ("Unable to load config file", config_options.c) or a warning. asterisk.conf is not
 * listed: without it the built-in defaults apply silently.
 */
export const CORE_READS: readonly string[] = [
  'modules.conf', 'logger.conf', 'indications.conf', 'http.conf', 'cdr.conf', 'cel.conf', 'features.conf',
  'acl.conf', 'udptl.conf', 'ccss.conf', 'stasis.conf', 'manager.conf',
];
