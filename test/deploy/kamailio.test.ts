/**
 * deploy/kamailio/kamailio.cfg on Debian's Kamailio: the file checks and loads, and its
 * dispatcher spreads the carrier's calls over two nodes (SIPp standing in for the Asterisk
 * nodes), takes out a node that stops answering the OPTIONS probes — calls then reach only
 * the other one — and takes it back once it answers again.
 */
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { KAMAILIO_CFG, freeSipPort, missingBinaries, startKamailio, until, type KamailioLab } from './sip-lab.js';

const missing = missingBinaries();
const title = missing.length
  ? `deploy/kamailio (SKIPPED: ${missing.join(' and ')} not installed; apt-get install kamailio kamailio-websocket-modules sip-tester)`
  : 'deploy/kamailio: the SIP front of the Asterisk nodes';

describe.skipIf(missing.length > 0)(title, () => {
  let lab: KamailioLab | undefined;
  afterEach(async () => {
    await lab?.close();
    lab = undefined;
  });

  it('the config passes kamailio -c, with and without WSS', () => {
    for (const extra of [[], ['-A', 'WITH_TLS']]) {
      const check = spawnSync('kamailio', ['-c', '-f', KAMAILIO_CFG, ...extra], { encoding: 'utf8' });
      expect(check.status, check.stderr).toBe(0);
      expect(check.stderr).toContain('config file ok');
    }
  });

  it('spreads calls over both nodes in turn; a node that stops answering probes is taken out, then back', async () => {
    const [portA, portB] = [await freeSipPort(), await freeSipPort()];
    // Probes every second, two unanswered in a row take a node out: seconds, not minutes.
    lab = await startKamailio([portA, portB], { DS_PING_INTERVAL: 1, DS_PROBING_THRESHOLD: 2, FR_TIMER: 1000 });
    const nodeA = lab.node(portA, 'node-uas.xml');
    let nodeB = lab.node(portB, 'node-uas.xml');
    const active = (uri: string) => lab!.nodeFlags(uri)?.startsWith('A');
    await until('both nodes active', () => (active(nodeA.uri) && active(nodeB.uri) ? true : undefined));

    const first = await lab.call(6);
    expect(first.code, first.output + lab.log().slice(-2000)).toBe(0);
    await until('6 INVITEs at the nodes', () => (nodeA.invites() + nodeB.invites() === 6 ? true : undefined));
    // Round robin, one call at a time: 3 each.
    expect([nodeA.invites(), nodeB.invites()]).toEqual([3, 3]);

    // Node B hangs on its SIP side: it still takes calls but no longer answers the probes.
    await nodeB.stop();
    nodeB = lab.node(portB, 'node-uas-no-probes.xml');
    await until('node B taken out', () => (lab!.nodeFlags(nodeB.uri)?.startsWith('I') ? true : undefined));
    const second = await lab.call(4);
    expect(second.code, second.output).toBe(0);
    await until('4 more INVITEs at node A', () => (nodeA.invites() === 7 ? true : undefined));
    expect(nodeB.invites()).toBe(0);

    // It answers again: back in the rotation.
    await nodeB.stop();
    nodeB = lab.node(portB, 'node-uas.xml');
    await until('node B back', () => (active(nodeB.uri) ? true : undefined));
    const third = await lab.call(4);
    expect(third.code, third.output).toBe(0);
    await until('4 more INVITEs at the nodes', () => (nodeA.invites() + nodeB.invites() === 11 ? true : undefined));
    expect(nodeB.invites()).toBe(2);
  });
});
