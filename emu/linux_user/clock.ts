/**
 * The guest's clocks, as `clock_gettime64`, `clock_getres_time64` and
 * `times` read them: the clock ids that qemu-riscv32 accepts (it passes
 * them to the host kernel) and nothing else.
 *
 * - `CLOCK_REALTIME`, `CLOCK_TAI`: the host's wall clock, in nanoseconds
 *   (its time when the emulator started, advanced by the monotonic clock).
 * - `CLOCK_MONOTONIC`, `CLOCK_MONOTONIC_RAW`, `CLOCK_BOOTTIME`: the host's
 *   monotonic clock in nanoseconds, counted from when the emulator started
 *   (`performance.now()`; qemu-riscv32 counts from the host's boot).
 * - the `_COARSE` clocks: the same, with the 4 ms resolution Linux reports
 *   for them.
 * - `CLOCK_PROCESS_CPUTIME_ID`, `CLOCK_THREAD_CPUTIME_ID` and the dynamic
 *   CPU-time ids of the calling process or thread (pid or tid 0, or the
 *   guest's own): the emulator process's CPU time (user + system) since the
 *   guest started, which has microsecond resolution (see {@link cpuMicros}).
 * - the alarm clocks (8, 9) and every other id: `EINVAL`.
 *
 * @module
 */

/** Linux clock ids (`include/uapi/linux/time.h`). */
export const CLOCK = {
  REALTIME: 0,
  MONOTONIC: 1,
  PROCESS_CPUTIME_ID: 2,
  THREAD_CPUTIME_ID: 3,
  MONOTONIC_RAW: 4,
  REALTIME_COARSE: 5,
  MONOTONIC_COARSE: 6,
  BOOTTIME: 7,
  REALTIME_ALARM: 8,
  BOOTTIME_ALARM: 9,
  TAI: 11,
} as const;

/** What a clock id stands for, or null when Linux refuses it. */
export type ClockKind = "realtime" | "monotonic" | "cpu" | null;

/** Ticks per second of `times(2)` (Linux's `USER_HZ`). */
export const USER_HZ = 100;

/** Resolution Linux reports for the coarse clocks and tick-based CPU clocks, in ns. */
const COARSE_NS = 4_000_000;

/**
 * Classifies a clock id; `pid` is the guest's own pid (its tid too).
 * Dynamic CPU-clock ids encode `~pid << 3 | type` with type 0 (prof),
 * 1 (virt) or 2 (sched), bit 2 set for a thread.
 */
export function clockKind(id: number, pid: number): ClockKind {
  id |= 0;
  if (id >= 0) {
    switch (id) {
      case CLOCK.REALTIME:
      case CLOCK.REALTIME_COARSE:
      case CLOCK.TAI:
        return "realtime";
      case CLOCK.MONOTONIC:
      case CLOCK.MONOTONIC_RAW:
      case CLOCK.MONOTONIC_COARSE:
      case CLOCK.BOOTTIME:
        return "monotonic";
      case CLOCK.PROCESS_CPUTIME_ID:
      case CLOCK.THREAD_CPUTIME_ID:
        return "cpu";
      default:
        return null;
    }
  }
  if ((id & 3) === 3) return null;
  const who = ~(id >> 3);
  return who === 0 || who === pid ? "cpu" : null;
}

/** The resolution of clock `id` in nanoseconds, or -1 when it is refused. */
export function clockResNs(id: number, pid: number): number {
  const kind = clockKind(id, pid);
  if (kind === null) return -1;
  id |= 0;
  if (id === CLOCK.REALTIME_COARSE || id === CLOCK.MONOTONIC_COARSE) {
    return COARSE_NS;
  }
  // Dynamic prof and virt CPU clocks count in scheduler ticks.
  if (id < 0 && (id & 3) !== 2) return COARSE_NS;
  return 1;
}

/** The host's wall clock in ns when the monotonic clock was 0. */
const WALL0_NS = BigInt(Math.round(performance.timeOrigin * 1e6));

/** Nanoseconds of the host's monotonic clock since the emulator started. */
export function monotonicNs(): bigint {
  return BigInt(Math.round(performance.now() * 1e6));
}

/** Nanoseconds since 1970 of the host's wall clock, at nanosecond resolution. */
export function realtimeNs(): bigint {
  return WALL0_NS + monotonicNs();
}

/** User and system CPU time in microseconds. */
export interface CpuMicros {
  /** In user mode. */
  user: number;
  /** In the kernel. */
  system: number;
}

let hostCpu: (() => CpuMicros) | undefined;

/**
 * CPU time (user + system) of the emulator's process, in microseconds:
 * Node's `process.cpuUsage()`, reached through Deno's `process` global on
 * the first call, not imported: setting up that object takes about 20 ms,
 * which every run paid at start-up while few guests read a CPU clock.
 * Where there is no such global (a browser), the wall time since the
 * emulator started stands in for it.
 */
export function cpuMicros(): CpuMicros {
  if (hostCpu === undefined) {
    const p = (globalThis as { process?: { cpuUsage?(): CpuMicros } })
      .process;
    hostCpu = typeof p?.cpuUsage === "function"
      ? () => p.cpuUsage!()
      : () => ({ user: Math.round(performance.now() * 1000), system: 0 });
  }
  return hostCpu();
}

/**
 * The value of clock `id` in nanoseconds, or null when it is refused; a
 * CPU-time clock reads `cpu()` (the guest's CPU time, in microseconds).
 */
export function clockNs(
  id: number,
  pid: number,
  cpu: () => CpuMicros,
): bigint | null {
  const kind = clockKind(id, pid);
  if (kind === null) return null;
  if (kind === "realtime") return realtimeNs();
  if (kind === "monotonic") return monotonicNs();
  const u = cpu();
  return BigInt(u.user + u.system) * 1000n;
}
