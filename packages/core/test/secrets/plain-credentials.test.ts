import { createRailyard, memoryBlobStore, memoryStateStore } from '@railyard/core';
import { ValidationError } from '@railyard/core/errors';
import { describe, expect, it } from 'vitest';
import { findPlainCredentials } from '#internal/policy/plain-credentials.js';

const rule = (name: string, value: string, group: 'variables' | 'connections' = 'variables') =>
  findPlainCredentials({ variables: {}, connections: {}, [group]: { [name]: value } })[0]?.rule ?? null;

describe('plain settings that look like credentials', () => {
  it('are refused at define, naming the variable and pointing to secret references; nothing is stored', async () => {
    const store = memoryStateStore();
    const railyard = createRailyard({ store, blobs: memoryBlobStore(), secrets: { resolve: () => undefined } });
    const refused = railyard.environments.define({
      id: 'production',
      variables: { REGION: 'eu-west-1', DATABASE_URL: 'postgres://u:pw@h/db' },
    });
    await expect(refused).rejects.toBeInstanceOf(ValidationError);
    const error = (await refused.catch((e: unknown) => e)) as ValidationError;
    expect(error.message).toContain('variables.DATABASE_URL looks like a URL with a password');
    expect(error.message).toContain("{ secret: 'name' }");
    expect(error.message).toContain('docs/secrets.md');
    expect(error.details).toEqual({
      rule: 'url-password',
      issues: [
        {
          path: 'variables.DATABASE_URL',
          rule: 'url-password',
          message: "looks like a URL with a password; use a secret reference { secret: 'name' }",
        },
      ],
    });
    expect(JSON.stringify(error)).not.toContain('pw@');
    expect(await railyard.environments.get('production')).toBeNull();
    expect(store.peek.journal()).toEqual([]);

    // The same setting as a reference is accepted.
    const defined = await railyard.environments.define({
      id: 'production',
      variables: { REGION: 'eu-west-1', DATABASE_URL: { secret: 'prod-database-url' } },
    });
    expect(defined.definition.variables.DATABASE_URL).toEqual({ secret: 'prod-database-url' });

    // Redefining it with a credential is refused, and the stored definition keeps the reference.
    await expect(
      railyard.environments.define({ id: 'production', connections: { warehouse: 'https://svc:hunter2@wh.internal' } }),
    ).rejects.toMatchObject({ code: 'VALIDATION', details: { rule: 'url-password' } });
    expect((await railyard.environments.get('production'))?.definition.variables.DATABASE_URL).toEqual({
      secret: 'prod-database-url',
    });
  });

  it('follow a documented, conservative rule set', () => {
    expect(rule('DATABASE_URL', 'postgres://u:pw@h/db')).toBe('url-password');
    expect(rule('warehouse', 'snowflake://svc:s3cr3t@acct/db', 'connections')).toBe('url-password');
    expect(rule('API', 'https://api.example.com/v1?user=a&token=abc123')).toBe('credential-param');
    expect(rule('DSN', 'host=db.internal user=app password=hunter2')).toBe('credential-param');
    expect(rule('CERT', '-----BEGIN RSA PRIVATE KEY-----\nMIIE...')).toBe('private-key');
    expect(rule('CERT', '-----BEGIN PRIVATE KEY-----\nMIIE...')).toBe('private-key');
    expect(rule('GH', `ghp_${'a'.repeat(36)}`)).toBe('token-prefix');
    expect(rule('SLACK_HOOK', 'xoxb-1234567890-abcdefghij')).toBe('token-prefix');
    expect(rule('AWS_KEY_ID', 'AKIAIOSFODNN7EXAMPLE')).toBe('token-prefix');
    expect(rule('DB_PASSWORD', 'hunter2')).toBe('secret-name');
    expect(rule('api.secret', 'x')).toBe('secret-name');
    expect(rule('GITHUB_TOKEN', 'something')).toBe('secret-name');
    expect(rule('STRIPE_API_KEY', 'whatever')).toBe('secret-name');
    expect(rule('SECRET_NAME', 'prod/db')).toBe('secret-name');
    // What is not a credential passes.
    expect(rule('REGION', 'eu-west-1')).toBeNull();
    expect(rule('DB_URL', 'postgres://app@db.internal:5432/prod')).toBeNull();
    expect(rule('SERVICE', 'https://svc.internal:8443/v1?user=a')).toBeNull();
    expect(rule('TOKENIZER', 'bert-base-uncased')).toBeNull();
    expect(rule('TOKEN_TTL', '3600')).toBeNull();
    expect(rule('REQUIRE_PASSWORD', 'true')).toBeNull();
    expect(rule('DB_PASSWORD', '')).toBeNull();
    expect(rule('warehouse', 'prod-warehouse', 'connections')).toBeNull();
    expect(
      findPlainCredentials({ variables: { DB_PASSWORD: { secret: 'db' } }, connections: { wh: { secret: 'wh' } } }),
    ).toEqual([]);
  });
});
