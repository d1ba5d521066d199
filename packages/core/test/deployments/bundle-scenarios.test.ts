import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { writeProject } from '../bundle/project-fixture.js';
import { bake, createWorld, designer, operator, requester } from './fixtures.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('scenarios carried by a bundle', () => {
  it('run in verification beside the environment’s own, with the environment winning on the same id', async () => {
    const world = await createWorld();
    const { railyard, health } = world;
    const recorded: string[] = [];
    railyard.scenarios.registerStep('record', {
      params: z.object({ path: z.string() }),
      run: ({ params }) => void recorded.push(params.path),
    });
    const project = await writeProject(
      { 'models/churn.onnx': 'weights' },
      {
        project: 'churn',
        requirements: { variables: ['REGION'], connections: ['warehouse'], stepTypes: ['record'] },
        scenarios: [
          { id: 'data-checks', steps: [{ type: 'record', params: { path: '/data' } }] },
          { id: 'smoke', steps: [{ type: 'record', params: { path: '/ignored' } }] },
        ],
      },
    );
    cleanups.push(project.cleanup);
    const bundle = await railyard.bundles.build({ dir: project.dir, version: '1.0.0', createdBy: designer });
    await railyard.promote({ bundle: bundle.id, to: 'design', by: designer });
    await railyard.settle();
    const deployment = await railyard.promote({ bundle: bundle.id, to: 'production', by: requester });
    await railyard.approve(deployment.id, { by: operator });
    await bake(world);
    const done = await railyard.deployment(deployment.id);
    expect(done?.status).toBe('active');
    expect(done?.status === 'active' && Object.keys(done.scenarios ?? {}).sort()).toEqual(['data-checks', 'smoke']);
    // On design (no scenarios of its own) both of the bundle's ran; on production its data-checks ran
    // and its "smoke" did not: production's own smoke ran instead.
    expect(recorded).toEqual(['/data', '/ignored', '/data']);
    expect(health.smokeCalls.filter((key) => key.startsWith(deployment.id))).toEqual([`${deployment.id}:smoke:0`]);
    // Each ran as a scenario run of the deployment, the bundle's with its own definition.
    const runs = await railyard.scenarios.runs({ deploymentId: deployment.id });
    expect(runs.map((run) => `${run.scenario} ${run.status} ${run.definition?.steps[0]?.type}`).sort()).toEqual([
      'data-checks succeeded record',
      'smoke succeeded smoke',
    ]);
  });
});
