import { describe, expect, it } from 'vitest';
import { ByteBudget } from '../../../../src/core/library/byte-budget.ts';

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('ByteBudget', () => {
  it('grants while the bytes fit and makes the next wait until enough is released', async () => {
    const budget = new ByteBudget(100);
    const releaseA = await budget.acquire(60);
    const releaseB = await budget.acquire(40);
    let cGranted = false;
    const c = budget.acquire(30).then((release) => ((cGranted = true), release));
    await tick();
    expect(cGranted).toBe(false);
    releaseB();
    await tick();
    expect(cGranted).toBe(true);
    expect(budget.inUseBytes).toBe(90);
    releaseA();
    (await c)();
    expect(budget.inUseBytes).toBe(0);
  });

  it('runs a file larger than the whole budget alone, and only alone', async () => {
    const budget = new ByteBudget(100);
    const releaseSmall = await budget.acquire(10);
    let hugeGranted = false;
    const huge = budget.acquire(500).then((release) => ((hugeGranted = true), release));
    await tick();
    expect(hugeGranted).toBe(false);
    releaseSmall();
    await tick();
    expect(hugeGranted).toBe(true);
    let nextGranted = false;
    const next = budget.acquire(1).then((release) => ((nextGranted = true), release));
    await tick();
    expect(nextGranted).toBe(false);
    (await huge)();
    await tick();
    expect(nextGranted).toBe(true);
    (await next)();
  });

  it('grants in order: a small request does not overtake a waiting large one', async () => {
    const budget = new ByteBudget(100);
    const first = await budget.acquire(80);
    const order: string[] = [];
    const large = budget.acquire(50).then((r) => (order.push('large'), r));
    const small = budget.acquire(10).then((r) => (order.push('small'), r));
    await tick();
    expect(order).toEqual([]);
    first();
    await Promise.all([large, small]);
    expect(order).toEqual(['large', 'small']);
  });

  it('ignores a second release', async () => {
    const budget = new ByteBudget(100);
    const release = await budget.acquire(70);
    release();
    release();
    expect(budget.inUseBytes).toBe(0);
  });
});
