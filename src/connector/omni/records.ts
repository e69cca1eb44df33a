/**
 * The reps' UserServicePresence records as far as the presence source has told (./poll.ts or
 * ./cdc.ts), and what a record's change means for its rep: an open record gives the rep's status,
 * the open record closed (IsCurrentState false) with no newer one means offline. (How Omni
 * sequences these writes in a real org is not verified here; the handling does not depend on
 * their order.)
 */

/** Salesforce ids compare on their 15-character case-sensitive form. */
export const id15 = (id: string): string => id.slice(0, 15);

/** What a rep's Omni state became: a status (with whether Omni counts it as Away), or offline. */
export interface StatusChange {
  statusId: string | null;
  away: boolean | null;
}

export interface PresenceRecord {
  userId: string;
  statusId: string | null;
  away: boolean | null;
  /** IsCurrentState: whether this record is the rep's open status (null: not known). */
  open: boolean | null;
}

/** A UserServicePresence row as the sources query it. */
export type PresenceRow = {
  Id: string;
  UserId: string;
  ServicePresenceStatusId: string | null;
  IsAway: boolean | null;
  IsCurrentState: boolean | null;
  SystemModstamp: string;
};

export function rowRecord(row: Omit<PresenceRow, 'Id' | 'SystemModstamp'>): PresenceRecord {
  return {
    userId: row.UserId,
    statusId: row.ServicePresenceStatusId,
    away: row.IsAway,
    open: row.IsCurrentState,
  };
}

/** Durable replay ids per channel (the inbox implements it). */
export interface StreamPositions {
  streamPosition(channel: string): Promise<number | null>;
  setStreamPosition(channel: string, replayId: number): Promise<void>;
}

export class OmniRecords {
  /** UserServicePresence records seen, so an UPDATE (which carries only changed fields) is placed. */
  private readonly records = new Map<string, PresenceRecord>();
  /** Each rep's open UserServicePresence record, as far as the source has told. */
  private readonly current = new Map<string, string>();
  /** When the last change of a rep's status was seen (the poll's interval reads it). */
  lastChangeAt = 0;

  /** `changed` is told each rep's new status (their user id as the record gives it). */
  constructor(private readonly changed: (userId: string, change: StatusChange) => void) {}

  /** How many reps have an open record (are online in Omni). */
  get online(): number {
    return this.current.size;
  }

  get(key: string): PresenceRecord | undefined {
    return this.records.get(key);
  }

  /** Keeps a record by its 15-character id (the memory is bounded); resolves the one it replaces. */
  remember(key: string, record: PresenceRecord): PresenceRecord | undefined {
    if (this.records.size > 10_000) this.records.clear();
    const before = this.records.get(key);
    this.records.set(key, record);
    return before;
  }

  /** A record read as the rep's open one (a read of current statuses, not a change). */
  open(key: string, record: PresenceRecord): void {
    this.records.set(key, record);
    this.current.set(id15(record.userId), key);
  }

  /**
   * One UserServicePresence record as it now is (`isCurrent`: its IsCurrentState when the change
   * tells it): an open record gives the rep's status, the open record closed means offline.
   */
  consider(
    key: string,
    record: PresenceRecord,
    isCurrent: boolean | undefined,
    statusChanged: boolean,
  ): void {
    const user = id15(record.userId);
    let change: StatusChange | null = null;
    if (record.open === true && (isCurrent === true || statusChanged)) {
      this.current.set(user, key);
      change = { statusId: record.statusId, away: record.away };
    } else if (isCurrent === false) {
      // Closing a record the rep has already left (a newer status opened first) changes nothing.
      const open = this.current.get(user);
      if (open !== undefined && open !== key) return;
      this.current.delete(user);
      change = { statusId: null, away: null };
    }
    if (!change) return;
    this.lastChangeAt = Date.now();
    this.changed(record.userId, change);
  }
}
