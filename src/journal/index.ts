/** The system log: incidents and link events as journald entries or RFC 5424 syslog messages. */
export * from './fields.js';
export * from './writer.js';
export * from './sink.js';
