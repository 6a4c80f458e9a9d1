import { Readable, pipeline } from 'node:stream';
import { parse, type Options } from 'csv-parse';

/** Node: csv-parse's streaming parser fed from `source`; records are read from it in object mode. */
export function startParser(source: AsyncIterable<string | Uint8Array>, options: Options): Readable {
  const parser = parse(options);
  pipeline(Readable.from(source), parser, () => {});
  return parser;
}
