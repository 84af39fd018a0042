/** Live capture on a bridge: cap in a child process, the same detection as `analyze`, rtnetlink causes. */
export { runLive, type LiveOptions, type LiveSink, type LiveResult, type LiveRunInfo } from './session.js';
export {
  openLiveCapture, locateCap, classifyOpenError, interfaceExists, DEFAULT_BPF, DEFAULT_CAPTURE_BUFFER_BYTES, GRANT_HINT,
  type LiveCapture, type LiveCaptureOptions, type LiveCaptureStats, type LiveCaptureEnd, type LiveCaptureHandlers,
} from './capture.js';
export { RotatingPcapngSaver, rotatedName, type SaveOptions } from './save.js';
export { defaultInterface, defaultRouteInterfaces, isBridge } from './default-iface.js';
export { incidentRecord, incidentRow, statsLine, linkRecord, type LiveIncidentRecord, type LiveLinkRecord, type LiveStatsRecord } from './print.js';
