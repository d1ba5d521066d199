import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { createAgentClient } from '@railyard/adapter-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './helpers/built-binary.js';
import { freePort, type Running, start } from './helpers/long-running.js';
import { tempProject } from './helpers/project.js';
import { railyard } from './helpers/run-cli.js';

const project = tempProject();
const dir = project.dir;
const secret = 'ops-secret-0123456789abcdefghijklmnopqrstu';
const keys = [
  {
    id: 'ops',
    secrets: [secret],
    actor: { id: 'olga', roles: ['ops'] },
    actions: ['approve', 'rollback', 'read'],
    environments: '*',
  },
];
const running: Running[] = [];

beforeAll(async () => {
  await ensureBuilt();
  writeFileSync(join(dir, 'keys.json'), JSON.stringify(keys));
  writeFileSync(join(dir, 'production.json'), JSON.stringify({ id: 'production' }));
  expect((await railyard(dir, ['env', 'define', '--file', 'production.json'])).code).toBe(0);
}, 120_000);
afterAll(async () => {
  for (const process of running) await process.stop('SIGKILL');
  project.cleanup();
});

describe('railyard agent serve', () => {
  it('serves the site with keys from a file, also serves the local socket, and stops on SIGTERM', async () => {
    const agent = start(dir, ['agent', 'serve', '--port', String(await freePort()), '--keys', 'keys.json']);
    running.push(agent);
    const started = await agent.waitFor((r) => r.event === 'agent.started');
    expect(started).toMatchObject({ keys: ['ops'], url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
    expect(JSON.stringify(agent.records)).not.toContain(secret);

    const client = createAgentClient({ url: started.url as string, keyId: 'ops', secret });
    expect((await client.environments()).map((e) => e.definition.id)).toEqual(['production']);
    // Local commands on the production host reach the same process through the socket.
    const local = await railyard(dir, ['env', 'list', '--json']);
    expect(local.code).toBe(0);

    expect(await agent.stop('SIGTERM')).toBe(0);
    expect(agent.records.map((r) => r.event)).toContain('agent.stopping');
    expect(agent.records.at(-1)?.event).toBe('worker.stopped');
    expect(existsSync(join(dir, '.railyard/railyard.sock'))).toBe(false);
    await expect(client.environments()).rejects.toThrow();
  });

  it('takes its keys from RAILYARD_AGENT_KEYS, and refuses to start without keys or with half a TLS pair', async () => {
    const agent = start(dir, ['agent', 'serve', '--port', String(await freePort())], {
      RAILYARD_AGENT_KEYS: JSON.stringify(keys),
    });
    running.push(agent);
    const started = await agent.waitFor((r) => r.event === 'agent.started');
    const client = createAgentClient({ url: started.url as string, keyId: 'ops', secret });
    expect(await client.environments()).toHaveLength(1);
    expect(await agent.stop('SIGINT')).toBe(0);

    const none = await railyard(dir, ['agent', 'serve', '--port', '0', '--json']);
    expect(none.code).toBe(2);
    expect(none.stdout).toMatch(/RAILYARD_AGENT_KEYS/);
    const half = await railyard(dir, ['agent', 'serve', '--port', '0', '--keys', 'keys.json', '--cert', 'a.pem']);
    expect(half.code).toBe(2);
    expect(half.stderr).toMatch(/both --cert and --key/);
    const anyPort = await railyard(dir, ['agent', 'serve', '--port', '0', '--keys', 'keys.json']);
    expect(anyPort.code).toBe(2);
    expect(anyPort.stderr).toMatch(/--audience/);
    const badPort = await railyard(dir, ['agent', 'serve', '--port', 'http', '--keys', 'keys.json']);
    expect(badPort.code).toBe(2);
  });

  it('serves HTTPS with --cert and --key', async () => {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'agent.key'),
        '-out',
        join(dir, 'agent.crt'),
      ],
      { stdio: 'ignore' },
    );
    const agent = start(dir, [
      'agent',
      'serve',
      '--port',
      String(await freePort()),
      '--keys',
      'keys.json',
      '--cert',
      'agent.crt',
      '--key',
      'agent.key',
    ]);
    running.push(agent);
    const started = await agent.waitFor((r) => r.event === 'agent.started');
    expect(started.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const status = await new Promise<number | undefined>((resolve, reject) =>
      request(`${started.url as string}/v1/environments`, { ca: readFileSync(join(dir, 'agent.crt')) }, (response) => {
        response.resume();
        resolve(response.statusCode);
      })
        .on('error', reject)
        .end(),
    );
    expect(status).toBe(401); // unsigned: refused by the agent, over TLS with our certificate
    expect(await agent.stop('SIGTERM')).toBe(0);
  });
});
