/**
 * The language server's worker threads. The engine is synchronous and a hostile regex may hold
 * it for a second or two (within its budget), so it never runs on the protocol thread. Two lanes:
 * analyses (and manifest reading) run on the first worker only, so the other one is always free
 * for what the user waits on: planning quick fixes and fix-all. An analysis queued for a document
 * is replaced by a newer one for the same document (superseded work is never started). A job
 * that runs past HARD_LIMIT_MS (a bug, never a budgeted regex) ends its worker, which is replaced.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ServiceLog } from '../service/log';
import type { WorkerAnswer, WorkerJob, WorkerRequest, WorkerResponse } from './workerJobs';

export type Lane = 'analysis' | 'interactive';

export class JobDropped extends Error {
  constructor(readonly reason: 'superseded' | 'cancelled' | 'closed') {
    super(`job ${reason}`);
  }
}

interface Pending {
  id: number;
  job: WorkerJob;
  lane: Lane;
  supersedeKey?: string;
  resolve(answer: WorkerAnswer): void;
  reject(error: Error): void;
  signal?: AbortSignal;
}

interface Slot {
  worker: Worker;
  busy?: Pending & { timer: ReturnType<typeof setTimeout> };
  /** Slot 0 runs analyses; the others only interactive jobs. */
  lanes: Lane[];
}

export const HARD_LIMIT_MS = 30_000;

/** dist/serverWorker.js next to dist/server.js, else the tsc output (tests run from out/). */
function workerFile(): string {
  const bundled = path.join(__dirname, 'serverWorker.js');
  return fs.existsSync(bundled) ? bundled : path.join(__dirname, 'analysisWorker.js');
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  readonly metrics = { jobs: 0, superseded: 0, engineMs: 0, restarts: 0 };

  constructor(
    private readonly log: ServiceLog,
    size = 2,
  ) {
    for (let i = 0; i < Math.max(2, size); i++) this.slots.push(this.spawn(i === 0 ? ['analysis', 'interactive'] : ['interactive']));
  }

  run(job: WorkerJob, options: { lane: Lane; supersedeKey?: string; signal?: AbortSignal }): Promise<WorkerAnswer> {
    if (this.closed) return Promise.reject(new JobDropped('closed'));
    return new Promise<WorkerAnswer>((resolve, reject) => {
      if (options.signal?.aborted) return reject(new JobDropped('cancelled'));
      if (options.supersedeKey !== undefined) {
        for (let i = this.queue.length - 1; i >= 0; i--) {
          const queued = this.queue[i];
          if (queued.supersedeKey === options.supersedeKey) {
            this.queue.splice(i, 1);
            this.metrics.superseded += 1;
            queued.reject(new JobDropped('superseded'));
          }
        }
      }
      const pending: Pending = { id: this.nextId++, job, lane: options.lane, supersedeKey: options.supersedeKey, resolve, reject, signal: options.signal };
      options.signal?.addEventListener('abort', () => {
        const at = this.queue.indexOf(pending);
        if (at >= 0) {
          this.queue.splice(at, 1);
          reject(new JobDropped('cancelled'));
        }
      });
      // What the user waits on goes first.
      if (pending.lane === 'interactive') {
        const firstAnalysis = this.queue.findIndex((p) => p.lane === 'analysis');
        this.queue.splice(firstAnalysis < 0 ? this.queue.length : firstAnalysis, 0, pending);
      } else this.queue.push(pending);
      this.dispatch();
    });
  }

  dispose(): void {
    this.closed = true;
    for (const pending of this.queue.splice(0)) pending.reject(new JobDropped('closed'));
    for (const slot of this.slots) {
      if (slot.busy) {
        clearTimeout(slot.busy.timer);
        slot.busy.reject(new JobDropped('closed'));
      }
      void slot.worker.terminate();
    }
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.busy) continue;
      const at = this.queue.findIndex((p) => slot.lanes.includes(p.lane));
      if (at < 0) continue;
      const [pending] = this.queue.splice(at, 1);
      const timer = setTimeout(() => this.restart(slot, `a ${pending.job.kind} job ran over ${HARD_LIMIT_MS} ms`), HARD_LIMIT_MS);
      slot.busy = { ...pending, timer };
      this.metrics.jobs += 1;
      const request: WorkerRequest = { id: pending.id, job: pending.job };
      slot.worker.postMessage(request);
    }
  }

  private spawn(lanes: Lane[]): Slot {
    const slot: Slot = { worker: new Worker(workerFile()), lanes };
    this.attach(slot);
    return slot;
  }

  /** Ends a slot's worker (failed, or a job that does not end) and starts a fresh one. */
  private restart(slot: Slot, reason: string): void {
    if (this.closed) return;
    this.log.error(`Analysis worker restarted: ${reason}.`);
    this.metrics.restarts += 1;
    const busy = slot.busy;
    slot.busy = undefined;
    if (busy) {
      clearTimeout(busy.timer);
      busy.reject(new Error(reason));
    }
    const old = slot.worker;
    old.removeAllListeners();
    slot.worker = new Worker(workerFile());
    this.attach(slot);
    void old.terminate();
    this.dispatch();
  }

  private attach(slot: Slot): void {
    const worker = slot.worker;
    worker.on('message', (response: WorkerResponse) => {
      const busy = slot.busy;
      if (!busy || busy.id !== response.id) return;
      clearTimeout(busy.timer);
      slot.busy = undefined;
      if (response.ok) {
        this.metrics.engineMs += response.engineMs;
        busy.resolve(response.answer);
      } else busy.reject(new Error(response.error));
      this.dispatch();
    });
    worker.on('error', (error) => this.restart(slot, `worker failed: ${error.message}`));
    worker.on('exit', (code) => {
      if (!this.closed && slot.worker === worker) this.restart(slot, `worker exited (${code})`);
    });
    // The pool must not keep the server process alive on its own.
    worker.unref();
  }
}
