import { describe, expect, it } from 'vitest';
import { exposeWorker, type Response, type TaskContext } from '../../../src/workers/rpc.ts';

/** A worker's global scope that records what the worker posts. */
class FakeScope extends EventTarget {
  readonly posted: Response[] = [];
  postMessage(message: Response): void {
    this.posted.push(message);
  }
  call(method: string, arg: unknown): void {
    this.dispatchEvent(new MessageEvent('message', { data: { type: 'call', id: 1, method, arg } }));
  }
}

const progressOf = (scope: FakeScope): number[] =>
  scope.posted.flatMap((m) => (m.type === 'progress' ? [m.fraction] : []));

describe('exposeWorker', () => {
  it('posts progress a few times a second at most, the first and the last report always', async () => {
    const scope = new FakeScope();
    let resume: (() => void) | null = null;
    exposeWorker(
      {
        async work(_arg: unknown, ctx: TaskContext) {
          // A burst of reports well inside one interval: only its first goes, and 100 % at the end.
          for (let i = 0; i <= 60; i++) ctx.progress(i / 100);
          await new Promise<void>((resolve) => (resume = resolve));
          ctx.progress(0.7);
          ctx.progress(0.7004);
          ctx.progress(1);
          return 'done';
        },
      },
      scope as unknown as Parameters<typeof exposeWorker>[1],
    );
    scope.call('work', null);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(progressOf(scope)).toEqual([0]);
    resume!();
    await new Promise((resolve) => setTimeout(resolve, 0));
    // After a pause the next whole percent goes at once; the same percent again never does.
    expect(progressOf(scope)).toEqual([0, 0.7, 1]);
    expect(scope.posted.at(-1)).toMatchObject({ type: 'result', value: 'done' });
  });
});
