/**
 * Record storage: everything lives in memory (Maps keyed by id, plus indexes on unique and external
 * id fields) and is written through to SQLite in one transaction per request, so a file-backed org
 * survives restarts while a 200-record upsert costs a few milliseconds.
 */
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { makeId } from './ids';
import type { FieldDef, ObjectDef, Schema } from './schema';

export type Value = string | number | boolean | null;
export type Rec = Record<string, Value>;

export type ChangeType = 'CREATE' | 'UPDATE' | 'DELETE' | 'UNDELETE';

export interface Change {
  object: string;
  id: string;
  type: ChangeType;
  changedFields: string[];
  record: Rec;
}

interface UndoEntry {
  object: string;
  id: string;
  before: Rec | undefined;
  /** The record's recycle-bin copy before the change, when it had one. */
  binBefore?: Rec | undefined;
}

/** A unique/external-id value as the org compares it (text is case-insensitive unless caseSensitive). */
export function indexKey(f: FieldDef, v: Value): string {
  const s = String(v);
  return f.caseSensitive ? s : s.toLowerCase();
}

export class Store {
  private readonly tables = new Map<string, Map<string, Rec>>();
  /**
   * The recycle bin: deleted records (IsDeleted = true), per object, out of the live tables and
   * indexes, so only queryAll, getDeleted and undelete see them (SOAP API Developer Guide,
   * "delete()": deleted records stay in the Recycle Bin for 15 days).
   */
  private readonly bins = new Map<string, Map<string, Rec>>();
  /** `object.field` (lower-case) → value key → ids. */
  private readonly indexes = new Map<string, Map<string, Set<string>>>();
  private readonly idCounters = new Map<string, number>();
  private readonly autoNumbers = new Map<string, number>();
  /** When each record becomes visible to SOSL (search-index lag). */
  readonly searchableAt = new Map<string, number>();
  private undo: UndoEntry[] | undefined;
  private pending: Change[] = [];
  private readonly dirty = new Map<string, string>();
  private readonly db: DatabaseSync | undefined;
  private readonly stmts:
    { put: StatementSync; del: StatementSync; meta: StatementSync } | undefined;

