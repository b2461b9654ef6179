import type { CDPSession, Page } from '@playwright/test';

/** What {@link trackWorkerHeap} measured: the JS heaps (with ArrayBuffer backing stores) of the page's dedicated workers, MB. */
export interface WorkerHeapPeaks {
  /** Dedicated workers seen (the library pool's, and any other the page started). */
  libraryWorkers: number;
  /** The highest heap any one worker reached. */
  peakWorkerHeapMegabytes: number;
  /** The highest sum over the workers alive at one moment. */
  peakWorkersHeapMegabytes: number;
}

interface AttachedEvent {
  sessionId: string;
  targetInfo: { type: string };
}

/**
 * Samples the used JS heap of every dedicated worker the page starts (Chrome DevTools Protocol:
 * auto-attach to workers, `Runtime.getHeapUsage` every second through `Target.sendMessageToTarget`).
 * The page's own heap is measured apart (`performance.memory`). Call before the work starts.
 */
export async function trackWorkerHeap(page: Page): Promise<{ stop(): Promise<WorkerHeapPeaks> }> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  let nextId = 1;
  const replies = new Map<number, (result: unknown) => void>();
  const sessions = new Set<string>();
  const send = (sessionId: string, method: string): Promise<unknown> =>
    new Promise((resolve) => {
      const id = nextId++;
      replies.set(id, resolve);
      cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method }) }).catch(() => resolve(null));
    });
  cdp.on('Target.receivedMessageFromTarget', (event: { message: string }) => {
    const message = JSON.parse(event.message) as { id?: number; result?: unknown };
    if (message.id !== undefined) replies.get(message.id)?.(message.result ?? null);
  });
  cdp.on('Target.attachedToTarget', (event: AttachedEvent) => {
    if (event.targetInfo.type === 'worker') sessions.add(event.sessionId);
    void send(event.sessionId, 'Runtime.runIfWaitingForDebugger');
  });
  cdp.on('Target.detachedFromTarget', (event: { sessionId: string }) => sessions.delete(event.sessionId));
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  const seen = new Set<string>();
  let peakOne = 0;
  let peakSum = 0;
  const timer = setInterval(() => {
    void Promise.all(
      [...sessions].map(async (s) => {
        seen.add(s);
        const usage = (await Promise.race([send(s, 'Runtime.getHeapUsage'), new Promise((r) => setTimeout(() => r(null), 1000))])) as { usedSize: number; backingStorageSize?: number } | null;
        // ArrayBuffers (decoded audio, file bytes) live outside the V8 heap: counted where reported.
        return (usage?.usedSize ?? 0) + (usage?.backingStorageSize ?? 0);
      }),
    ).then((sizes) => {
      peakOne = Math.max(peakOne, ...sizes, 0);
      peakSum = Math.max(peakSum, sizes.reduce((a, b) => a + b, 0));
    });
  }, 1000);
  return {
    async stop() {
      clearInterval(timer);
      await cdp.detach().catch(() => undefined);
      return { libraryWorkers: seen.size, peakWorkerHeapMegabytes: Math.round(peakOne / 1e6), peakWorkersHeapMegabytes: Math.round(peakSum / 1e6) };
    },
  };
}
