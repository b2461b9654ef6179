import type { Request, Response, TaskContext, Unwrapped, WorkerApi } from './rpc.ts';

export interface RunOptions {
  signal?: AbortSignal;
  /** Fraction done in [0, 1]. */
  onProgress?: (fraction: number) => void;
  /** Buffers in the argument to move to the worker rather than copy. */
  transfer?: Transferable[];
  /** Overrides the pool's stall timeout for this task. */
  stallTimeoutMs?: number;
}

export interface PoolOptions {
  /** Workers at most (one task each at a time). */
  size?: number;
  /**
   * A task whose worker sends nothing (no progress, no answer) for this long is failed with
   * `WorkerTimeout` and its worker replaced: a hung decoder must not hold a lane forever. Work
   * that is slow but alive reports progress, which restarts the clock.
   */
  stallTimeoutMs?: number;
  /** A worker left idle this long is ended (the next task starts a fresh one): its memory goes back. */
  idleTimeoutMs?: number;
}

/** Long enough for a whole-file step between progress reports on a slow phone (hash, tags). */
const DEFAULT_STALL_TIMEOUT_MS = 60_000;
const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

/**
 * An error raised inside a worker, re-thrown on the caller's side with its name kept, and its
 * `code` when it had one (typed failures such as SpeechInputError stay recognisable by name and code).
 */
export class WorkerTaskError extends Error {
  readonly code: string | undefined;
  constructor(name: string, message: string, code?: string) {
    super(message);
    this.name = name;
    this.code = code;
  }
}

interface Slot {
  worker: Worker;
  busy: boolean;
  idleTimer: ReturnType<typeof setTimeout> | null;
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
 * busy synchronous loop at once) and a fresh one is started for the next task. A worker that
 * crashes, stalls past the timeout or sends an unreadable message fails its task and is replaced;
 * idle workers are ended.
 */
export class WorkerPool<Api extends WorkerApi> {
  readonly size: number;
  readonly #create: () => Worker;
  readonly #slots: Slot[] = [];
  readonly #queue: Task[] = [];
  readonly #stallTimeoutMs: number;
  readonly #idleTimeoutMs: number;

  constructor(create: () => Worker, options: PoolOptions = {}) {
    this.#create = create;
    this.size = Math.max(1, options.size ?? defaultPoolSize());
    this.#stallTimeoutMs = options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
    this.#idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  }

  /** Workers running now (busy or waiting for work). */
  get workerCount(): number {
    return this.#slots.length;
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
    for (const slot of this.#slots) {
      if (slot.idleTimer) clearTimeout(slot.idleTimer);
      slot.worker.terminate();
    }
    this.#slots.length = 0;
    for (const task of this.#queue.splice(0)) task.reject(new DOMException('Pool terminated', 'AbortError'));
  }

  #pump(): void {
    while (this.#queue.length > 0) {
      let slot = this.#slots.find((s) => !s.busy);
      if (!slot && this.#slots.length < this.size) {
        slot = { worker: this.#create(), busy: false, idleTimer: null };
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
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = null;
    const id = nextId++;
    const { worker } = slot;
    const stallMs = task.options.stallTimeoutMs ?? this.#stallTimeoutMs;
    let stallTimer: ReturnType<typeof setTimeout> | null = null;
    const finish = (): void => {
      worker.removeEventListener('message', onMessage);
      worker.removeEventListener('messageerror', onMessageError);
      worker.removeEventListener('error', onError);
      task.options.signal?.removeEventListener('abort', onAbort);
      if (stallTimer) clearTimeout(stallTimer);
      slot.busy = false;
      this.#pump();
      if (!slot.busy && this.#slots.includes(slot)) this.#scheduleIdleEnd(slot);
    };
    /** Ends the task with `error` and replaces its worker, which may be wedged or dead. */
    const fail = (error: unknown): void => {
      this.#replace(slot);
      finish();
      task.reject(error);
    };
    const armStallTimer = (): void => {
      if (stallTimer) clearTimeout(stallTimer);
      stallTimer = setTimeout(
        () => fail(new WorkerTaskError('WorkerTimeout', `The worker sent nothing for ${Math.round(stallMs / 1000)} s and was stopped`)),
        stallMs,
      );
    };
    const onMessage = (event: MessageEvent): void => {
      const response = event.data as Response;
      if (response.id !== id) return;
      if (response.type === 'progress') {
        armStallTimer();
        task.options.onProgress?.(response.fraction);
        return;
      }
      finish();
      if (response.type === 'result') task.resolve(response.value);
      else task.reject(new WorkerTaskError(response.name, response.message, response.code));
    };
    const onMessageError = (): void => fail(new WorkerTaskError('MessageError', 'The worker’s reply could not be read'));
    const onError = (event: ErrorEvent): void => {
      event.preventDefault();
      fail(new WorkerTaskError('WorkerError', event.message || 'The worker crashed'));
    };
    const onAbort = (): void => fail(task.options.signal?.reason ?? new DOMException('Aborted', 'AbortError'));
    worker.addEventListener('message', onMessage);
    worker.addEventListener('messageerror', onMessageError);
    worker.addEventListener('error', onError);
    task.options.signal?.addEventListener('abort', onAbort, { once: true });
    armStallTimer();
    const request: Request = { type: 'call', id, method: task.method, arg: task.arg };
    worker.postMessage(request, task.options.transfer ?? []);
  }

  #scheduleIdleEnd(slot: Slot): void {
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = setTimeout(() => {
      slot.idleTimer = null;
      if (!slot.busy) this.#replace(slot);
    }, this.#idleTimeoutMs);
  }

  /** Drops a crashed, stalled, aborted or idle worker; the next task starts a fresh one. */
  #replace(slot: Slot): void {
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = null;
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
