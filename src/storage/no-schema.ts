import { InputError } from '../core/errors.js';

/**
 * The refusal of a command that only reads (`studies`, `show`, `trials`, `dashboard`, …) pointed at a database
 * without autotune's schema: most likely the wrong database, which must not get autotune's tables from a look.
 */
export function noSchema(where: string): InputError {
  return new InputError(
    `${where} has no autotune studies (no autotune schema); check the storage URL, or create a study there with autotune run`,
  );
}
