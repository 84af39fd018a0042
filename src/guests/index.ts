/** Guest audit: which guests' host-side ports would take a bridge's MAC when they start. */
export * from './types.js';
export * from './chance.js';
export * from './read.js';
export * from './assess.js';
export * from './format.js';
export { parseLibvirtDomain, parseLibvirtNetwork } from './libvirt.js';
export { parseLxcConfig } from './lxc.js';
export { parseOpenvzConfig } from './openvz.js';
export { parseProxmoxConfig } from './proxmox.js';
export { parseDockerNetworks, dockerBridgeName } from './docker.js';
