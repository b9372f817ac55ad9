/**
 * Dataset-name rules (protocol §0.2). The rules themselves live in the engine (engine/names.ts) so
 * the HTTP layer and the engine can never disagree; this wraps them for use in route handlers.
 */
import { validateDatasetName as check } from '../engine/names.js';

/** Returns the name when it is valid, else throws 400 invalid_index_name_exception. */
export function validateDatasetName(name: string): string {
  check(name);
  return name;
}
