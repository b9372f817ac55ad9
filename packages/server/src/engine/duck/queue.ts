/**
 * Serialises every write on the single writer connection and commits them in groups: jobs that
 * arrive while a commit is in flight share the next transaction, so one WAL sync covers many
 * concurrent bulk requests (group commit). A failing group is rolled back and its jobs re-run one
 * per transaction, so only the job that actually fails is rejected. (One expected case: DuckDB
 * refuses to commit an ALTER TABLE that follows a DELETE from the same table in one transaction,
 * so concurrent requests that replace documents and add new fields to one dataset end up
 * committed one by one.)
 */
import type { StatementPipe } from './pipe.js';

type Job<T> = {
  run: () => Promise<T>;
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
  /** Statements such as CHECKPOINT that DuckDB refuses inside a transaction. */
  bare?: boolean;
};

export class WriteQueue {
  private pending: Job<unknown>[] = [];
  private running = false;
  private idle: Promise<void> = Promise.resolve();
  private markIdle: () => void = () => {};

  constructor(
    private readonly pipe: StatementPipe,
    /** Called after a rollback so in-memory state (mappings, counters) matches the database again. */
    private readonly onRollback: () => Promise<void>,
    /** Called after each COMMIT, before the group's callers hear back (readers may now see its changes). */
    private readonly onCommit: () => void = () => {},
    private readonly maxGroup = 64,
  ) {}

  submit<T>(run: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ run, resolve, reject } as Job<unknown>);
      if (!this.running) void this.drain();
    });
  }

  /** Runs `run` alone, outside any transaction, in queue order (for CHECKPOINT and the like). */
  submitBare<T>(run: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ run, resolve, reject, bare: true } as Job<unknown>);
      if (!this.running) void this.drain();
    });
  }

  /** True while jobs are queued or running. */
  get busy(): boolean {
    return this.running || this.pending.length > 0;
  }

  /** Resolves once every submitted job has finished. */
  whenIdle(): Promise<void> {
    return this.running ? this.idle : Promise.resolve();
  }

  private async drain(): Promise<void> {
    this.running = true;
    this.idle = new Promise((r) => (this.markIdle = r));
    while (this.pending.length > 0) {
      if (this.pending[0].bare) {
        const job = this.pending.shift()!;
        await job.run().then(job.resolve, job.reject);
        await this.pipe.drain().catch(() => {});
        continue;
      }
      const end = this.pending.findIndex((j) => j.bare);
      const group = this.pending.splice(0, Math.min(this.maxGroup, end < 0 ? this.pending.length : end));
      if (!(await this.runGroup(group)) && group.length > 1) {
        for (const job of group) await this.runGroup([job]);
      }
    }
    this.running = false;
    this.markIdle();
  }

  /** Runs jobs in one transaction. Returns false (after rollback) if any job failed. */
  private async runGroup(group: Job<unknown>[]): Promise<boolean> {
    const results: unknown[] = [];
    try {
      await this.pipe.run('BEGIN TRANSACTION');
      for (const job of group) results.push(await job.run());
      // Jobs queue their loads without waiting; all of them must have succeeded before COMMIT.
      await this.pipe.drain();
      await this.pipe.run('COMMIT');
      this.onCommit();
    } catch (e) {
      await this.pipe.drain().catch(() => {});
      // A failed COMMIT has already rolled back in DuckDB; then this ROLLBACK finds nothing to do.
      await this.pipe.run('ROLLBACK').catch(() => {});
      await this.onRollback();
      if (group.length === 1) group[0].reject(e);
      return false;
    }
    group.forEach((job, i) => job.resolve(results[i]));
    return true;
  }
}
