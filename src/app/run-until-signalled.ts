/**
 * Keeps a started service running until SIGTERM or SIGINT, then shuts it down gracefully:
 * no new calls, live calls get the grace period, the rest go back to the dialplan.
 * A second signal (sent again later) exits at once.
 */
import type { Logger } from 'pino';

export function runUntilSignalled(running: { shutdown(graceMs: number): Promise<void> }, graceMs: number, log: Logger): void {
  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    // Ctrl-C reaches the process twice (from the terminal and relayed by a wrapper such as
    // npm or tsx): only a signal sent again later means "stop waiting for live calls".
    if (firstSignalAt > 0) {
      if (Date.now() - firstSignalAt < 1000) return;
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    firstSignalAt = Date.now();
    void running.shutdown(graceMs).then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
