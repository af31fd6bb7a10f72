// Builds scenario links the way the app does (format 1: base64url of raw deflate of JSON),
// so tests can make valid, damaged and hostile links.
import { deflateRawSync } from 'node:zlib';

export const linkOf = (value) =>
  '#s=1.' + deflateRawSync(Buffer.from(typeof value === 'string' ? value : JSON.stringify(value))).toString('base64url');

export function scenario(apps, extra = {}) {
  return {
    version: 1, name: extra.name || 'Linked', price_book: '2023-06', month: { year: 2026, month: 11 },
    environments: [{ name: 'Production', payg: true,
      apps: apps.map(([name, users]) => ({ name, connectors: 'premium', user_groups: [{ users, licence: 'none' }] })) }],
    ...extra,
  };
}
