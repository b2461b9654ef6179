import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Request, Response } from '../../../src/workers/rpc.ts';
import { WorkerPool, WorkerTaskError } from '../../../src/workers/worker-pool.ts';

/** A Worker that records calls and answers only when told to (or never). */
class FakeWorker extends EventTarget {
  readonly calls: Request[] = [];
  terminated = false;
  postMessage(message: Request): void {
    this.calls.push(message);
  }
  terminate(): void {
    this.terminated = true;
  }
  reply(response: Response): void {
    this.dispatchEvent(new MessageEvent('message', { data: response }));
  }
  get lastId(): number {
    return this.calls[this.calls.length - 1].id;
  }
}

type Api = { work: (arg: string) => Promise<string> };

function pool(options: { size?: number; stallTimeoutMs?: number; idleTimeoutMs?: number } = {}) {
  const workers: FakeWorker[] = [];
  const p = new WorkerPool<Api>(() => {
    const w = new FakeWorker();
    workers.push(w);
    return w as unknown as Worker;
  }, { size: 1, ...options });
  return { pool: p, workers };
}

describe('WorkerPool', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('fails a task whose worker never answers, replaces the worker, and runs the next task', async () => {
    const { pool: p, workers } = pool({ stallTimeoutMs: 10_000 });
    const hung = p.run('work', 'a');
    const next = p.run('work', 'b');
    const hungResult = hung.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(workers).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    const error = await hungResult;
    expect(error).toBeInstanceOf(WorkerTaskError);
    expect((error as Error).name).toBe('WorkerTimeout');
    expect(workers[0].terminated).toBe(true);
    // The queued task did not wait behind the hung one: it runs on a fresh worker.
    expect(workers).toHaveLength(2);
    expect(workers[1].calls[0]).toMatchObject({ method: 'work', arg: 'b' });
    workers[1].reply({ type: 'result', id: workers[1].lastId, value: 'B' });
    await expect(next).resolves.toBe('B');
  });

  it('does not time out work that reports progress', async () => {
    const { pool: p, workers } = pool({ stallTimeoutMs: 10_000 });
    const progress: number[] = [];
    const task = p.run('work', 'slow', { onProgress: (f) => progress.push(f) });
    for (let i = 1; i <= 5; i++) {
      await vi.advanceTimersByTimeAsync(8_000);
      workers[0].reply({ type: 'progress', id: workers[0].lastId, fraction: i / 5 });
    }
    workers[0].reply({ type: 'result', id: workers[0].lastId, value: 'done' });
    await expect(task).resolves.toBe('done');
    expect(progress).toEqual([0.2, 0.4, 0.6, 0.8, 1]);
    expect(workers[0].terminated).toBe(false);
  });

  it('rejects on a message that cannot be deserialised', async () => {
    const { pool: p, workers } = pool();
    const task = p.run('work', 'a').catch((e: unknown) => e);
    workers[0].dispatchEvent(new MessageEvent('messageerror'));
    const error = await task;
    expect((error as Error).name).toBe('MessageError');
    expect(workers[0].terminated).toBe(true);
  });

  it('ends idle workers and starts a fresh one when work comes', async () => {
    const { pool: p, workers } = pool({ idleTimeoutMs: 30_000 });
    const task = p.run('work', 'a');
    workers[0].reply({ type: 'result', id: workers[0].lastId, value: 'A' });
    await task;
    expect(p.workerCount).toBe(1);
    await vi.advanceTimersByTimeAsync(29_000);
    expect(workers[0].terminated).toBe(false);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(workers[0].terminated).toBe(true);
    expect(p.workerCount).toBe(0);
    const again = p.run('work', 'b');
    expect(workers).toHaveLength(2);
    workers[1].reply({ type: 'result', id: workers[1].lastId, value: 'B' });
    await expect(again).resolves.toBe('B');
  });

  it('keeps a worker that gets new work before the idle timeout', async () => {
    const { pool: p, workers } = pool({ idleTimeoutMs: 30_000 });
    const first = p.run('work', 'a');
    workers[0].reply({ type: 'result', id: workers[0].lastId, value: 'A' });
    await first;
    await vi.advanceTimersByTimeAsync(20_000);
    const second = p.run('work', 'b');
    await vi.advanceTimersByTimeAsync(20_000);
    expect(workers[0].terminated).toBe(false);
    workers[0].reply({ type: 'result', id: workers[0].lastId, value: 'B' });
    await expect(second).resolves.toBe('B');
    expect(workers).toHaveLength(1);
  });
});
