/**
 * The runs ticked on the Runs screen, shared with the navigation so "Compare selected" (and the
 * Compare link) open those runs. Ids stay in the order they were ticked.
 */
export class RunSelection {
  ids = $state<number[]>([]);

  has(id: number): boolean {
    return this.ids.includes(id);
  }

  toggle(id: number, selected = !this.has(id)): void {
    if (selected && !this.has(id)) this.ids = [...this.ids, id];
    if (!selected) this.ids = this.ids.filter((x) => x !== id);
  }

  /** True when every id in `ids` (and at least one) is selected. */
  hasAll(ids: readonly number[]): boolean {
    return ids.length > 0 && ids.every((id) => this.has(id));
  }

  /** Selects all of `ids`, or unselects them all when they already are (one click per experiment). */
  toggleAll(ids: readonly number[]): void {
    if (this.hasAll(ids)) this.ids = this.ids.filter((id) => !ids.includes(id));
    else this.ids = [...this.ids, ...ids.filter((id) => !this.has(id))];
  }

  /** Drops ids that no longer exist (deleted runs). */
  keepOnly(existing: ReadonlySet<number>): void {
    if (this.ids.some((id) => !existing.has(id))) this.ids = this.ids.filter((id) => existing.has(id));
  }

  clear(): void {
    this.ids = [];
  }
}
