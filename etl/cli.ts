import { caseCommands } from './commands/case-commands.ts';
import { clusterCommands } from './commands/cluster-commands.ts';
import type { Command } from './commands/command.ts';
import { listCommands } from './commands/list-commands.ts';

/**
 * `npm run -s etl -- <command> …`
 *   parse FILE [--corrections FILE.yaml]   print the parsed list's items as JSON (no database);
 *                  issues go to stderr; reviewed corrections applied only with --corrections
 *   load FILE      load a list file (.txt PDF export, or .xlsx/.csv clean sheet) as a new version
 *                  (no-op if already loaded); --label 2024年版 --list-date YYYY-MM-DD (the list's own
 *                  date) --effective-date YYYY-MM-DD; --bureau ID (another bureau's list; a new
 *                  bureau also needs --bureau-name NAME). Prints the issues recorded; exit 0 when
 *                  loaded (with warnings), 1 when refused
 *   export-sheet --out FILE.xlsx|.csv [--version N] [--bureau ID]   write a version as the clean sheet
 *   registry       load data/instruments.yaml + data/lists/lists.yaml (no-op if unchanged) and
 *                  derive citations and fine clauses of any version lacking them
 *   run            one full ETL run, as the scheduler does (including the inbox, DATA_DIR/inbox)
 *   generate-cases --rows N --seed S --out FILE [--year Y]   synthetic case CSV (no database)
 *   load-cases FILE [--bureau ID]  load a case CSV (no-op if already loaded), with a progress bar
 *   cluster init | status | move BUREAU --to shardN   the bureau-sharded deployment (SHARD_URLS)
 * With SHARD_URLS set, DATABASE_URL is the coordinator and load, load-cases and export-sheet work
 * on the shard that holds the bureau.
 *
 * Exit codes: 0 done (`run`: also when skipped because another run held the lock), 1 failed,
 * 2 unknown command, 3 loaded but some lines were unreadable as CSV records (see the rejects).
 */
const COMMANDS: Record<string, Command> = { ...listCommands, ...caseCommands, ...clusterCommands };

const [command = '', ...args] = process.argv.slice(2);
const handler = COMMANDS[command];
if (!handler) {
  console.error(`unknown command "${command}"; commands: ${Object.keys(COMMANDS).join(', ')}`);
  process.exit(2);
}
handler(args).then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(err.message);
    process.exit(1);
  },
);
