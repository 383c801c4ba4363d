/**
 * An ordered index of items by an immutable key, with a cursor that names the last key a page
 * returned. Reading a page costs a binary search plus the page, whatever the index holds, and a
 * cursor stays correct while items are added or change their (mutable) status.
 */
export type SortKey = readonly (string | number)[];

/** Compares keys of one index (all of the same length, see orderKey), element by element. */
export function compareKeys(a: SortKey, b: SortKey): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

export class SortedIndex<T> {
  private readonly entries: { key: SortKey; item: T }[] = [];

  constructor(private readonly keyOf: (item: T) => SortKey) {}

  insert(item: T): void {
    const key = this.keyOf(item);
    const at = this.firstAfter(key);
    if (at === this.entries.length) this.entries.push({ key, item });
    else this.entries.splice(at, 0, { key, item });
  }

  /** Up to `limit` items after `cursor` (from the start when there is none) that pass `keep`. */
  page(cursor: SortKey | undefined, limit: number, keep: (item: T) => boolean): { items: T[]; more: boolean } {
    const items: T[] = [];
    let i = cursor ? this.firstAfter(cursor) : 0;
    for (; i < this.entries.length && items.length < limit; i++) {
      if (keep(this.entries[i].item)) items.push(this.entries[i].item);
    }
    let more = false;
    for (; i < this.entries.length; i++) {
      if (keep(this.entries[i].item)) {
        more = true;
        break;
      }
    }
    return { items, more };
  }

  keyFor(item: T): SortKey {
    return this.keyOf(item);
  }

  private firstAfter(key: SortKey): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(this.entries[mid].key, key) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  // ---- removal and iteration: deletion and inspection, not listing ----

  remove(item: T): void {
    const key = this.keyOf(item);
    const at = this.firstAtOrAfter(key);
    if (at < this.entries.length && this.entries[at].item === item) this.entries.splice(at, 1);
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (const e of this.entries) yield e.item;
  }

  private firstAtOrAfter(key: SortKey): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(this.entries[mid].key, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
