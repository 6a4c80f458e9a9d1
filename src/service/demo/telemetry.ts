/**
 * Seeded synthetic telemetry for `vigil serve --demo`, time-compressed: a simulated day passes in
 * `dayMs` of wall time, and faults are scheduled in the first minutes so a newcomer sees real
 * anomalies within a minute. Every generator is a pure function of its seed and the step.
 */
import { Rng } from '../../core/random.js';

export interface DemoPoint {
  key?: string;
  values: Record<string, number>;
}

/** One simulated source: its points for step n (at `hz` steps per second). */
export interface Source {
  hz: number;
  step(n: number): DemoPoint[];
}

const TAU = 2 * Math.PI;

/**
 * A machine's temperature (°C) and vibration (mm/s): a daily cycle, noise, a slow upward drift,
 * spikes now and then, a level shift of the temperature from about 40 s, and a vibration sensor
 * stuck at one reading from about 70 s.
 */
export function machine(seed: number, dayMs: number): Source {
  const rng = new Rng(seed);
  const hz = 20;
  const perDay = (dayMs / 1000) * hz;
  let stuckAt = 0;
  return {
    hz,
    step(n) {
      const day = Math.sin((TAU * n) / perDay);
      const drift = n / (hz * 3600); // +1 °C per wall-clock hour
      let temperature = 60 + 4 * day + drift + 0.3 * rng.normal();
      let vibration = 2 + 0.4 * day + 0.08 * rng.normal();
      const cycle = n % (hz * 120); // the faults repeat every two minutes
      if (cycle % (hz * 17) === hz * 9) temperature += 6 + 2 * rng.next(); // a spike
      if (cycle >= hz * 40 && cycle < hz * 55) temperature += 5; // a level shift
      if (cycle === hz * 70) stuckAt = vibration;
      if (cycle >= hz * 70 && cycle < hz * 85) vibration = stuckAt; // a stuck sensor
      return [{ values: { temperature, vibration } }];
    },
  };
}

/** Request rate (req/s) and latency (ms) per host: traffic follows the day, latency the load; host-3 slows down from about 30 s, host-2 loses its traffic from about 50 s. */
export function webHosts(seed: number, dayMs: number, hosts = 4): Source {
  const rng = new Rng(seed);
  const hz = 5;
  const perDay = (dayMs / 1000) * hz;
  return {
    hz,
    step(n) {
      const load = 1 + 0.5 * Math.sin((TAU * n) / perDay);
      const cycle = n % (hz * 120);
      return Array.from({ length: hosts }, (_, h) => {
        const key = `host-${h + 1}`;
        let requests = 200 * load * (1 + 0.05 * rng.normal());
        let latency = 40 + 15 * load + 3 * rng.normal();
        if (key === 'host-3' && cycle >= hz * 30 && cycle < hz * 36) latency *= 4;
        if (key === 'host-2' && cycle >= hz * 50 && cycle < hz * 60) requests *= 0.1;
        return { key, values: { requests, latency } };
      });
    },
  };
}

/** Card transaction amounts per merchant (log-normal around each merchant's typical ticket), with a burst of large amounts at one merchant from about 45 s. */
export function cardTransactions(seed: number, merchants = 6): Source {
  const rng = new Rng(seed);
  const typical = Array.from({ length: merchants }, () => 10 + 90 * rng.next());
  const hz = 4;
  return {
    hz,
    step(n) {
      const cycle = n % (hz * 120);
      return typical.map((base, m) => {
        let amount = base * Math.exp(0.25 * rng.normal());
        if (m === 2 && cycle >= hz * 45 && cycle < hz * 48 && rng.next() < 0.7) amount = base * (15 + 10 * rng.next());
        return { key: `merchant-${String(m + 1).padStart(2, '0')}`, values: { value: amount } };
      });
    },
  };
}
