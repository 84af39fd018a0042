/** Prometheus metrics of `live`: the metric set, a scrape endpoint, node_exporter textfile output. */
export { LiveMetrics, OUTAGE_BUCKETS_SECONDS, isoToEpochSeconds } from './live-metrics.js';
export { readBridge, bridgesWatchedBy } from './bridge-sysfs.js';
export { parseListen, startMetricsServer, withProcessMetrics, EXPOSITION_CONTENT_TYPE, type ListenAddress, type MetricsServer } from './server.js';
export { TextfileWriter } from './textfile.js';
