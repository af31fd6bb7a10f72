// Builds scenario links as the app does, so tests can make valid, damaged and hostile links:
// format 1 (base64url of raw deflate of JSON; old links, still opened) and format 2 (the same
// bytes followed by their CRC-32, big-endian; what the app writes).
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';

// Bytes as given, text as UTF-8, anything else as its JSON.
const bytesOf = (value) =>
  value instanceof Uint8Array ? value : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

export const linkOf = (value) => '#s=1.' + deflateRawSync(bytesOf(value)).toString('base64url');

export function linkOf2(value) {
  const compressed = deflateRawSync(bytesOf(value));
  const sum = Buffer.alloc(4);
  sum.writeUInt32BE(crc32(compressed));
  return '#s=2.' + Buffer.concat([compressed, sum]).toString('base64url');
}

// `link` with the character at `at` replaced (by `A`, or `B` if it was an `A`).
export const edited = (link, at) =>
  link.slice(0, at) + (link[at] === 'A' ? 'B' : 'A') + link.slice(at + 1);

export function scenario(apps, extra = {}) {
  return {
    version: 1, name: extra.name || 'Linked', price_book: '2023-06', month: { year: 2026, month: 11 },
    environments: [{ name: 'Production', payg: true,
      apps: apps.map(([name, users]) => ({ name, connectors: 'premium', user_groups: [{ users, licence: 'none' }] })) }],
    ...extra,
  };
}

/** The scenario a link holds (`#s=1.` or `#s=2.`), or null: what a test waits for before a
 *  reload, since the app writes the link a moment after the last edit. */
export function scenarioOf(hash) {
  const m = /^#s=([12])\.(.+)$/.exec(hash || '');
  if (!m) return null;
  let bytes = Buffer.from(m[2], 'base64url');
  if (m[1] === '2') bytes = bytes.subarray(0, bytes.length - 4);
  try { return JSON.parse(inflateRawSync(bytes).toString('utf8')); } catch { return null; }
}
