/**
 * The `netlink` package, loaded on first use: only live rtnetlink (`live`, watchLinks) needs it,
 * and loading it (native binding and generated parsers, ~40 ms CPU) would otherwise be paid by
 * every command at startup, `analyze` included. Loaded with require, not import(): the package is
 * CommonJS, and LinkTracker.handle must stay synchronous.
 */
import { createRequire } from 'node:module';
import type * as Netlink from 'netlink';

let loaded: typeof Netlink | undefined;

function load(): typeof Netlink {
  loaded ??= createRequire(import.meta.url)('netlink') as typeof Netlink;
  return loaded;
}

/** `netlink`'s createRtNetlink (opens an rtnetlink socket). */
export function createRtNetlink(options?: Parameters<typeof Netlink.createRtNetlink>[0]): ReturnType<typeof Netlink.createRtNetlink> {
  return load().createRtNetlink(options);
}

/** `netlink`'s rt.parseLinkMessage (an RTM_NEWLINK/RTM_DELLINK payload; throws when malformed). */
export function parseLinkMessage(data: Buffer): ReturnType<typeof Netlink.rt.parseLinkMessage> {
  return load().rt.parseLinkMessage(data);
}
