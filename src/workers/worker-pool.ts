import type { Request, Response, TaskContext, Unwrapped, WorkerApi } from './rpc.ts';

export interface RunOptions {
  signal?: AbortSignal;
  /** Fraction done in [0, 1]. */
  onProgress?: (fraction: number) => void;
  /** Buffers in the argument to move to the worker rather than copy. */
  transfer?: Transferable[];
}

/** An error raised inside a worker, re-thrown on the caller's side with its name kept. */
export class WorkerTaskError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

interface Slot {
  worker: Worker;
  busy: boolean;
}

interface Task {
  method: string;
  arg: unknown;
  options: RunOptions;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

let nextId = 1;

/**
 * A pool of identical workers, started lazily on first use and sized to the machine. Each worker
 * runs one task at a time; aborting a running task terminates its worker (the only way to stop a
 * busy synchronous loop at once) and a fresh one is started for the next task.
 */
export class WorkerPool<Api extends WorkerApi> {
  readonly size: number;
  readonly #create: () => Worker;
  readonly #slots: Slot[] = [];
  readonly #queue: Task[] = [];

  constructor(create: () => Worker, size = defaultPoolSize()) {
    this.#create = create;
    this.size = Math.max(1, size);
  }

  run<K extends keyof Api & string>(
    method: K,
    arg: Parameters<Api[K]>[0],
    options: RunOptions = {},
  ): Promise<Unwrapped<Awaited<ReturnType<Api[K]>>>> {
    return new Promise((resolve, reject) => {
      if (options.signal?.aborted) {
        reject(options.signal.reason ?? new DOMException('Aborted', 'AbortError'));
        return;
      }
      const task: Task = { method, arg, options, resolve: resolve as (v: unknown) => void, reject };
      this.#queue.push(task);
      options.signal?.addEventListener(
        'abort',
        () => {
          const i = this.#queue.indexOf(task);
          if (i >= 0) {
            this.#queue.splice(i, 1);
            reject(options.signal?.reason ?? new DOMException('Aborted', 'AbortError'));
          }
        },
        { once: true },
      );
      this.#pump();
    });
  }

  /** Stops every worker; queued tasks are rejected. */
  terminate(): void {
    for (const slot of this.#slots) slot.worker.terminate();
    this.#slots.length = 0;
    for (const task of this.#queue.splice(0)) task.reject(new DOMException('Pool terminated', 'AbortError'));
  }

  #pump(): void {
    while (this.#queue.length > 0) {
      let slot = this.#slots.find((s) => !s.busy);
      if (!slot && this.#slots.length < this.size) {
        slot = { worker: this.#create(), busy: false };
        this.#slots.push(slot);
      }
      if (!slot) return;
      const task = this.#queue.shift();
      if (!task) return;
      this.#start(slot, task);
    }
  }

  #start(slot: Slot, task: Task): void {
    slot.busy = true;
    const id = nextId++;
    const { worker } = slot;
    const finish = (): void => {
      worker.removeEventListener('message', onMessage);
      worker.removeEventListener('error', onError);
      task.options.signal?.removeEventListener('abort', onAbort);
      slot.busy = false;
      this.#pump();
    };
    const onMessage = (event: MessageEvent): void => {
      const response = event.data as Response;
      if (response.id !== id) return;
      if (response.type === 'progress') {
        task.options.onProgress?.(response.fraction);
        return;
      }
      finish();
      if (response.type === 'result') task.resolve(response.value);
      else task.reject(new WorkerTaskError(response.name, response.message));
    };
    const onError = (event: ErrorEvent): void => {
      event.preventDefault();
      this.#replace(slot);
      finish();
      task.reject(new WorkerTaskError('WorkerError', event.message || 'The worker crashed'));
    };
    const onAbort = (): void => {
      this.#replace(slot);
      finish();
      task.reject(task.options.signal?.reason ?? new DOMException('Aborted', 'AbortError'));
    };
    worker.addEventListener('message', onMessage);
    worker.addEventListener('error', onError);
    task.options.signal?.addEventListener('abort', onAbort, { once: true });
    const request: Request = { type: 'call', id, method: task.method, arg: task.arg };
    worker.postMessage(request, task.options.transfer ?? []);
  }

  /** Drops a crashed or aborted worker; the next task starts a fresh one. */
  #replace(slot: Slot): void {
    slot.worker.terminate();
    const i = this.#slots.indexOf(slot);
    if (i >= 0) this.#slots.splice(i, 1);
  }
}

/**
 * One worker per core, at most eight: the page itself is mostly idle during heavy work (Chromium
 * decodes audio on its own threads), so leaving a core free would only slow imports down.
 */
export function defaultPoolSize(): number {
  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 2 : 2;
  return Math.min(8, Math.max(1, cores));
}

export type { TaskContext };
