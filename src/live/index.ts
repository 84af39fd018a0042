/** Live capture on a bridge: cap in a child process, the same detection as `analyze`, rtnetlink causes. */
export { runLive, type LiveOptions, type LiveSink, type LiveResult, type LiveRunInfo } from './session.js';
export { openLiveCapture, DEFAULT_BPF, type LiveCaptureStats } from './capture.js';
