/** Detection: the state machine and its options. Consumes DecodedEvents only. */
export { Detector, type DetectorState } from './detector.js';
export { DEFAULT_DETECT_OPTIONS, resolveDetectOptions, type DetectOptions } from './options.js';
export type { IncidentListener } from './incidents.js';
export { isFhrpMac } from './classify.js';
