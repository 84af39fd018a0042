/** Prometheus metrics of `live`: the metric set, a scrape endpoint, node_exporter textfile output. */
export { LiveMetrics, INCIDENT_KINDS, SEVERITIES, OUTAGE_BUCKETS_SECONDS, isoToEpochSeconds, type LiveMetricsOptions } from './live-metrics.js';
export { readBridge, bridgesWatchedBy, isBridgeIn, NET_ADDR_SET, type BridgeReading, type BridgePortReading } from './bridge-sysfs.js';
export { parseListen, isLoopbackHost, startMetricsServer, withProcessMetrics, EXPOSITION_CONTENT_TYPE, type ListenAddress, type MetricsServer } from './server.js';
export { TextfileWriter } from './textfile.js';
