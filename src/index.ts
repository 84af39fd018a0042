/** bridgewatch library API. The CLI (src/cli/) is a thin layer over these exports. */
export * from './errors.js';
export * from './time.js';
export * from './net/mac.js';
export type * from './capture/types.js';
export { LinkType } from './capture/types.js';
export type * from './decode/events.js';
export { PacketType } from './decode/events.js';
export type * from './detect/types.js';
export type * from './links/types.js';
export type * from './correlate/types.js';
export type * from './analysis.js';
export type * from './fixer/types.js';
