/**
 * Group commit for the webhook receiver. With `synchronous=FULL` every SQLite commit waits for an
 * fsync of the write-ahead log (a few milliseconds on a real disk), and one commit per webhook
 * would cap ingest at a few hundred webhooks/s. Instead, every webhook that arrives while the
 * event loop is busy joins one group: the group is committed in one transaction (one fsync) on the
 * next turn of the event loop, and only then does each of its requests get its answer. Under load
 * the groups grow by themselves (the requests that arrived during one fsync form the next group);
 * a lone webhook is committed at once, without waiting for a timer.
 *
 * A webhook is answered 200 only once its group is on disk; when the commit fails, every request
 * of the group fails (500) and Aircall sends them again.
 */
import type { IngestInbox, NewEvent } from './inbox';

interface Waiting {
  event: NewEvent;
  resolve: (stored: boolean) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  /** Most events per transaction (default 1,000); 1 commits each webhook on its own. */
  maxGroup?: number;
  /** After each commit: how many events it held and how long it took (metrics, the bench). */
  onCommit?: (events: number, ms: number) => void;
}

export class GroupCommit {
  private queue: Waiting[] = [];
  /** A group is being committed (or is about to be): the next one waits for it. */
  private busy = false;
  private readonly maxGroup: number;

  constructor(
    private readonly inbox: Pick<IngestInbox, 'addMany' | 'statusOf'>,
    private readonly options: GroupCommitOptions = {},
  ) {
    this.maxGroup = Math.max(1, options.maxGroup ?? 1000);
  }

  /** Resolves once the event is on disk: true when stored, false when it was already there. */
  add(event: NewEvent): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ event, resolve, reject });
      this.schedule();
    });
  }

  /** Events waiting for the next commit. */
  get waiting(): number {
    return this.queue.length;
  }

  /** One commit at a time: what arrives during a commit (an fsync, a round trip) forms the next. */
  private schedule(): void {
    if (this.busy || this.queue.length === 0) return;
    this.busy = true;
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    const group = this.queue.splice(0, this.maxGroup);
    try {
      if (group.length > 0) await this.commit(group);
    } finally {
      this.busy = false;
      this.schedule();
    }
  }

  private async commit(group: Waiting[]): Promise<void> {
    const started = performance.now();
    let stored: boolean[];
    try {
      // Which of them are redeliveries (already stored, or twice in this group): they answer 200
      // too, and are not stored again. (Another connector process sharing a PostgreSQL inbox may
      // store the same key meanwhile: the UNIQUE key still stores it once.)
      const known = new Set((await this.inbox.statusOf(group.map((w) => w.event.key))).keys());
      const fresh: NewEvent[] = [];
      stored = group.map(({ event }) => {
        if (known.has(event.key)) return false;
        known.add(event.key);
        fresh.push(event);
        return true;
      });
      await this.inbox.addMany(fresh);
    } catch (error) {
      for (const w of group) w.reject(error);
      return;
    }
    this.options.onCommit?.(group.length, performance.now() - started);
    group.forEach((w, i) => w.resolve(stored[i] ?? false));
  }
}
