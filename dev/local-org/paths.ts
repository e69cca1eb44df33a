/**
 * The files a local org starts from, wherever the process was started: the package's own metadata
 * (its schema, read at start) and the sample data `npm start` seeds an empty org with.
 */
import path from 'node:path';

export const PACKAGE_METADATA_DIR = path.resolve(
  __dirname,
  '..',
  '..',
  'force-app',
  'main',
  'default',
);
export const SAMPLE_SEED_FILE = path.join(__dirname, 'seed', 'sample.json');
