/**
 * The `--fail-on` option shared by `analyze`, `audit` and `live`: one vocabulary (`info`,
 * `warning`, `critical`, `never`; `none` as a synonym of `never`), one parser
 * ({@link parseFailOn}), so a value accepted by one command is accepted by all.
 */
import { Option } from 'commander';
import { FAIL_ON_VALUES, parseFailOn, type FailOn } from '../report/exit.js';

/** `--fail-on <severity>` with `what` ("an incident", "a risk") in the help and `fallback` as default. */
export function failOnOption(what: string, fallback: FailOn): Option {
  return new Option('--fail-on <severity>', `exit 1 when ${what} is at least this severe: ${FAIL_ON_VALUES.join(', ')}`)
    .argParser(parseFailOn)
    .default(fallback);
}
