/**
 * `cruddur-ddb repair`: heals a messages table's group items (one per owner, at the newest message) and
 * reports what it found. The work is in src/patterns/repair.ts (executor) and repair-plan.ts (planner);
 * this file only checks flags, guards prod, shows progress and prints the report.
 */
import type { Context } from '../kit/context.js';
import { confirmDestructive } from '../kit/prod-prompt.js';
import { checkTableName } from '../core/environment.js';
import { CliError, EXIT } from '../core/errors.js';
import { failing, record, type Output } from '../kit/output.js';
import { GROUPS_SCAN_INPUT, repairTable, type RepairReport } from '../patterns/repair.js';
import { scanPages } from '../transfer/scanner.js';
import { createProgress } from '../kit/progress.js';
import type { RepairInput } from './repair.def.js';

/** The definition's arguments and options, typed there (defaults and choices live there, once). */
export type RepairCommandOptions = RepairInput;

export async function repair(options: RepairCommandOptions, context: Context): Promise<Output> {
  const table = checkTableName(context.env.table.value);
  const { dryRun, concurrency } = options;
  // The same guard as drop, before any call; a dry run changes nothing and needs none.
  if (!dryRun) await confirmDestructive(context, `rewrite group items and remove duplicate messages of ${table}`, table);
  const client = await context.dynamo();
  const progress = createProgress(context, `${dryRun ? 'Checking' : 'Repairing'} ${table}: conversations`);
  let report: RepairReport;
  // Ctrl-C: finish the conversations under way (each is one transaction), start no more, and say what was done.
  const controller = new AbortController();
  const stopListening = context.onSignal((signal) => {
    context.say(`${signal}: finishing the conversations under way (again to quit at once)`);
    controller.abort();
  });
  try {
    report = await repairTable({
      client,
      table,
      zone: context.env.timeZone.value,
      dryRun,
      concurrency,
      // Through the one scanner, one segment: the walk's order (a conversation's group items together) is the GSI's.
      groups: groupIds(scanPages(client, table, { input: GROUPS_SCAN_INPUT })),
      onConversation: () => progress.add(1),
      log: (line) => context.say(`  ${line}`),
      signal: controller.signal,
    });
  } finally {
    stopListening();
    progress.done();
  }
  const { found } = report;
  const { duplicateMessages } = report;
  const problems = found.behind + found.ahead + found.duplicate + found.missing + duplicateMessages.count;
  context.say(
    `${dryRun ? 'Dry run: would repair' : 'Repaired'} ${report.repaired} of ${report.conversations} conversations (${report.messages} messages) in ${table}: ` +
      `group items behind ${found.behind}, ahead ${found.ahead}, duplicate ${found.duplicate}, missing ${found.missing}` +
      `${problems === 0 ? ' (nothing to do)' : ''}; ${report.nonCanonical.count} message sk not in the fixed-width UTC form (left as they are); ` +
      `duplicate messages (one message_uuid under two sks) ${duplicateMessages.count}${dryRun || !duplicateMessages.count ? '' : ` (${duplicateMessages.removed} removed)`}.`,
  );
  for (const line of report.unfixable) context.say(`  cannot fix: ${line}`);
  // People get one line per setting; scripts get the report as it is.
  const { unfixableCount, nonCanonical, duplicateMessages: _duplicates, ...rest } = report;
  const forPeople = {
    ...rest,
    found: Object.entries(found)
      .map(([kind, n]) => `${kind} ${n}`)
      .join(', '),
    unfixable: unfixableCount,
    duplicateMessages: `${duplicateMessages.count}${dryRun ? '' : ` (${duplicateMessages.removed} removed)`}${duplicateMessages.examples.length ? `, e.g. ${duplicateMessages.examples.map((e) => e.sk).join(', ')}` : ''}`,
    nonCanonical: `${nonCanonical.count}${nonCanonical.examples.length ? `, e.g. ${nonCanonical.examples.map((e) => e.sk).join(', ')}` : ''}`,
  };
  const output = record({ ...report }, forPeople);
  if (report.stopped) {
    return failing(
      output,
      new CliError('repair.cancelled', `Stopped: the ${report.conversations} conversations looked at are done; the rest were not looked at`, {
        hint: 'Run repair again to finish: it is idempotent',
        exitCode: EXIT.cancelled,
      }),
    );
  }
  if (report.failed > 0) {
    // The report first (it says what was done), then the failure and its exit code.
    return failing(
      output,
      new CliError('repair.failed', `${report.failed} conversation${report.failed === 1 ? '' : 's'} could not be repaired (the lines above say why)`, {
        hint: 'Run repair again: it is idempotent',
      }),
    );
  }
  return output;
}

async function* groupIds(pages: AsyncIterable<Array<Record<string, { S?: string }>>>): AsyncGenerator<Array<string | undefined>> {
  for await (const page of pages) yield page.map((item) => item.message_group_uuid?.S);
}
