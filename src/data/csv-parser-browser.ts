import type { Readable } from 'node:stream';
import { parse, type Options } from 'csv-parse/browser/esm/sync';

type Event = 'readable' | 'end' | 'close' | 'error';

/**
 * Browsers: csv-parse's streaming parser needs Node's streams, so the whole text is read, parsed
 * at once, and its records handed out through the few members of a Readable that csv.ts reads.
 * A browser's CSV is a string or a file's text already held in memory.
 */
class ParsedRecords {
  private records: unknown[] = [];
  private next = 0;
  private parsed = false;
  private readonly listeners = new Map<Event, Set<(e?: unknown) => void>>();
  readableEnded = false;
  destroyed = false;
  errored: Error | null = null;

  constructor(source: AsyncIterable<string | Uint8Array>, options: Options) {
    void this.run(source, options);
  }

  private async run(source: AsyncIterable<string | Uint8Array>, options: Options): Promise<void> {
    const decoder = new TextDecoder();
    let text = '';
    try {
      for await (const chunk of source) {
        if (this.destroyed) return;
        text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
      }
      text += decoder.decode();
      this.records = parse(text, options) as unknown[];
    } catch (e) {
      this.errored = e instanceof Error ? e : new Error(String(e));
      this.emit('error', this.errored);
      return;
    }
    this.parsed = true;
    this.emit('readable');
  }

  read(): unknown {
    if (this.destroyed || !this.parsed) return null;
    if (this.next < this.records.length) return this.records[this.next++];
    if (!this.readableEnded) {
      this.readableEnded = true;
      queueMicrotask(() => this.emit('end'));
    }
    return null;
  }

  on(event: Event, fn: (e?: unknown) => void): this {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event)!.add(fn);
    return this;
  }

  off(event: Event, fn: (e?: unknown) => void): this {
    this.listeners.get(event)?.delete(fn);
    return this;
  }

  destroy(): this {
    if (!this.destroyed) {
      this.destroyed = true;
      this.records = [];
      this.emit('close');
    }
    return this;
  }

  private emit(event: Event, e?: unknown): void {
    for (const fn of [...(this.listeners.get(event) ?? [])]) fn(e);
  }
}

export function startParser(source: AsyncIterable<string | Uint8Array>, options: Options): Readable {
  return new ParsedRecords(source, options) as unknown as Readable;
}
