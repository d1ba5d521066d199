// engine-memory: deployments per second through the whole deployment machine (no approvals, no-op
// verification) on the memory stores and a fake clock, against the same 6-transition flow written
// with XState v5 actors, interleaved in the same process.
import { createRailyard, memoryBlobStore, memoryStateStore } from '@railyard/core';
import { createFakeClock } from '@railyard/core/testing';
import { createActor, createMachine } from 'xstate';
import { interleave, median, note, QUICK, round, sample, settleHeap, spread } from '../lib.mjs';

const ROUNDS = QUICK ? 3 : 9;
const WARMUP = QUICK ? 1 : 2;
/** Deployments per engine sample (each on a fresh engine), flows per XState sample. */
const DEPLOYMENTS = QUICK ? 40 : 400;
const FLOWS = QUICK ? 2_000 : 40_000;
const by = { id: 'dev', roles: [] };

// requested → approved → transferring → preflight → activating → verifying → active: 6 transitions.
const EVENTS = ['APPROVE', 'START', 'TRANSFERRED', 'PASS', 'ACTIVATED', 'VERIFIED'].map((type) => ({ type }));
const machine = createMachine({
  id: 'deployment',
  initial: 'requested',
  states: {
    requested: { on: { APPROVE: 'approved' } },
    approved: { on: { START: 'transferring' } },
    transferring: { on: { TRANSFERRED: 'preflight' } },
    preflight: { on: { PASS: 'activating' } },
    activating: { on: { ACTIVATED: 'verifying' } },
    verifying: { on: { VERIFIED: 'active' } },
    active: { type: 'final' },
  },
});

async function freshEngine() {
  const railyard = createRailyard({ store: memoryStateStore(), blobs: memoryBlobStore(), clock: createFakeClock() });
  await railyard.environments.define({ id: 'bench' });
  const bundle = await railyard.bundles.create({
    project: 'bench',
    version: '1.0.0',
    entries: [{ path: 'a.txt', content: 'x' }],
    createdBy: by,
  });
  return { railyard, bundle: bundle.id };
}

async function deployOnce(railyard, bundle) {
  const deployment = await railyard.deployments.promote({ bundle, to: 'bench', by });
  await railyard.settle();
  return deployment.id;
}

/** One engine sample: N deployments on a fresh engine (set up, and one deployment made, untimed). */
async function engineSample() {
  const { railyard, bundle } = await freshEngine();
  try {
    // The first deployment of an environment has nothing to supersede; from the second on, each
    // deployment also retires the previous one (7 journal transitions), so time only steady state.
    await deployOnce(railyard, bundle);
    const before = await railyard.journal.head();
    await settleHeap();
    let last;
    const result = await sample(async () => {
      for (let i = 0; i < DEPLOYMENTS; i++) last = await deployOnce(railyard, bundle);
      return DEPLOYMENTS;
    });
    const final = await railyard.deployments.get(last);
    if (final?.status !== 'active')
      throw new Error(`engine-memory: last deployment ended ${final?.status}, expected active`);
    let transitions = 0;
    for await (const entry of railyard.journal.read({ after: before.seq })) {
      if (entry.type === 'deployment.transition') transitions++;
    }
    return { ...result, transitions: transitions / DEPLOYMENTS };
  } finally {
    await railyard.close();
  }
}

/** One XState sample: FLOWS actors, each created, started, sent 6 events, checked and stopped. */
async function xstateSample() {
  await settleHeap();
  return sample(() => {
    for (let i = 0; i < FLOWS; i++) {
      const actor = createActor(machine).start();
      for (const event of EVENTS) actor.send(event);
      const snapshot = actor.getSnapshot();
      if (snapshot.value !== 'active' || snapshot.status !== 'done')
        throw new Error(`xstate ended in ${snapshot.value}`);
      actor.stop();
    }
    return FLOWS;
  });
}

export async function run() {
  note(
    `engine-memory: ${ROUNDS} interleaved rounds (+${WARMUP} warm-up); engine sample = ${DEPLOYMENTS} deployments on a fresh memory engine, xstate sample = ${FLOWS} actors`,
  );
  const { subject, baseline, ratios } = await interleave({
    subject: engineSample,
    baseline: xstateSample,
    rounds: ROUNDS,
    warmup: WARMUP,
  });
  const dps = median(subject.map((s) => s.rate));
  const xps = median(baseline.map((s) => s.rate));
  const perDeployment = median(subject.map((s) => s.transitions));
  const ratio = median(ratios);
  note(
    `railyard deployments/s ${spread(subject.map((s) => s.rate))}; xstate flows/s ${spread(baseline.map((s) => s.rate))}`,
  );
  note(
    `per deployment: railyard ${round(1e6 / dps)} µs (${round(perDeployment)} journal transitions + 1 deployment.requested entry), xstate ${round(1e6 / xps)} µs (6 transitions); per-round ratio ${spread(ratios)}`,
  );
  note(
    `per transition: railyard ${round(1e6 / (dps * perDeployment))} µs, xstate ${round(1e6 / (xps * 6))} µs (incl. actor create/start/stop)`,
  );
  const transitionRatios = subject.map((s, i) => (s.rate * s.transitions) / (baseline[i].rate * 6));
  return [
    { name: 'engine-memory', value: dps, unit: 'deployments/s', baseline: 'xstate', ratio },
    {
      name: 'engine-memory-transitions',
      value: dps * perDeployment,
      unit: 'transitions/s',
      baseline: 'xstate-transitions',
      ratio: median(transitionRatios),
    },
  ];
}
