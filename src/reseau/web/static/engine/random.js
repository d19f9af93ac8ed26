// NumPy's legacy random numbers in JavaScript: the twin of `np.random.seed(s)` followed by
// `np.random.uniform(low, high, n)` (numpy.random.RandomState, the Mersenne Twister MT19937).
//
// The document draws its starting weights with
//     np.random.seed(0)
//     w_i_h = np.random.uniform(-0.5, 0.5, (20, 784))
//     w_h_o = np.random.uniform(-0.5, 0.5, (10, 20))
// and `new RandomState(0).uniform(-0.5, 0.5, 20 * 784)` gives the same doubles, bit for bit,
// so a browser starts the training from the very weights `reseau train` starts from.
//
// Three steps, each as NumPy does it (numpy/random/_mt19937.pyx and src/mt19937/):
//   1. seeding: an integer seed s fills the 624 words of the state with Knuth's recurrence
//      (`mt19937_seed`, the "init_genrand" of Matsumoto and Nishimura's mt19937ar.c);
//   2. each 32-bit draw: the Mersenne Twister, refilling ("twisting") the 624 words every 624 draws;
//   3. a double in [0, 1): two 32-bit draws, 27 + 26 = 53 bits (`random_sample`), then
//      uniform(low, high) = low + (high - low) * that double.
//
// Tested by tests/test_js_faithful.py (tests/js/random.test.mjs): 10^6 draws of uniform(-0.5, 0.5)
// for several seeds, identical to NumPy's float64 bytes.

const N = 624;  // words of state
const M = 397;  // the twist's middle word
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;  // the word's highest bit
const LOWER_MASK = 0x7fffffff;  // its 31 lower bits

/** The generator behind `np.random.RandomState(seed)`; `seed` is a whole number in [0, 2**32 - 1], as NumPy asks. */
export class RandomState {
  constructor(seed) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`Seed must be between 0 and 2**32 - 1, got ${seed}`);  // NumPy's ValueError
    }
    this.key = new Uint32Array(N);  // the state: 624 unsigned 32-bit words (NumPy's state["key"])
    this.key[0] = seed;
    for (let i = 1; i < N; i++) {
      // key[i] = 1812433253 * (key[i-1] ^ (key[i-1] >> 30)) + i, modulo 2^32 (Math.imul keeps the low 32 bits)
      const previous = this.key[i - 1];
      this.key[i] = Math.imul(1812433253, previous ^ (previous >>> 30)) + i;
    }
    this.pos = N;  // NumPy's state["pos"]: all 624 words used, so the first draw twists first
  }

  /** The next unsigned 32-bit integer (NumPy's `mt19937_next32`). */
  nextUint32() {
    if (this.pos === N) this.twist();
    let y = this.key[this.pos++];
    // Tempering: mixes the bits of the state word
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** Refill the 624 words from the previous ones (NumPy's `mt19937_gen`). */
  twist() {
    const key = this.key;
    for (let i = 0; i < N; i++) {
      const y = (key[i] & UPPER_MASK) | (key[(i + 1) % N] & LOWER_MASK);
      key[i] = key[(i + M) % N] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    this.pos = 0;
  }

  /** A double in [0, 1) from 53 random bits: NumPy's `random_sample()` (`mt19937_next_double`). */
  randomSample() {
    const a = this.nextUint32() >>> 5;  // 27 bits
    const b = this.nextUint32() >>> 6;  // 26 bits
    return (a * 67108864.0 + b) / 9007199254740992.0;  // (a * 2^26 + b) / 2^53, exact in a double
  }

  /** `n` doubles as `np.random.uniform(low, high, n)`: low + (high - low) * random_sample(), in a Float64Array. */
  uniform(low, high, n) {
    const range = high - low;
    const drawn = new Float64Array(n);
    for (let k = 0; k < n; k++) drawn[k] = low + range * this.randomSample();
    return drawn;
  }
}
