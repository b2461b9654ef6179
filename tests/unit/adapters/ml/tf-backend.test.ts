import { describe, expect, it } from 'vitest';
import { activeBackend, selectBackend } from '../../../../src/adapters/ml/tf-backend.ts';

describe('selectBackend', () => {
  it('skips backends that cannot start (no WebGL in Node) and settles on one', async () => {
    const chosen = await selectBackend({ order: ['webgl', 'cpu'] });
    expect(chosen).toBe('cpu');
    expect(activeBackend()).toBe('cpu');
    // The same request again is the same decision, not a re-initialisation.
    expect(selectBackend({ order: ['webgl', 'cpu'] })).toBe(selectBackend({ order: ['webgl', 'cpu'] }));
  });
});
