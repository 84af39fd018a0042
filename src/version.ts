/** The tool's own version, as package.json gives it. */
import { readFileSync } from 'node:fs';

let cachedVersion: string | null = null;

/** bridgewatch's version from package.json (src/ and dist/ both sit one level below it). */
export function toolVersion(): string {
  if (cachedVersion === null) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
      cachedVersion = typeof pkg.version === 'string' ? pkg.version : '0.0.0';
    } catch {
      cachedVersion = '0.0.0';
    }
  }
  return cachedVersion;
}
