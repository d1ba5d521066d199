/**
 * Test kit: a fake clock and the conformance suites every adapter runs.
 * @packageDocumentation
 */

export {
  type BlobStoreConformanceOptions,
  type BlobStoreProbe,
  type BlobStoreUnderTest,
  runBlobStoreConformance,
} from './testing/blob-store-conformance.js';
export { createFakeClock, type FakeClock } from './testing/fake-clock.js';
export type { ConformanceAssertion, ConformanceFramework, ConformanceTest } from './testing/framework.js';
export {
  runStateStoreConformance,
  type StateStoreConformanceCapabilities,
  type StateStoreConformanceOptions,
} from './testing/state-store-conformance.js';
export type { StateStoreProbe, StateStoreUnderTest } from './testing/state-store-fixtures.js';
export {
  runTransportConformance,
  type TransportConformanceOptions,
  type TransportUnderTest,
} from './testing/transport-conformance.js';
