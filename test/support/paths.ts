import { fileURLToPath } from 'node:url';
import { join, dirname } from 'node:path';

/** The repository's root folder. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Real IKEv1 exchanges with their keys (copied from the project's shared reference material). */
export const capturesDir = join(repoRoot, 'test', 'fixtures', 'captures');