  constructor(
    readonly schema: Schema,
    dbFile: string | undefined,
  ) {
    for (const obj of schema.objects.values()) {
      this.tables.set(obj.name, new Map());
      this.bins.set(obj.name, new Map());
      for (const f of obj.fields.values()) {
        if (f.unique || f.externalId || f.idLookup)
          this.indexes.set(`${obj.name}.${f.name}`.toLowerCase(), new Map());
      }
    }
    if (dbFile && dbFile !== ':memory:') {
      this.db = new DatabaseSync(dbFile);
      this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
      this.db.exec(
        'CREATE TABLE IF NOT EXISTS records (id TEXT PRIMARY KEY, sobject TEXT NOT NULL, data TEXT NOT NULL);' +
          'CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);',
      );
      this.stmts = {
        put: this.db.prepare('INSERT OR REPLACE INTO records (id, sobject, data) VALUES (?, ?, ?)'),
        del: this.db.prepare('DELETE FROM records WHERE id = ?'),
        meta: this.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)'),
      };
      this.load();
    }
  }

  private load(): void {
    const db = this.db!;
    for (const row of db.prepare('SELECT key, value FROM meta').all() as {
      key: string;
      value: string;
    }[]) {
      const [kind, name] = row.key.split(':', 2);
      if (kind === 'id' && name) this.idCounters.set(name, Number(row.value));
      if (kind === 'auto' && name) this.autoNumbers.set(name, Number(row.value));
    }
    for (const row of db.prepare('SELECT id, sobject, data FROM records').all() as {
      id: string;
      sobject: string;
      data: string;
    }[]) {
      const obj = this.schema.objects.get(row.sobject.toLowerCase());
      // Records of an object not (yet) in the schema stay on disk, not served, until a deploy
      // (or the deployed metadata replayed at start) creates the object again: ensureObject.
      if (!obj) {
        const key = row.sobject.toLowerCase();
        this.unplaced.set(key, [...(this.unplaced.get(key) ?? []), row]);
        continue;
      }
      this.place(obj, row.id, JSON.parse(row.data) as Rec);
    }
  }

  private readonly unplaced = new Map<string, { id: string; data: string }[]>();

  private place(obj: ObjectDef, id: string, rec: Rec): void {
    if (rec.IsDeleted === true) {
      this.bins.get(obj.name)!.set(id, rec);
      return;
    }
    this.tables.get(obj.name)!.set(id, rec);
    this.indexAdd(obj, rec);
  }

  /**
   * Makes room for an object a deploy created or changed: its table and recycle bin, an index for
   * each unique / external-id field (filled from the records already there), and the records a
   * file-backed org kept for it.
   */
  ensureObject(obj: ObjectDef): void {
    if (!this.tables.has(obj.name)) {
      this.tables.set(obj.name, new Map());
      this.bins.set(obj.name, new Map());
    }
    this.indexedByObject.delete(obj.name);
    for (const f of obj.fields.values()) {
      const key = `${obj.name}.${f.name}`.toLowerCase();
      const indexed = f.unique || f.externalId || f.idLookup;
      if (indexed && !this.indexes.has(key)) {
        const idx = new Map<string, Set<string>>();
        this.indexes.set(key, idx);
        for (const rec of this.tables.get(obj.name)!.values()) {
          const v = rec[f.name];
          if (v === null || v === undefined) continue;
          const k = indexKey(f, v);
          let ids = idx.get(k);
          if (!ids) idx.set(k, (ids = new Set()));
          ids.add(rec.Id as string);
        }
      } else if (!indexed) this.indexes.delete(key);
    }
    const rows = this.unplaced.get(obj.name.toLowerCase());
    if (rows) {
      this.unplaced.delete(obj.name.toLowerCase());
      for (const row of rows) this.place(obj, row.id, JSON.parse(row.data) as Rec);
    }
    // A field added to an object with records: they read its default (a checkbox false), else null.
    for (const records of [this.tables.get(obj.name)!, this.bins.get(obj.name)!]) {
      for (const rec of records.values()) {
        for (const f of obj.fields.values()) {
          if (!(f.name in rec)) rec[f.name] = f.type === 'boolean' ? f.defaultValue === true : null;
        }
      }
    }
  }

  /** A getter meta value persisted next to the records (e.g. the telephony key pair). */
  getMeta(key: string): string | undefined {
    if (!this.db) return undefined;
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as
      { value: string } | undefined;
    return row?.value;
  }

  setMeta(key: string, value: string): void {
    this.stmts?.meta.run(key, value);
  }

  nextId(obj: ObjectDef): string {
    const n = (this.idCounters.get(obj.keyPrefix) ?? 0) + 1;
    this.idCounters.set(obj.keyPrefix, n);
    this.dirty.set(`id:${obj.keyPrefix}`, 'meta');
    return makeId(obj.keyPrefix, n);
  }

  nextAutoNumber(obj: ObjectDef, format: string): string {
    const n = (this.autoNumbers.get(obj.name) ?? 0) + 1;
    this.autoNumbers.set(obj.name, n);
    this.dirty.set(`auto:${obj.name}`, 'meta');
    return format.replace(/\{(0+)\}/, (_m, zeros: string) => String(n).padStart(zeros.length, '0'));
  }

  table(obj: ObjectDef): Map<string, Rec> {
    return this.tables.get(obj.name)!;
  }

  get(obj: ObjectDef, id: string): Rec | undefined {
    return this.tables.get(obj.name)!.get(id);
  }

  /** Ids holding `value` in a unique or external-id field. */
  lookup(obj: ObjectDef, f: FieldDef, value: Value): Set<string> | undefined {
    return this.indexes.get(`${obj.name}.${f.name}`.toLowerCase())?.get(indexKey(f, value));
  }

  isIndexed(obj: ObjectDef, f: FieldDef): boolean {
    return this.indexes.has(`${obj.name}.${f.name}`.toLowerCase());
  }

  /** The indexed fields of an object with their index maps, computed once per object. */
  private readonly indexedByObject = new Map<string, [FieldDef, Map<string, Set<string>>][]>();

  private indexedFields(obj: ObjectDef): [FieldDef, Map<string, Set<string>>][] {
    let list = this.indexedByObject.get(obj.name);
    if (!list) {
      list = [];
      for (const f of obj.fields.values()) {
        const idx = this.indexes.get(`${obj.name}.${f.name}`.toLowerCase());
        if (idx) list.push([f, idx]);
      }
      this.indexedByObject.set(obj.name, list);
    }
    return list;
  }

  private indexAdd(obj: ObjectDef, rec: Rec): void {
    for (const [f, idx] of this.indexedFields(obj)) {
      const v = rec[f.name];
      if (v === null || v === undefined) continue;
      const key = indexKey(f, v);
      let ids = idx.get(key);
      if (!ids) idx.set(key, (ids = new Set()));
      ids.add(rec.Id as string);
    }
  }

  private indexRemove(obj: ObjectDef, rec: Rec): void {
    for (const [f, idx] of this.indexedFields(obj)) {
      const v = rec[f.name];
      if (v === null || v === undefined) continue;
      const key = indexKey(f, v);
      const ids = idx.get(key);
      ids?.delete(rec.Id as string);
      if (ids && ids.size === 0) idx.delete(key);
    }
  }

  /** Starts collecting undo information: everything until commit() or rollback() is one unit. */
  begin(): void {
    this.undo = [];
  }

  put(obj: ObjectDef, rec: Rec, change: Omit<Change, 'object' | 'id' | 'record'>): void {
    const id = rec.Id as string;
    const table = this.tables.get(obj.name)!;
    const before = table.get(id);
    this.undo?.push({ object: obj.name, id, before });
    if (before) this.indexRemove(obj, before);
    table.set(id, rec);
    this.indexAdd(obj, rec);
    this.dirty.set(id, obj.name);
    this.pending.push({ object: obj.name, id, record: rec, ...change });
  }

  /**
   * Deletes a record: it moves to the recycle bin with IsDeleted = true and its SystemModstamp set to
   * the deletion time (which getDeleted reports), unless `purge` removes it for good.
   */
  remove(obj: ObjectDef, id: string, opts: { at?: string; purge?: boolean } = {}): void {
    const table = this.tables.get(obj.name)!;
    const bin = this.bins.get(obj.name)!;
    const before = table.get(id);
    if (!before) return;
    this.undo?.push({ object: obj.name, id, before, binBefore: bin.get(id) });
    this.indexRemove(obj, before);
    table.delete(id);
    if (!opts.purge) {
      bin.set(id, {
        ...before,
        IsDeleted: true,
        ...(opts.at !== undefined ? { SystemModstamp: opts.at } : {}),
      });
    }
    this.dirty.set(id, obj.name);
    this.pending.push({ object: obj.name, id, type: 'DELETE', changedFields: [], record: before });
  }

  /**
   * Stamps fields the org maintains on reads (LastViewedDate, LastReferencedDate): written through at
   * the next commit, not a change (no change event, no SystemModstamp update).
   */
  touch(obj: ObjectDef, id: string, fields: Rec): void {
    const table = this.tables.get(obj.name)!;
    const rec = table.get(id);
    if (!rec) return;
    table.set(id, { ...rec, ...fields });
    this.dirty.set(id, obj.name);
  }

  /** A deleted record still in the recycle bin. */
  getDeleted(obj: ObjectDef, id: string): Rec | undefined {
    return this.bins.get(obj.name)!.get(id);
  }

  /** The recycle bin of one object. */
  binOf(obj: ObjectDef): Map<string, Rec> {
    return this.bins.get(obj.name)!;
  }

  /** Restores a record from the recycle bin (IsDeleted = false), as undelete() does. */
  restore(obj: ObjectDef, id: string, fields: Partial<Rec>): Rec | undefined {
    const bin = this.bins.get(obj.name)!;
    const rec = bin.get(id);
    if (!rec) return undefined;
    const table = this.tables.get(obj.name)!;
    this.undo?.push({ object: obj.name, id, before: undefined, binBefore: rec });
    bin.delete(id);
    const restored: Rec = { ...rec, ...fields, IsDeleted: false };
    table.set(id, restored);
    this.indexAdd(obj, restored);
    this.dirty.set(id, obj.name);
    this.pending.push({
      object: obj.name,
      id,
      type: 'UNDELETE',
      changedFields: [],
      record: restored,
    });
    return restored;
  }

  /** Empties the recycle bin of records deleted before `before` (ISO time); returns how many. */
  purgeBin(before: string): number {
    let n = 0;
    for (const [name, bin] of this.bins) {
      for (const [id, rec] of bin) {
        if (String(rec.SystemModstamp) >= before) continue;
        bin.delete(id);
        this.dirty.set(id, name);
        n++;
      }
    }
    return n;
  }

  /** Undoes every write since the matching savepoint (an index into the undo log). */
  savepoint(): number {
    return this.undo?.length ?? 0;
  }

  rollbackTo(savepoint: number): void {
    if (!this.undo) return;
    while (this.undo.length > savepoint) {
      const u = this.undo.pop()!;
      const obj = this.schema.objects.get(u.object.toLowerCase())!;
      const table = this.tables.get(obj.name)!;
      const current = table.get(u.id);
      if (current) this.indexRemove(obj, current);
      if (u.before) {
        table.set(u.id, u.before);
        this.indexAdd(obj, u.before);
      } else {
        table.delete(u.id);
      }
      if ('binBefore' in u) {
        const bin = this.bins.get(obj.name)!;
        if (u.binBefore) bin.set(u.id, u.binBefore);
        else bin.delete(u.id);
      }
    }
    const keep = new Set(this.undo.map((u) => u.id));
    this.pending = this.pending.filter((c) => keep.has(c.id));
  }

  /** Writes the unit through to SQLite in one transaction and returns the changes it made. */
  commit(): Change[] {
    this.undo = undefined;
    const changes = this.pending;
    this.pending = [];
    if (this.db && this.stmts && this.dirty.size > 0) {
      this.db.exec('BEGIN');
      try {
        for (const [key, object] of this.dirty) {
          if (object === 'meta') {
            const [kind, name] = key.split(':', 2);
            const value = kind === 'id' ? this.idCounters.get(name!) : this.autoNumbers.get(name!);
            this.stmts.meta.run(key, String(value ?? 0));
            continue;
          }
          const rec = this.tables.get(object)?.get(key) ?? this.bins.get(object)?.get(key);
          if (rec) this.stmts.put.run(key, object, JSON.stringify(rec));
          else this.stmts.del.run(key);
        }
        this.db.exec('COMMIT');
      } catch (e) {
        this.db.exec('ROLLBACK');
        throw e;
      }
    }
    this.dirty.clear();
    return changes;
  }

  rollback(): void {
    this.rollbackTo(0);
    this.undo = undefined;
    this.pending = [];
  }

  close(): void {
    this.db?.close();
  }
}
