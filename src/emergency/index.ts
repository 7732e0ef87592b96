/**
 * Emergency linkage over ARI: 110/119/120/122 and the utility hotlines, with failover and a
 * receipt, depending on nothing but Asterisk. Public face for the wiring.
 */
export { EmergencyConfigSchema, emergencyConfigFaults, type EmergencyConfig, type EmergencyRoute, type EmergencyTarget, type EmergencyFault } from './config-schema.js';
export { EmergencyLinkage, EMERGENCY_ROLE, EMERGENCY_LEG_PREFIX, type EmergencyLinkageDeps } from './linkage.js';
export { attemptOutcome } from './leg-watch.js';
export { createEmergencyMetrics, type EmergencyMetrics } from './metrics.js';
