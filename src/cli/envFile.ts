import * as fs from 'node:fs';
import { parse } from 'dotenv';
import { describeFsError, InputError } from '../service/inputFiles';

/**
 * The environment a mirrord session would see: the process's, with each `--env-file` (dotenv
 * syntax, as a launch configuration's `envFile`) applied over it in order, as VS Code applies a
 * launch configuration's envFile over its own environment.
 */
export function sessionEnvironment(base: Record<string, string | undefined>, envFiles: string[]): Record<string, string | undefined> {
  const env = { ...base };
  for (const file of envFiles) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw new InputError(`cannot read env file ${file}: ${describeFsError(error)}`);
    }
    Object.assign(env, parse(text));
  }
  return env;
}
