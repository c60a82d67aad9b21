/**
 * The twin's access log on stdout, one line per request, written in batches: a synchronous
 * write per request (stdout is a pipe or a terminal, both written synchronously on Linux) cost
 * the gateway 2–4 % of its CPU under load (bench/profile-workload.ts). Lines wait at most
 * FLUSH_MS; whatever is pending is written when the process exits.
 */
const FLUSH_MS = 25;

export const batchedLines = (
  prefix: string,
  write: (text: string) => void = (text) => process.stdout.write(text),
) => {
  let pending: string[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending.length === 0) return;
    const text = `${pending.join('\n')}\n`;
    pending = [];
    write(text);
  };
  process.once('exit', flush);
  return (line: string) => {
    pending.push(`${prefix}${line}`);
    if (scheduled) return;
    scheduled = true;
    setTimeout(flush, FLUSH_MS).unref();
  };
};
