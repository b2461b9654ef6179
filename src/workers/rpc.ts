/**
 * A tiny typed RPC between the main thread and workers (in the spirit of squoosh's worker
 * bridge): one request in flight per worker, progress messages, transferable results.
 */

/** Passed to every worker method: report progress in [0, 1]. */
export interface TaskContext {
  progress(fraction: number): void;
}

/** A worker API: each method takes one structured-cloneable argument. */
export type WorkerApi = Record<string, (arg: never, ctx: TaskContext) => Promise<unknown>>;

const TRANSFER = Symbol('transfer');

/** Shortest time between two progress messages of one task, ms (five a second at most). */
const PROGRESS_INTERVAL_MS = 200;

/** A result that moves (not copies) the given buffers back to the caller. */
export interface Transferring<T> {
  [TRANSFER]: Transferable[];
  value: T;
}

export function withTransfer<T>(value: T, transfer: Transferable[]): Transferring<T> {
  return { [TRANSFER]: transfer, value };
}

/** The value a worker method resolves to, with any transfer wrapper removed. */
export type Unwrapped<T> = T extends Transferring<infer U> ? U : T;

export type Request = { type: 'call'; id: number; method: string; arg: unknown };
export type Response =
  | { type: 'result'; id: number; value: unknown }
  /** `code`: a typed failure's code (e.g. SpeechInputError's `too-short`), kept across the boundary. */
  | { type: 'error'; id: number; name: string; message: string; code?: string }
  | { type: 'progress'; id: number; fraction: number };

interface WorkerScope {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

/** Worker side: answers calls to `api`. */
export function exposeWorker(api: WorkerApi, scope: WorkerScope): void {
  scope.addEventListener('message', (event: MessageEvent) => {
    const request = event.data as Request;
    if (request?.type !== 'call') return;
    const method = api[request.method];
    const respond = (response: Response, transfer: Transferable[] = []): void => scope.postMessage(response, transfer);
    if (!method) {
      respond({ type: 'error', id: request.id, name: 'TypeError', message: `No worker method ${request.method}` });
      return;
    }
    let lastPosted = -1;
    let lastPostedAtMs = -Infinity;
    const ctx: TaskContext = {
      progress(fraction) {
        // Throttled to whole percents, a few times a second (the first and the last always go):
        // progress is for eyes, not for accounting, and each message costs the page a task and
        // often a frame.
        const percent = Math.round(Math.min(1, Math.max(0, fraction)) * 100);
        const nowMs = performance.now();
        if (percent === lastPosted || (percent < 100 && nowMs - lastPostedAtMs < PROGRESS_INTERVAL_MS)) return;
        lastPosted = percent;
        lastPostedAtMs = nowMs;
        respond({ type: 'progress', id: request.id, fraction: percent / 100 });
      },
    };
    method(request.arg as never, ctx).then(
      (result) => {
        if (result && typeof result === 'object' && TRANSFER in result) {
          const t = result as Transferring<unknown>;
          respond({ type: 'result', id: request.id, value: t.value }, t[TRANSFER]);
        } else {
          respond({ type: 'result', id: request.id, value: result });
        }
      },
      (error: unknown) => {
        const e = error as { name?: string; message?: string; code?: unknown };
        const code = typeof e?.code === 'string' ? e.code : undefined;
        respond({ type: 'error', id: request.id, name: e?.name ?? 'Error', message: e?.message ?? String(error), ...(code ? { code } : {}) });
      },
    );
  });
}
