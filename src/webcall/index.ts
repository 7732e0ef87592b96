/** The citizens' web call: its config section and the settings the page reads. */
export { WebCallConfigSchema, webCallSettings, type WebCallConfig, type WebCallSettings } from './config-schema.js';
