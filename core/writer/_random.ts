/**
 * @module
 * A small seeded pseudo-random generator (mulberry32) with the few
 * distributions the ME generator needs. Same seed, same sequence, on every
 * platform.
 */

/** Seeded random numbers. */
export class Random {
  #state: number;
  #spare: number | null = null;

  /** @param seed any 32-bit integer */
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** @returns a uniform number in [0, 1) */
  next(): number {
    // mulberry32: add a Weyl constant, then mix.
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /**
   * @param min inclusive lower bound
   * @param max exclusive upper bound
   * @returns a uniform number in [min, max)
   */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /**
   * @param min inclusive lower bound
   * @param max inclusive upper bound
   * @returns a uniform integer in [min, max]
   */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /**
   * @param items non-empty list
   * @returns one item, uniformly
   */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /**
   * Box–Muller, keeping the second value for the next call.
   *
   * @param mean mean
   * @param sigma standard deviation
   * @returns a normally distributed number
   */
  gaussian(mean = 0, sigma = 1): number {
    if (this.#spare !== null) {
      const s = this.#spare;
      this.#spare = null;
      return mean + sigma * s;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    const a = 2 * Math.PI * this.next();
    this.#spare = r * Math.sin(a);
    return mean + sigma * r * Math.cos(a);
  }

  /**
   * @param scale mean of the distribution
   * @returns an exponentially distributed number
   */
  exponential(scale: number): number {
    return -scale * Math.log(1 - this.next());
  }
}
