/**
 * A port already in use is the commonest first-run failure: say which one, who wanted it and
 * how to change it, in one line, instead of a stack.
 */
export function exitIfPortBusy(err: unknown, what: string, port: number, variable: string): never {
  if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    process.stderr.write(`port ${port} is already in use (${what}): stop what holds it, or set ${variable} to another port\n`);
    process.exit(1);
  }
  throw err;
}
