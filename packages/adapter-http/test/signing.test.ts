import {
  canonicalRequest,
  EMPTY_SHA256,
  IDEMPOTENCY_HEADER,
  SIGNATURE_HEADERS,
  type SignedParts,
  signRequest,
  signWebhook,
  verifyWebhook,
} from '@railyard/adapter-http';
import { describe, expect, it } from 'vitest';

// Known answers computed independently of this package, with coreutils and OpenSSL:
//   printf '%s' "$canonical" | openssl dgst -sha256 -hmac "$SECRET"
const SECRET = 'kat-secret-0123456789abcdef0123456789';
const HELLO = '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824';
const PROMOTION_BODY = `{"bundleId":"sha256:${HELLO}","idempotencyKey":"churn-1.0.0","to":"production"}`;

const vectors: { name: string; parts: SignedParts; signature: string }[] = [
  {
    name: 'GET with no body',
    parts: {
      method: 'GET',
      target: '/v1/deployments/production%2F000001',
      contentSha256: EMPTY_SHA256,
      timestamp: 1767225600,
      nonce: 'nonce-000000000000000001',
      keyId: 'ops',
      audience: 'production-site',
    },
    signature: 'v2=46f1838cdec484970f97c523a5ee3968b8684b71fd2ddc94bfca04abe86b6200',
  },
  {
    name: 'POST with a JSON body',
    parts: {
      method: 'POST',
      target: '/v1/promotions',
      contentSha256: 'f1873fd4de68a796fd7391e6fda7c9994fc9d33dd8433efd24ee439ee66897b9',
      timestamp: 1767225600,
      nonce: 'nonce-000000000000000002',
      keyId: 'design-site',
      audience: 'https://railyard.prod.example.com',
    },
    signature: 'v2=4103b96f5c98db241abcb1499fc68d12776646672fd32c99190777113f6f88d6',
  },
  {
    name: 'PUT of a blob with a query',
    parts: {
      method: 'PUT',
      target: `/v1/blobs/sha256%3A${HELLO}?size=5`,
      contentSha256: HELLO,
      timestamp: 1767225900,
      nonce: 'nonce-000000000000000003',
      keyId: 'design-site',
      audience: 'production-site',
    },
    signature: 'v2=7b0d067e27a5d5c2600831c6d854c039d11a68cb8f4dd3d7fd6e21b5159baeb9',
  },
  {
    name: 'POST of a command with an idempotency key',
    parts: {
      method: 'POST',
      target: '/v1/environments/production/rollback',
      contentSha256: EMPTY_SHA256,
      timestamp: 1767225600,
      nonce: 'nonce-000000000000000004',
      keyId: 'ops',
      audience: 'production-site',
      idempotencyKey: 'INC-4711-rollback',
    },
    signature: 'v2=eb49bd0645747c6a5ccb56d77f29cf398f41d96da2846f5ad32a82df97ae1222',
  },
];

describe('request signatures', () => {
  it('the body digest of the promotion vector is the sha256 of its bytes', async () => {
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(PROMOTION_BODY).digest('hex')).toBe(vectors[1]?.parts.contentSha256);
  });

  for (const vector of vectors) {
    it(`matches the known answer: ${vector.name}`, () => {
      const { parts } = vector;
      const headers = signRequest({
        method: parts.method,
        target: parts.target,
        contentSha256: parts.contentSha256,
        keyId: parts.keyId,
        secret: SECRET,
        now: new Date(parts.timestamp * 1000 + 999), // sub-second parts are dropped
        nonce: parts.nonce,
        audience: parts.audience,
        ...(parts.idempotencyKey ? { idempotencyKey: parts.idempotencyKey } : {}),
      });
      expect(headers).toEqual({
        [SIGNATURE_HEADERS.keyId]: parts.keyId,
        [SIGNATURE_HEADERS.timestamp]: String(parts.timestamp),
        [SIGNATURE_HEADERS.nonce]: parts.nonce,
        [SIGNATURE_HEADERS.contentSha256]: parts.contentSha256,
        [SIGNATURE_HEADERS.audience]: parts.audience,
        [SIGNATURE_HEADERS.signature]: vector.signature,
        ...(parts.idempotencyKey ? { [IDEMPOTENCY_HEADER]: parts.idempotencyKey } : {}),
      });
    });
  }

  it('writes the canonical request one part per line, scheme first', () => {
    const parts = vectors[2]?.parts;
    if (!parts) throw new Error('missing vector');
    expect(canonicalRequest(parts)).toBe(
      [
        'RAILYARD-HMAC-SHA256-V2',
        'PUT',
        `/v1/blobs/sha256%3A${HELLO}?size=5`,
        HELLO,
        '1767225900',
        'nonce-000000000000000003',
        'design-site',
        'production-site',
        '',
      ].join('\n'),
    );
  });

  it('refuses to sign a part with a line break (two requests must never share a canonical string)', () => {
    expect(() =>
      canonicalRequest({
        method: 'GET',
        target: '/v1/a\nb',
        contentSha256: EMPTY_SHA256,
        timestamp: 1,
        nonce: 'n',
        keyId: 'k',
        audience: 'a',
      }),
    ).toThrow(/line break/);
  });

  it('draws a fresh nonce for every signature', () => {
    const sign = () =>
      signRequest({
        method: 'GET',
        target: '/v1/health',
        contentSha256: EMPTY_SHA256,
        keyId: 'k',
        secret: SECRET,
        audience: 'a',
      });
    expect(sign()[SIGNATURE_HEADERS.nonce]).not.toBe(sign()[SIGNATURE_HEADERS.nonce]);
  });
});

describe('Standard Webhooks signatures', () => {
  // The published test vector of the Standard Webhooks reference implementations.
  const vector = {
    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
    timestamp: 1614265330,
    body: '{"test": 2432232314}',
    signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
  };

  it('reproduces the reference vector', () => {
    expect(signWebhook(vector)).toBe(vector.signature);
  });

  it('verifies among several signatures and secrets, and refuses a stale timestamp or another body', () => {
    const headers = {
      id: vector.id,
      timestamp: String(vector.timestamp),
      signature: `v1,bm9wZQ== ${vector.signature}`,
    };
    const now = new Date(vector.timestamp * 1000);
    const other = 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    expect(verifyWebhook({ secrets: [other, vector.secret], headers, body: vector.body, now })).toBe(true);
    expect(verifyWebhook({ secrets: [vector.secret], headers, body: '{"test": 1}', now })).toBe(false);
    const later = new Date((vector.timestamp + 301) * 1000);
    expect(verifyWebhook({ secrets: [vector.secret], headers, body: vector.body, now: later })).toBe(false);
  });

  it('refuses a secret that is too short to be safe', () => {
    expect(() => signWebhook({ ...vector, secret: 'whsec_c2hvcnQ=' })).toThrow(/at least 24 bytes/);
  });
});
