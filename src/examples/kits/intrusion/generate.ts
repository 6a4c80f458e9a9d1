/**
 * Connection and login logs of a small company network: users on their workstations reaching a
 * few servers in working hours, a backup service account moving gigabytes every night (the
 * legitimate heavy sender any exfiltration detector must not flag), and three planted attacks,
 * every row of each labelled with its attack id:
 * - `brute-force`: one host trying a user's password on a server's SSH port dozens of times in minutes;
 * - `port-scan`: a compromised workstation probing many ports of one server with empty connections;
 * - `exfiltration`: a user's account sending hundreds of megabytes to an outside host at night.
 */
import { Rng } from '../../../core/random.js';
import { DAY_MS, HOUR_MS, KIT_START } from '../frames.js';
import { logNormal, pick, poisson } from '../sampling.js';

export type AttackType = 'none' | 'brute-force' | 'port-scan' | 'exfiltration';

export interface Connection {
  ts: number;
  user: string;
  src_host: string;
  dst_host: string;
  dst_port: number;
  bytes_out: number;
  bytes_in: number;
  duration_s: number;
  failed: number;
  type: AttackType;
  /** Which attack the row belongs to (-1: none). */
  attack: number;
}

export interface IntrusionData {
  days: number;
  connections: Connection[];
  attacks: number;
}

const SERVICES: [string, number][] = [
  ['srv-git', 22], ['srv-web', 443], ['srv-files', 445], ['srv-db', 5432], ['srv-rdp', 3389],
  ['srv-mail', 993], ['srv-wiki', 443], ['srv-ci', 22], ['srv-build', 22], ['srv-hr', 443],
];

const external = (rng: Rng): string => `ext-${rng.int(256)}.${rng.int(256)}.${rng.int(256)}.${rng.int(256)}`;

function failedLogin(rng: Rng): Pick<Connection, 'bytes_out' | 'bytes_in' | 'duration_s' | 'failed'> {
  return { bytes_out: 300 + rng.int(200), bytes_in: 200 + rng.int(100), duration_s: 0.5 + rng.next(), failed: 1 };
}

export function generateIntrusion(seed: number, o: { users: number; days: number }): IntrusionData {
  const rng = new Rng(seed);
  const users = Array.from({ length: o.users }, (_, i) => ({
    id: `u${String(i).padStart(3, '0')}`,
    ws: `ws-${String(i).padStart(3, '0')}`,
    servers: Array.from({ length: 3 }, () => pick(rng, SERVICES)),
    rate: 6 + 10 * rng.next(),
  }));
  const rows: Connection[] = [];
  let attacks = 0;
  const scale = o.users / 60;
  for (let day = 0; day < o.days; day++) {
    const base = KIT_START + day * DAY_MS;
    const weekend = day % 7 >= 5;
    for (const u of users) {
      for (let k = poisson(rng, weekend ? u.rate * 0.1 : u.rate); k > 0; k--) {
        const [dst, port] = pick(rng, u.servers);
        const ts = base + Math.round((8 + 10 * rng.next()) * HOUR_MS);
        // A mistyped password looks like one brute-force attempt: the same few hundred bytes.
        if (rng.next() < 0.04) rows.push({ ts, user: u.id, src_host: u.ws, dst_host: dst, dst_port: port, ...failedLogin(rng), type: 'none', attack: -1 });
        else rows.push({
          ts, user: u.id, src_host: u.ws, dst_host: dst, dst_port: port,
          bytes_out: Math.round(logNormal(rng, 8, 1)), bytes_in: Math.round(logNormal(rng, 10, 1.2)),
          duration_s: logNormal(rng, 3, 1), failed: 0, type: 'none', attack: -1,
        });
      }
    }
    // The monitoring agent's health checks: empty connections to every service, like a scan's.
    for (let h = 0; h < 24; h += 2) {
      for (const [dst, port] of SERVICES) {
        rows.push({ ts: base + h * HOUR_MS + rng.int(600_000), user: 'svc-monitor', src_host: 'srv-mon', dst_host: dst, dst_port: port, bytes_out: 40 + rng.int(40), bytes_in: rng.int(200), duration_s: 0.01 + 0.05 * rng.next(), failed: 0, type: 'none', attack: -1 });
      }
    }
    rows.push({
      ts: base + Math.round((2 + rng.next()) * HOUR_MS), user: 'svc-backup', src_host: 'srv-files', dst_host: 'srv-backup', dst_port: 873,
      bytes_out: Math.round(logNormal(rng, 21.5, 0.3)), bytes_in: Math.round(logNormal(rng, 9, 0.5)), duration_s: logNormal(rng, 7, 0.3), failed: 0, type: 'none', attack: -1,
    });
    const at = (from: number, to: number): number => base + Math.round((from + (to - from) * rng.next()) * HOUR_MS);
    for (let k = poisson(rng, 0.8 * scale); k > 0; k--) {
      const victim = pick(rng, users);
      const from = rng.next() < 0.5 ? external(rng) : pick(rng, users).ws;
      const [dst] = pick(rng, SERVICES.filter(([, p]) => p === 22));
      const t = at(0, 24);
      const n = 20 + rng.int(21);
      for (let j = 0; j < n; j++) {
        const attempt = j < n - 1 ? failedLogin(rng) : { bytes_out: Math.round(logNormal(rng, 8, 1)), bytes_in: Math.round(logNormal(rng, 10, 1.2)), duration_s: logNormal(rng, 3, 1), failed: 0 };
        rows.push({ ts: t + j * (10_000 + rng.int(20_000)), user: victim.id, src_host: from, dst_host: dst, dst_port: 22, ...attempt, type: 'brute-force', attack: attacks });
      }
      attacks++;
    }
    for (let k = poisson(rng, 0.8 * scale); k > 0; k--) {
      const insider = pick(rng, users);
      const [dst] = pick(rng, SERVICES);
      const t = at(8, 18);
      const n = 25 + rng.int(26);
      const ports = rng.sample(1024, n);
      for (let j = 0; j < n; j++) {
        rows.push({ ts: t + j * (2_000 + rng.int(6_000)), user: insider.id, src_host: insider.ws, dst_host: dst, dst_port: ports[j]! + 1, bytes_out: 40 + rng.int(40), bytes_in: rng.int(60), duration_s: 0.01 + 0.05 * rng.next(), failed: 0, type: 'port-scan', attack: attacks });
      }
      attacks++;
    }
    for (let k = poisson(rng, 0.8 * scale); k > 0; k--) {
      const insider = pick(rng, users);
      const to = external(rng);
      const t = at(0, 5);
      const n = 3 + rng.int(5);
      for (let j = 0; j < n; j++) {
        rows.push({ ts: t + j * (5 * 60_000 + rng.int(20 * 60_000)), user: insider.id, src_host: insider.ws, dst_host: to, dst_port: 443, bytes_out: Math.round(logNormal(rng, 19.5, 0.5)), bytes_in: Math.round(logNormal(rng, 9, 0.5)), duration_s: logNormal(rng, 5.5, 0.4), failed: 0, type: 'exfiltration', attack: attacks });
      }
      attacks++;
    }
  }
  rows.sort((a, b) => a.ts - b.ts);
  return { days: o.days, connections: rows, attacks };
}
