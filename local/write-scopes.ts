/**
 * IAM's `dynamodb:LeadingKeys` conditions, checked in the twin (which enforces no IAM): every
 * handler runs as its function, and with the check on, a write to Main whose partition key is
 * outside the function's `mainWrites` fails as AWS would fail it (AccessDeniedException), and
 * says so on stderr. Without this, a function writing a new kind of item would pass every test
 * here and be refused in AWS.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { appendFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { dynamoClient } from '#data/client.ts';
import { partitionAllowed, partitionPatterns } from '#data/write-scopes.ts';
import type { FunctionDefinition } from '#shared/functions.ts';

interface Writer {
  entry: string;
  /** Empty: the function has no `main:write` (IAM denies it every write). */
  patterns: readonly string[];
}

const writers = new AsyncLocalStorage<Writer>();

const writerOf = (definition: FunctionDefinition): Writer => ({
  entry: definition.entry,
  patterns: definition.access.includes('main:write') ? partitionPatterns(definition.mainWrites ?? []) : [],
});

/** The handler, run as its function: what it writes (and what it awaits) is checked as the function's. */
export const asFunction = <T>(definition: FunctionDefinition, handler: T): T => {
  if (typeof handler !== 'function') return handler;
  const writer = writerOf(definition);
  return ((...args: unknown[]) => writers.run(writer, () => handler(...args))) as T;
};

const ROOT = resolve(import.meta.dirname, '..');

/** Imports a function's entry module from the sources (Node 24 strips the types), run as that function. */
export const loadHandler = async <T>(definition: FunctionDefinition): Promise<T> => {
  const module = (await import(pathToFileURL(join(ROOT, definition.entry)).href)) as { handler?: T };
  if (!module.handler) throw new Error(`${definition.entry} exports no handler`);
  return asFunction(definition, module.handler);
};

type Input = Record<string, unknown>;

/** A key attribute as the document client gives it (plain) or as the wire carries it (`{ S }`). */
const textOf = (value: unknown): string | undefined => {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'S' in value && typeof value.S === 'string') return value.S;
  return undefined;
};

const pkOf = (item: unknown): string | undefined =>
  item && typeof item === 'object' && 'pk' in item ? textOf(item.pk) : undefined;

/** The partition keys a command writes in one table (condition checks write nothing). */
const writtenKeys = (command: string, input: Input, table: string): (string | undefined)[] => {
  const named = input.TableName === table;
  switch (command) {
    case 'PutItemCommand':
      return named ? [pkOf(input.Item)] : [];
    case 'UpdateItemCommand':
    case 'DeleteItemCommand':
      return named ? [pkOf(input.Key)] : [];
    case 'BatchWriteItemCommand': {
      const requests = ((input.RequestItems as Record<string, Input[]> | undefined)?.[table] ??
        []) as Input[];
      return requests.map((request) =>
        pkOf(
          (request.PutRequest as Input | undefined)?.Item ??
            (request.DeleteRequest as Input | undefined)?.Key,
        ),
      );
    }
    case 'TransactWriteItemsCommand':
      return ((input.TransactItems ?? []) as Input[]).flatMap((action) => {
        const write = (action.Put ?? action.Update ?? action.Delete) as Input | undefined;
        if (write?.TableName !== table) return [];
        return [pkOf(write.Item ?? write.Key)];
      });
    default:
      return [];
  }
};

const denied = (writer: Writer, command: string, pk: string | undefined, report: (line: string) => void) => {
  const message = `${writer.entry} may not ${command.replace(/Command$/, '')} partition ${pk ?? '(none)'} of Main: its mainWrites allow ${writer.patterns.join(', ') || 'nothing'}`;
  console.error(`[write-scopes] ${message}`);
  report(message);
  return Object.assign(new Error(`User is not authorized (twin write-scope check): ${message}`), {
    name: 'AccessDeniedException',
  });
};

/** Where the twin lists each refused write, one a line, under its data dir (the e2e teardown reads it). */
export const WRITE_SCOPE_REFUSALS = join('logs', 'write-scope-refusals.log');

export const reportTo =
  (file: string) =>
  (line: string): void =>
    appendFileSync(file, `${line}\n`);

let installed = false;

/**
 * Checks every write to the Main table named `table` against the running function's scopes;
 * `report` hears each refusal too, for a caller that swallows the error (best-effort writes).
 */
export const checkWriteScopes = (table: string, report: (line: string) => void = () => undefined): void => {
  if (installed) return;
  installed = true;
  dynamoClient.middlewareStack.add(
    (next, context) => async (args) => {
      const writer = writers.getStore();
      if (writer) {
        for (const pk of writtenKeys(String(context.commandName), args.input as Input, table)) {
          if (pk === undefined || !partitionAllowed(pk, writer.patterns))
            throw denied(writer, String(context.commandName), pk, report);
        }
      }
      return next(args);
    },
    { step: 'initialize', name: 'shiftlineWriteScopes', priority: 'low' },
  );
};
