import type { SettingValue } from '../model/environment-types.js';

/**
 * Why a plain setting looks like a credential:
 * - `url-password`: a URL with a password (`postgres://user:pw@host/db`);
 * - `credential-param`: a `password=`, `pwd=`, `token=`, `secret=`, `api_key=`, `access_token=` or
 *   `client_secret=` parameter with a value (URL query strings and `key=value` connection strings);
 * - `private-key`: a PEM private key block;
 * - `token-prefix`: a well-known token format (GitHub `ghp_`/`gho_`/`ghs_`/`ghu_`/`ghr_`/`github_pat_`,
 *   Slack `xox?-`, AWS access key ids `AKIA`/`ASIA`, Stripe `sk_live_`, GitLab `glpat-`, npm `npm_`);
 * - `secret-name`: a variable whose name has a part PASSWORD, PASSWD, SECRET, TOKEN, CREDENTIALS,
 *   or API KEY / PRIVATE KEY (parts split on `_`, `.` and `-`) with a plain value other than a
 *   number or `true`/`false`.
 * @internal
 */
export type PlainCredentialRule = 'url-password' | 'credential-param' | 'private-key' | 'token-prefix' | 'secret-name';

const VALUE_RULES: [PlainCredentialRule, RegExp, string][] = [
  ['url-password', /[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*:[^\s/?#@]+@/i, 'a URL with a password'],
  [
    'credential-param',
    /(?:^|[?&;\s])(?:password|passwd|pwd|token|secret|api[_-]?key|access[_-]?token|client[_-]?secret)=[^&;\s]+/i,
    'a password or token parameter',
  ],
  ['private-key', /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/, 'a private key'],
  [
    'token-prefix',
    /\b(?:(?:ghp|gho|ghs|ghu|ghr)_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|xox[abposr]-[A-Za-z0-9-]{10,}|(?:AKIA|ASIA)[0-9A-Z]{16}|sk_live_[A-Za-z0-9]{16,}|glpat-[A-Za-z0-9_-]{20,}|npm_[A-Za-z0-9]{36})/,
    'a well-known access token',
  ],
];

const SECRET_PARTS = new Set(['PASSWORD', 'PASSWD', 'SECRET', 'SECRETS', 'TOKEN', 'TOKENS', 'CREDENTIALS', 'APIKEY']);
const SECRET_PAIRS = new Set(['API KEY', 'PRIVATE KEY']);

/** A plain setting that looks like a credential, with the rule that caught it. @internal */
export interface PlainCredential {
  /** `variables.NAME` or `connections.NAME`. */
  path: string;
  rule: PlainCredentialRule;
  /** What it looks like, for the error message (never the value). */
  looksLike: string;
}

/**
 * The plain variables and connection remaps that look like credentials (see
 * {@link PlainCredentialRule}); secret references are never flagged. The rules are conservative:
 * they look for what is unmistakably a credential, and name the setting, never its value.
 * @internal
 */
export function findPlainCredentials(settings: {
  variables: Record<string, SettingValue>;
  connections: Record<string, SettingValue>;
}): PlainCredential[] {
  const found: PlainCredential[] = [];
  for (const group of ['variables', 'connections'] as const) {
    for (const [name, value] of Object.entries(settings[group])) {
      if (typeof value !== 'string' || value === '') continue;
      const hit = VALUE_RULES.find(([, pattern]) => pattern.test(value));
      if (hit) found.push({ path: `${group}.${name}`, rule: hit[0], looksLike: hit[2] });
      else if (group === 'variables' && secretName(name) && !/^(?:-?\d+(?:\.\d+)?|true|false)$/i.test(value))
        found.push({ path: `${group}.${name}`, rule: 'secret-name', looksLike: 'a secret, by its name' });
    }
  }
  return found;
}

function secretName(name: string): boolean {
  const parts = name.toUpperCase().split(/[_.-]+/);
  return parts.some((part, i) => SECRET_PARTS.has(part) || SECRET_PAIRS.has(`${part} ${parts[i + 1] ?? ''}`));
}
