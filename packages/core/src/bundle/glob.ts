const cache = new Map<string, RegExp>();

/**
 * Compiles a glob to a regular expression over POSIX relative paths: `**` matches any number of
 * path segments, `*` anything but `/`, `?` one character but `/`, `{a,b}` alternatives and
 * `[abc]` character classes. A pattern without `/` matches the file name at any depth
 * (like `.gitignore`), so `*.sql` matches `pipelines/score.sql`.
 *
 * @example
 * ```ts
 * globToRegExp('models/**\/*.onnx').test('models/churn/v1.onnx'); // true
 * ```
 */
export function globToRegExp(glob: string): RegExp {
  const cached = cache.get(glob);
  if (cached) return cached;
  const pattern = glob.includes('/') ? glob.replace(/^\//, '') : `**/${glob}`;
  let source = '';
  let braces = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*' && pattern[i + 1] === '*') {
      const slash = pattern[i + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '{') {
      braces++;
      source += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      source += ')';
    } else if (c === ',' && braces > 0) source += '|';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) source += '\\[';
      else {
        source += `[${pattern
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else source += c.replace(/[.+^$()|\\]/g, '\\$&');
  }
  const regExp = new RegExp(`^${source}$`);
  cache.set(glob, regExp);
  return regExp;
}

/**
 * Whether a relative path matches any of the globs.
 *
 * @example
 * ```ts
 * matchesAny('data/raw/x.csv', ['data/**', '*.parquet']); // true
 * ```
 */
export function matchesAny(path: string, globs: readonly string[]): boolean {
  return globs.some((glob) => globToRegExp(glob).test(path));
}
