/** Every CLI command, in the order `--help` lists them. */
import type { Command } from '../command.js';
import { auditCommand } from './audit.js';
import { composeCommand } from './compose.js';
import { diffCommand } from './diff.js';
import { envCommand } from './env.js';
import { initCommand } from './init.js';
import { inspectCommand } from './inspect.js';
import { planCommand } from './plan.js';
import { resultsCommand } from './results.js';
import {
  assembleCommand,
  factsCommand,
  materializeCommand,
  selectCommand,
  slurmCommand,
  stagedCommand,
} from './stages.js';
import { validateCommand } from './validate.js';

export const COMMANDS: readonly Command[] = [
  composeCommand,
  planCommand,
  validateCommand,
  inspectCommand,
  auditCommand,
  diffCommand,
  resultsCommand,
  factsCommand,
  selectCommand,
  materializeCommand,
  assembleCommand,
  slurmCommand,
  stagedCommand,
  initCommand,
  envCommand,
];
