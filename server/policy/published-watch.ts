// Long polling (`?wait=30`): proxies wait for their service's next published revision. One
// query a second answers all of them, and only while someone waits; it reads the database,
// so a publish on any console replica wakes waiters on every replica.
import { sql } from 'drizzle-orm';
import { rows, type Db } from '@/db/client';

interface Waiter {
  service: string;
  known: number;
  resolve: (changed: boolean) => void;
  timer: NodeJS.Timeout;
}

export class PublishedWatch {
  private waiters = new Set<Waiter>();
  private timer: NodeJS.Timeout | null = null;
  private polling = false;

  constructor(
    private readonly db: Db,
    private readonly everyMs = 1000,
  ) {}

  /** Resolves true once `service` has a published revision newer than `known`, false after `timeoutMs`. */
  waitForNewer(service: string, known: number, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const w: Waiter = {
        service, known, resolve,
        timer: setTimeout(() => this.settle(w, false), timeoutMs),
      };
      this.waiters.add(w);
      this.timer ??= setInterval(() => void this.poll(), this.everyMs);
    });
  }

  private settle(w: Waiter, changed: boolean) {
    if (!this.waiters.delete(w)) return;
    clearTimeout(w.timer);
    w.resolve(changed);
    if (this.waiters.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  private async poll() {
    if (this.polling || this.waiters.size === 0) return;
    this.polling = true;
    try {
      const services = [...new Set([...this.waiters].map((w) => w.service))];
      const latest = await rows<{ service: string; revision: number }>(
        this.db,
        sql`select service, max(revision)::int as revision from policy_revisions
            where state = 'published' and service in (select jsonb_array_elements_text(${JSON.stringify(services)}::jsonb)) group by service`,
      );
      const by = new Map(latest.map((l) => [l.service, Number(l.revision)]));
      for (const w of [...this.waiters]) if ((by.get(w.service) ?? 0) > w.known) this.settle(w, true);
    } catch {
      // the next tick tries again; waiters time out as usual
    } finally {
      this.polling = false;
    }
  }

  close() {
    for (const w of [...this.waiters]) this.settle(w, false);
  }
}
